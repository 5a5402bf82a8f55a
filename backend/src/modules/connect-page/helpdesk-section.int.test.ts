// The help-desk channel section of the hosted connection page over supertest, with the emulator behind
// it: a portal approved without the channel scopes sees "Needs these scopes" with the missing scopes and
// a reconnect, and its inbox form sends nothing to HubSpot; a portal with them picks an inbox (a CSRF-
// protected form) and the channel account exists at HubSpot; a message HubSpot refused shows as a
// publish failure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { submitConnectForm } from '../../../../test/support/connect-page.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { eventually } from '../../../../test/support/eventually.js';
import { connectOrganization, startHubSpotStack, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { REQUIRED_SCOPES } from '../../hubspot/scopes.js';
import { HELPDESK_SCOPES } from '../helpdesk/connect-channel.js';

const DEVELOPER_KEY = 'devkey-connect-page-helpdesk-0123456789';

let stack: HubSpotStack;
beforeAll(async () => {
  stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
  await stack.backend.services.helpdesk.registerChannel({});
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const linkFor = async (organizationId: string) => new URL((await stack.backend.services.installs.createInstallLink(organizationId)).url).pathname.split('/').pop()!;
const page = (token: string) => request(stack.backend.app).get(`/connect/${token}`).set('Accept', 'text/html');
const section = (html: string) => /<section class="card" id="helpdesk"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
const accountsAtHubSpot = () => stack.emulator.state.ctx.data.customChannels.accounts.size;

describe('connection page: help desk channel', () => {
  it('when the portal lacks the channel scopes, then the section lists them with a reconnect, and the inbox form sends nothing to HubSpot', async () => {
    const portal = (await stack.hub.createPortal({ domain: 'scopeless-page.example.com' })).portal;
    const tokens = await stack.hub.install(portal.id, { scopes: [...REQUIRED_SCOPES] });
    const { id } = await connectWithTokens(stack.backend.services, portal.id, tokens, 'Scopeless Co');
    const token = await linkFor(id);

    const html = section((await page(token)).text);
    expect(html).toContain('data-helpdesk-state="needs_scopes"');
    expect(html).toContain('Needs these scopes');
    expect([...html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1])).toStrictEqual(['conversations.custom_channels.read', 'conversations.custom_channels.write']);
    expect(html).toContain(`href="/oauth/install?link=${token}">Reconnect with HubSpot</a>`);
    expect(html).not.toContain('name="inboxId"');

    const before = accountsAtHubSpot();
    const refused = await submitConnectForm(stack.backend.app, token, 'helpdesk', { inboxId: '147959634' }, { accept: 'html' });
    expect(refused.status).toBe(403);
    expect(section(refused.text)).toContain('data-form="helpdesk"');
    expect(section(refused.text)).toContain('conversations.custom_channels.read, conversations.custom_channels.write');
    expect(accountsAtHubSpot()).toBe(before);
  });

  it('when the admin picks an inbox, then the channel is connected to it; without the CSRF token the form is refused and nothing changes', async () => {
    const org = await connectOrganization(stack, undefined, 'Picker Co');
    const token = await linkFor(org.id);
    const html = section((await page(token)).text);
    expect(html).toContain('data-helpdesk-state="ready_to_connect"');
    const options = [...html.matchAll(/<option value="(\d+)"[^>]*>([^<]+)<\/option>/g)].map((m) => ({ id: m[1]!, name: m[2]! }));
    const helpDesk = options.find((o) => o.name === 'Help Desk')!;
    expect(helpDesk).toBeDefined();

    const before = accountsAtHubSpot();
    const forged = await request(stack.backend.app).post(`/connect/${token}/helpdesk`).type('form').send({ inboxId: helpDesk.id });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('forbidden');
    expect(accountsAtHubSpot()).toBe(before);

    const done = await submitConnectForm(stack.backend.app, token, 'helpdesk', { inboxId: helpDesk.id });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/connect/${token}?done=helpdesk_connected`);
    expect(accountsAtHubSpot()).toBe(before + 1);
    expect((await stack.backend.services.helpdesk.getStatus(org.id)).account).toMatchObject({ inboxId: helpDesk.id, connectedVia: 'api' });
    const after = await page(`${token}?done=helpdesk_connected`);
    expect(after.text).toContain('Help desk channel connected');
    expect(section(after.text)).toContain('data-helpdesk-state="connected"');
    expect(section(after.text)).toContain('Connected to inbox <strong>Help Desk</strong>');
  });

  it('when HubSpot refuses a message for good, then the section shows the publish failure', async () => {
    const portal = (await stack.hub.createPortal({ domain: 'failing-page.example.com' })).portal;
    const org = await connectOrganization(stack, portal.id, 'Failing Co');
    const account = await stack.backend.services.helpdesk.connectInbox(org.id, { inboxId: (await stack.backend.services.helpdesk.listInboxes(org.id))[0]!.id });
    const token = await linkFor(org.id);
    expect(section((await page(token)).text)).not.toContain('Publish failures');
    const conversation = (await request(stack.backend.app).post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'refused-1' })).body as { id: string };
    // An admin de-authorized the channel account in HubSpot: HubSpot answers the publish with a 400,
    // a refusal no retry changes.
    stack.emulator.state.ctx.data.customChannels.accounts.get(Number(account.channelAccountId))!.authorized = false;
    await request(stack.backend.app).post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Hello?' }).expect(202);
    await eventually(async () => (await stack.backend.services.helpdesk.getStatus(org.id)).failedMessages === 1, { timeoutMs: 30_000 });
    const html = section((await page(token)).text);
    expect(html).toContain('data-notice="publish_failed"');
    expect(html).toContain('1 message could not be published to HubSpot after every retry.');
  });
  it('when the page is viewed again, then the inbox list comes from the cache (one HubSpot call); a reconnect with new scopes and a disconnect drop it', async () => {
    const portal = (await stack.hub.createPortal({ domain: 'cached-inboxes.example.com' })).portal;
    const first = await stack.hub.install(portal.id, { scopes: [...new Set([...REQUIRED_SCOPES, ...HELPDESK_SCOPES])] });
    const { id } = await connectWithTokens(stack.backend.services, portal.id, first, 'Cache Co');
    const token = await linkFor(id);
    const inboxCalls = async () => (await stack.hub.requests({ portalId: portal.id, method: 'GET', path: '/conversations/v3/conversations/inboxes' })).length;
    const picker = async () => section((await page(token)).text);
    for (let view = 0; view < 3; view++) expect(await picker()).toContain('Help Desk</option>');
    expect(await inboxCalls()).toBe(1);

    // The admin reconnects to grant conversations.write (every scope of the app).
    const regrant = async () => {
      const tokens = await stack.hub.install(portal.id);
      expect(tokens.scopes).toContain('conversations.write');
      await stack.backend.services.connections.applyOAuthGrant({
        organizationId: id,
        grant: { portalId: portal.id, portalDomain: null, scopes: tokens.scopes, approvedBy: null, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000) },
      });
    };
    await regrant();
    expect(await picker()).toContain('Help Desk</option>');
    expect(await picker()).toContain('Help Desk</option>');
    expect(await inboxCalls()).toBe(2);

    await stack.backend.services.connections.disconnect({ organizationId: id, uninstall: false });
    expect(await picker()).toContain('data-helpdesk-state="not_connected"');
    expect(await inboxCalls()).toBe(2);
    await regrant();
    expect(await picker()).toContain('Help Desk</option>');
    expect(await inboxCalls()).toBe(3);
  });
});
