// The hosted connection page over supertest with the emulator behind it: each integration-card state,
// the security headers and cookies, the CSRF guard on every form, the legacy form's visibility rules,
// the forms themselves and the troubleshooting panel. The browser flows are in test/e2e/connection-page.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { openConnectPage, submitConnectForm } from '../../../../test/support/connect-page.js';
import { eventually } from '../../../../test/support/eventually.js';
import { connectWithOAuth, createInstallLink, createOrganization, startHubSpotHarness, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { readBatch } from '../webhooks/intake.js';
import { CONNECT_PAGE_CSP } from './connect-page.routes.js';
import { csrfTokenFor } from './csrf.js';

let h: HubSpotHarness;

beforeAll(async () => {
  h = await startHubSpotHarness({ backend: { workers: true } });
});
afterAll(async () => {
  await h.stop();
});

const page = (linkToken: string, query = '') => request(h.backend.app).get(`/connect/${linkToken}${query}`).set('Accept', 'text/html');
const status = async (orgId: string) => h.backend.services.connections.getStatus(orgId);

async function newPortal(): Promise<number> {
  return (await h.client.createPortal({ domain: `p${Date.now()}${Math.floor(Math.random() * 1e6)}.example.com` })).portal.id;
}

async function privateAppOrg(opts: { name?: string } = {}) {
  const portalId = await newPortal();
  const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets'] });
  const org = await createOrganization(h, opts);
  await request(h.backend.app).put('/api/v1/connection/private-app-token').set('Authorization', `Bearer ${org.apiKey}`).send({ token: pat.token }).expect(200);
  return { org, portalId, pat: pat.token };
}

describe('GET /connect/:token', () => {
  it('when the link is unknown or malformed, then it answers 404 install_link_invalid or 400 invalid_params, never a 500', async () => {
    const unknown = await request(h.backend.app).get('/connect/sb_link_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toStrictEqual({ error: { code: 'install_link_invalid', message: 'This connection link is invalid or has expired. Ask for a new link.' } });
    const malformed = await request(h.backend.app).get('/connect/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_params');
    const html = await page('%E0%A4%A');
    expect(html.status).toBe(400);
    expect(html.headers['content-type']).toMatch(/text\/html/);
  });

  it('when the organization is not connected, then the card offers Connect with HubSpot, under a strict CSP, no-store, and an HttpOnly Lax CSRF cookie', async () => {
    const org = await createOrganization(h, { name: '<script>alert("x")</script> & Co' });
    const link = await createInstallLink(h, org.apiKey);
    const res = await page(link.token);

    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(res.text).not.toMatch(/<script>|<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=/i);
    expect(res.text).toContain('data-status="not_connected"');
    expect(res.text).toContain('Not connected');
    expect(res.text).toContain(`<a class="button button-primary" href="/oauth/install?link=${link.token}">Connect with HubSpot</a>`);
    expect(res.text).toContain('Use a Private App token instead (legacy)');
    expect(res.text).toContain('No webhook deliveries yet.');
    expect(res.text).not.toContain('Disconnect HubSpot');
    expect(res.headers['content-security-policy']).toBe(CONNECT_PAGE_CSP);
    expect(CONNECT_PAGE_CSP).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(CONNECT_PAGE_CSP).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sb_csrf='));
    expect(cookie).toMatch(/^sb_csrf=[A-Za-z0-9_-]{43}; Path=\/connect; Max-Age=43200; HttpOnly; SameSite=Lax$/);
  });

  it('when the page loads its stylesheet and script, then they are same-origin static files with their content types', async () => {
    const css = await request(h.backend.app).get('/connect-assets/connect-page.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const js = await request(h.backend.app).get('/connect-assets/connect-page.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).not.toMatch(/https?:\/\//);
    expect((await request(h.backend.app).get('/connect-assets/other.js')).status).toBe(404);
  });

  it('when the organization is connected with OAuth, then the card shows the portal, scopes, features, who and when, and the toast after the callback', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const { linkToken, response } = await connectWithOAuth(h, org, portalId, { optionalScopes: ['conversations.write'] });
    expect(response.headers.location).toBe(`/connect/${linkToken}?connected=1`);
    await h.backend.services.tokens.refreshIfOlderThan(org.id, 0);

    const res = await page(linkToken, '?connected=1');
    expect(res.text).toContain('data-status="connected"');
    expect(res.text).toContain('<p class="toast-title">HubSpot connected</p>');
    expect(res.text).toContain(`<dd>${portalId}</dd>`);
    expect(res.text).toMatch(/<dt>Portal domain<\/dt><dd>p\d+\.example\.com<\/dd>/);
    expect(res.text).toContain('<dt>Connected by</dt><dd>');
    expect(res.text).toMatch(/<dt>Connected since<\/dt><dd><time datetime="[^"]+">/);
    expect(res.text).toMatch(/<dt>Current tokens issued<\/dt><dd><time datetime=/);
    expect(res.text).toContain('<code>automation</code>');
    expect(res.text).toMatch(/chip-ok">On<\/span> Inbox handoff: a handoff request leaves an internal comment on the help-desk thread with the reason and the team asked/);
    expect(res.text).not.toContain('threads are assigned');
    expect(res.text).toMatch(/chip-neutral">Off<\/span> Company context.*not granted/);
    expect(res.text).toContain('Disconnect HubSpot…');
    expect(res.text).toContain('Roll back to a Private App token');
    expect(res.text).not.toContain('Action recommended');
    // Troubleshooting: the forced refresh is listed with its outcome.
    expect(res.text).toMatch(/data-table="refreshes"[\s\S]*Daily check[\s\S]*Refreshed/);

    const again = await page(linkToken);
    expect(again.text).not.toContain('toast-title');
  });

  it('when the organization is OAuth-only, then neither the legacy form nor the rollback is shown', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h, { oauthOnly: true });
    const link = await createInstallLink(h, org.apiKey);
    const before = await page(link.token);
    expect(before.text).not.toContain('name="token"');
    expect(before.text).not.toContain('Private App token');
    const { linkToken } = await connectWithOAuth(h, org, portalId);
    const after = await page(linkToken);
    expect(after.text).toContain('data-status="connected"');
    expect(after.text).not.toContain('name="token"');
    expect(after.text).not.toContain('Roll back');
  });

  it('when the organization still uses a Private App, then the Action recommended banner offers Migrate to OAuth and the token can be replaced', async () => {
    const { org } = await privateAppOrg();
    const link = await createInstallLink(h, org.apiKey);
    const res = await page(`${link.token}`, '?utm_source=mail');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-state="private_app"');
    expect(res.text).toContain('<h2 id="action-recommended-title">Action recommended</h2>');
    expect(res.text).toContain(`href="/oauth/install?link=${link.token}">Migrate to OAuth</a>`);
    expect(res.text).toContain('Private App (legacy)');
    expect(res.text).toContain('Replace the Private App token');
    expect(res.text).toContain('Private App tokens do not refresh');
  });

  it('when HubSpot revoked the grant and a refresh failed, then the card shows Needs reconnect with the reason and no connected toast', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const { linkToken } = await connectWithOAuth(h, org, portalId);
    await h.client.revokePortalTokens(portalId);
    await expect(h.backend.services.tokens.refreshIfOlderThan(org.id, 0)).rejects.toMatchObject({ code: 'reinstall_required' });

    const res = await page(linkToken, '?connected=1');
    expect(res.text).toContain('data-status="needs_reauth"');
    expect(res.text).toContain('Needs reconnect');
    expect(res.text).toContain('HubSpot refused the refresh token (invalid_grant)');
    expect(res.text).toContain(`href="/oauth/install?link=${linkToken}">Reconnect with HubSpot</a>`);
    expect(res.text).not.toContain('toast-title');
    expect(res.text).toMatch(/data-table="refreshes"[\s\S]*Refused/);
  });

  it('when webhooks arrived and workflow actions ran, then the troubleshooting panel lists them with their outcomes, newest first', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const { linkToken } = await connectWithOAuth(h, org, portalId);
    const event = { eventId: 1, portalId, occurredAt: Date.now(), subscriptionType: 'ticket.propertyChange', objectId: 4242, propertyName: 'hs_pipeline_stage', propertyValue: '2' };
    await h.backend.services.webhooks.acceptBatch(readBatch(Buffer.from(JSON.stringify([event]))));
    await h.backend.services.workflowActions.executeAction('pause-ai', { callbackId: `cb-${portalId}`, origin: { portalId }, context: { workflowId: 777 }, object: { objectId: 4242, objectType: 'TICKET' }, inputFields: {} });

    const res = (await eventually(async () => {
      const r = await page(linkToken);
      return /data-table="webhooks"[\s\S]*(Processed|Ignored)/.test(r.text) ? r : undefined;
    }))!;
    expect(res.text).toMatch(/data-table="webhooks"[\s\S]*<code>ticket\.propertyChange \(hs_pipeline_stage\)<\/code><\/td><td>4242<\/td>/);
    expect(res.text).toMatch(/data-table="executions"[\s\S]*Pause AI <span class="muted" title="HubSpot workflow ID 777">in a HubSpot workflow<\/span><\/td><td>ticket 4242<\/td>/);
  });
});

describe('POST /connect/:token/* (forms)', () => {
  it('when a form comes without the CSRF token, with another link\'s token, or from another site, then it answers 403 and changes nothing', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const other = await createInstallLink(h, org.apiKey);
    const opened = await openConnectPage(h.backend.app, link.token);
    const elsewhere = await openConnectPage(h.backend.app, other.token, opened.cookie);
    const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      request(h.backend.app).post(`/connect/${link.token}/settings`).set('Cookie', opened.cookie).set(headers).type('form').send(fields);

    const refused = [
      await post({}),
      await post({ csrf: elsewhere.csrf }),
      await request(h.backend.app).post(`/connect/${link.token}/settings`).type('form').send({ csrf: opened.csrf }),
      await post({ csrf: opened.csrf }, { 'Sec-Fetch-Site': 'cross-site' }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body).toStrictEqual({ error: { code: 'forbidden', message: 'This form has expired or was not sent from the connection page. Reload the page and try again.' } });
    }
    expect((await h.backend.services.settings.getSettings(org.id)).pauseOnOwnerChange).toBe(true);
    const ok = await post({ csrf: opened.csrf }, { 'Sec-Fetch-Site': 'same-origin' });
    expect(ok.status).toBe(303);
  });

  it('when the settings form is saved with the box unticked, then pause on owner change is off and the page confirms it', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const res = await submitConnectForm(h.backend.app, link.token, 'settings');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/connect/${link.token}?done=settings_saved`);
    expect((await h.backend.services.settings.getSettings(org.id)).pauseOnOwnerChange).toBe(false);
    const shown = await page(link.token, '?done=settings_saved');
    expect(shown.text).toContain('Settings saved');
    expect(shown.text).toContain('id="pause-on-owner-change" name="pauseOnOwnerChange" aria-describedby="pause-hint">');
    await submitConnectForm(h.backend.app, link.token, 'settings', { pauseOnOwnerChange: 'on' });
    expect((await h.backend.services.settings.getSettings(org.id)).pauseOnOwnerChange).toBe(true);
  });

  it('when Disconnect is confirmed, then the grant is revoked, the connection is disconnected and the page offers Connect again', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const { linkToken } = await connectWithOAuth(h, org, portalId);
    const res = await submitConnectForm(h.backend.app, linkToken, 'disconnect', { uninstall: 'on' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/connect/${linkToken}?done=disconnected`);
    expect(await status(org.id)).toMatchObject({ status: 'disconnected' });
    expect((await h.client.tokens(portalId)).refreshTokens.every((t) => t.revoked)).toBe(true);
    expect((await h.client.uninstalls()).some((u) => u.portalId === portalId)).toBe(true);
    const shown = await page(linkToken, '?done=disconnected');
    expect(shown.text).toContain('data-status="disconnected"');
    expect(shown.text).toContain('HubSpot disconnected');
    expect(shown.text).toContain('Connect with HubSpot');
  });

  it('when a legacy token is pasted, then HubSpot checks it: accepted → Private App state; rejected → the form again with the reason and without the token', async () => {
    const portalId = await newPortal();
    const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets'] });
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);

    const bad = await submitConnectForm(h.backend.app, link.token, 'private-app', { token: 'pat-na1-00000000-0000-0000-0000-000000000000' }, { accept: 'html' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    expect(bad.text).toContain('HubSpot rejected this Private App token');
    expect(bad.text).toContain('<details class="card legacy" id="legacy" open>');
    expect(bad.text).not.toContain('pat-na1-00000000');
    expect(await status(org.id)).toMatchObject({ status: 'not_connected' });

    const good = await submitConnectForm(h.backend.app, link.token, 'private-app', { token: pat.token });
    expect(good.status).toBe(303);
    expect(good.headers.location).toBe(`/connect/${link.token}?done=private_app_saved`);
    expect(await status(org.id)).toMatchObject({ status: 'connected', auth: 'private_app', portalId });
    expect(h.backend.logs.text()).not.toContain(pat.token);
  });

  it('when an OAuth-only organization posts a legacy token anyway, then it is refused with oauth_only and nothing is stored', async () => {
    const portalId = await newPortal();
    const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets'] });
    const org = await createOrganization(h, { oauthOnly: true });
    const link = await createInstallLink(h, org.apiKey);
    const res = await submitConnectForm(h.backend.app, link.token, 'private-app', { token: pat.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('oauth_only');
    expect(await status(org.id)).toMatchObject({ status: 'not_connected' });
  });

  it('when an OAuth organization rolls back to a Private App token, then the OAuth grant is revoked and the page confirms the rollback', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const { linkToken } = await connectWithOAuth(h, org, portalId);
    const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets'] });

    const unconfirmed = await submitConnectForm(h.backend.app, linkToken, 'private-app', { token: pat.token });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error.code).toBe('invalid_transition');

    const res = await submitConnectForm(h.backend.app, linkToken, 'private-app', { token: pat.token, confirmRollback: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/connect/${linkToken}?done=rolled_back`);
    expect(await status(org.id)).toMatchObject({ status: 'connected', auth: 'private_app' });
    await eventually(async () => (await h.client.tokens(portalId)).refreshTokens.every((t) => t.revoked));
  });

  it('when the link is unknown or expired, then even a well-formed form post answers 404 install_link_invalid; the link token never reaches the logs', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const opened = await openConnectPage(h.backend.app, link.token);
    // A valid CSRF token for the unknown link (made from this browser's secret), so the link check itself answers.
    const secret = /sb_csrf=([^;]+)/.exec(opened.cookie)![1]!;
    const res = await request(h.backend.app).post('/connect/sb_link_unknown/settings').set('Cookie', opened.cookie).type('form').send({ csrf: csrfTokenFor(secret, 'sb_link_unknown') });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('install_link_invalid');
    expect(h.backend.logs.text()).not.toContain(link.token);
  });
});

describe('cookies over https', () => {
  let secure: TestBackend;
  beforeAll(async () => {
    secure = await createTestBackend({ env: { PUBLIC_BASE_URL: 'https://switchboard.example.com' } });
  });
  afterAll(async () => {
    await secure?.destroy();
  });

  it('when PUBLIC_BASE_URL is https, then the CSRF cookie is Secure', async () => {
    const { organization } = await secure.services.organizations.createOrganization({ name: 'Secure Org' });
    const { url } = await secure.services.installs.createInstallLink(organization.id);
    const token = url.split('/connect/')[1]!;
    const res = await request(secure.app).get(`/connect/${token}`);
    expect(res.status).toBe(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sb_csrf='));
    expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });
});
