// The settings page's help-desk section (`GET /hubspot/ui/helpdesk`, `POST /hubspot/ui/helpdesk/connect`)
// through the real stack: a listening backend and the emulator, the channel registered with the
// emulator's developer key, requests v3-signed like HubSpot's `hubspot.fetch`. What HubSpot holds
// afterwards (the channel account) is read back from the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signedHeaders } from '../../../../emulator/src/signing.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { consent } from '../../../../test/support/hubspot-harness.js';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { REQUIRED_SCOPES } from '../../hubspot/scopes.js';
import type { HelpdeskResponse } from '../../../../src/app/cards/utils/contract.js';

const DEVELOPER_KEY = 'devkey-settings-helpdesk-int-0123456789';
const USER = { userId: 1000001, userEmail: 'ada.admin+helpdesk@switchboard-demo.example.com' };

let stack: HubSpotStack;
let org: ConnectedOrganization;

beforeAll(async () => {
  stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
  await stack.backend.services.helpdesk.registerChannel({});
  org = await connectOrganization(stack);
});
afterAll(async () => {
  await stack?.stop();
});

/** A request as HubSpot's `hubspot.fetch` sends it: the page's identity in the query, v3-signed over the URL. */
function signed(method: 'GET' | 'POST', path: string, portalId: number, body?: unknown): request.Test {
  const query = new URLSearchParams({ portalId: String(portalId), userId: String(USER.userId), userEmail: USER.userEmail, appId: String(stack.emulator.app.appId) });
  const pathAndQuery = `${path}?${query.toString()}`;
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = signedHeaders({ method, url: `${stack.backendUrl}${pathAndQuery}`, body: raw, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
  const agent = request(stack.backend.app);
  const req = (method === 'GET' ? agent.get(pathAndQuery) : agent.post(pathAndQuery)).set(headers);
  return raw ? req.set('Content-Type', 'application/json').send(raw) : req;
}

const accountsAtHubSpot = async (portalId: number) => (await stack.hub.customChannels()).accounts.filter((a) => a.portalId === portalId);

describe('the settings page’s help-desk section', () => {
  it('when the settings page reads the section, then it lists the portal’s inboxes; connecting one creates the channel account at HubSpot and the section shows the inbox', async () => {
    const before = await signed('GET', '/hubspot/ui/helpdesk', org.portalId);
    expect(before.status).toBe(200);
    const read = before.body as HelpdeskResponse;
    expect(read).toMatchObject({ state: 'ready_to_connect', missingScopes: [], reconnectUrl: null, account: null, inboxesError: null, failedMessages: 0 });
    expect(read.inboxes!.length).toBeGreaterThan(0);
    const helpDesk = read.inboxes!.find((i) => i.name === 'Help Desk')!;
    expect(await accountsAtHubSpot(org.portalId)).toStrictEqual([]);

    const connected = await signed('POST', '/hubspot/ui/helpdesk/connect', org.portalId, { inboxId: helpDesk.id });

    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ state: 'connected', account: { inboxId: helpDesk.id, inboxName: 'Help Desk', connectedAt: expect.any(String) } });
    const atHubSpot = await accountsAtHubSpot(org.portalId);
    expect(atHubSpot).toHaveLength(1);
    expect(atHubSpot[0]).toMatchObject({ inboxId: helpDesk.id, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `switchboard-${org.id}` } });
    // The vendor API sees the same connection (one state for both surfaces).
    const viaApi = await request(stack.backend.app).get('/api/v1/helpdesk').set('authorization', org.auth);
    expect(viaApi.body).toMatchObject({ state: 'connected', account: { inboxId: helpDesk.id, channelAccountId: atHubSpot[0]!.id, connectedVia: 'api' } });
    expect((await signed('GET', '/hubspot/ui/helpdesk', org.portalId)).body).toMatchObject({ state: 'connected', account: { inboxId: helpDesk.id, inboxName: 'Help Desk' } });
  });

  it('when the picked inbox is not one of the portal’s, then the connect is refused 404 and HubSpot holds no new account', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Other portal' });
    const other = await connectOrganization(stack, portal.id, 'Other Org');
    const foreignInbox = ((await signed('GET', '/hubspot/ui/helpdesk', org.portalId)).body as HelpdeskResponse).inboxes!.find((i) => i.name === 'Help Desk')!;
    const ownInboxes = ((await signed('GET', '/hubspot/ui/helpdesk', portal.id)).body as HelpdeskResponse).inboxes!;
    const missing = ['999999999', foreignInbox.id].filter((id) => !ownInboxes.some((i) => i.id === id));
    expect(missing.length).toBeGreaterThan(0);
    const accountsBefore = (await stack.hub.customChannels()).accounts.length;

    for (const inboxId of missing) {
      const refused = await signed('POST', '/hubspot/ui/helpdesk/connect', portal.id, { inboxId });
      expect([inboxId, refused.status, refused.body.error?.code]).toStrictEqual([inboxId, 404, 'not_found']);
    }

    expect((await stack.hub.customChannels()).accounts.length).toBe(accountsBefore);
    expect((await request(stack.backend.app).get('/api/v1/helpdesk').set('authorization', other.auth)).body).toMatchObject({ state: 'ready_to_connect', account: null });
  });

  it('when the connection lacks the channel scopes, then the section lists them with a reconnect to HubSpot’s consent page; approving it there renews the connection and the picker appears', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'No Channel Scopes' });
    const tokens = await stack.hub.install(portal.id, { scopes: [...REQUIRED_SCOPES] });
    await connectWithTokens(stack.backend.services, portal.id, tokens, 'Scopeless');

    const read = (await signed('GET', '/hubspot/ui/helpdesk', portal.id)).body as HelpdeskResponse;
    expect(read).toMatchObject({ state: 'needs_scopes', missingScopes: ['conversations.custom_channels.read', 'conversations.custom_channels.write'], inboxes: null, account: null });
    const reconnect = new URL(read.reconnectUrl!);
    expect(`${reconnect.origin}${reconnect.pathname}`).toBe(`${stack.emulator.url}/oauth/${portal.id}/authorize`);
    expect(reconnect.searchParams.get('state')).toBeNull();
    expect(reconnect.searchParams.get('optional_scope')).toContain('conversations.custom_channels.write');
    const refused = await signed('POST', '/hubspot/ui/helpdesk/connect', portal.id, { inboxId: '1' });
    expect([refused.status, refused.body.error.code]).toStrictEqual([403, 'missing_scope']);

    // The admin follows the link and approves on HubSpot's consent page; HubSpot redirects to our callback without a state.
    const redirect = await consent(reconnect, { portalId: portal.id });
    const callback = await request(stack.backend.app).get(`${redirect.pathname}${redirect.search}`);
    expect(callback.status).toBe(200);

    const after = (await signed('GET', '/hubspot/ui/helpdesk', portal.id)).body as HelpdeskResponse;
    expect(after).toMatchObject({ state: 'ready_to_connect', missingScopes: [], reconnectUrl: null });
    expect(after.inboxes!.length).toBeGreaterThan(0);
  });

  it('when the portal is connected to no organization, then the section says not_connected and connecting is refused 404', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Never connected' });
    expect((await signed('GET', '/hubspot/ui/helpdesk', portal.id)).body).toStrictEqual({ state: 'not_connected', missingScopes: [], reconnectUrl: null, account: null, inboxes: null, inboxesError: null, failedMessages: 0 });
    const refused = await signed('POST', '/hubspot/ui/helpdesk/connect', portal.id, { inboxId: '147959634' });
    expect([refused.status, refused.body.error.code]).toStrictEqual([404, 'install_not_found']);
  });
});
