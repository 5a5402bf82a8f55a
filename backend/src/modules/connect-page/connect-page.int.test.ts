import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { connectWithOAuth, createInstallLink, createOrganization, startHubSpotHarness, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';

let h: HubSpotHarness;

beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('GET /connect/:token', () => {
  it('when the link is unknown or malformed, then it answers 404 install_link_invalid or 400 invalid_params, never a 500', async () => {
    const unknown = await request(h.backend.app).get('/connect/sb_link_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toStrictEqual({ error: { code: 'install_link_invalid', message: 'This connection link is invalid or has expired. Ask for a new link.' } });
    const malformed = await request(h.backend.app).get('/connect/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_params');
    const page = await request(h.backend.app).get('/connect/%E0%A4%A').set('Accept', 'text/html');
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('when the organization is not connected, then the page shows its name escaped, the status and the Connect button, with no-store and no-referrer', async () => {
    const org = await createOrganization(h, { name: '<script>alert("x")</script> & Co' });
    const link = await createInstallLink(h, org.apiKey);
    const res = await request(h.backend.app).get(`/connect/${link.token}`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('data-status="not_connected"');
    expect(res.text).toContain(`href="/oauth/install?link=${link.token}"`);
    expect(res.text).toContain('Connect with HubSpot');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('when the organization uses a Private App or needs re-authorization, then the page says what to do', async () => {
    const { portal } = await h.client.createPortal();
    const pat = await h.client.createPrivateAppToken(portal.id, { scopes: ['tickets'] });
    const org = await createOrganization(h);
    await request(h.backend.app).put('/api/v1/connection/private-app-token').set('Authorization', `Bearer ${org.apiKey}`).send({ token: pat.token });
    const link = await createInstallLink(h, org.apiKey);
    const legacy = await request(h.backend.app).get(`/connect/${link.token}?utm_source=mail`);
    expect(legacy.text).toContain('Action recommended');
    expect(legacy.text).toContain('Private App token (legacy)');

    const other = (await h.client.createPortal()).portal;
    const org2 = await createOrganization(h);
    const { linkToken } = await connectWithOAuth(h, org2, other.id);
    await h.client.revokePortalTokens(other.id);
    await h.backend.services.hubspot.request(org2.id, { method: 'GET', path: '/crm/v3/objects/contacts' }).catch(() => undefined);
    const reauth = await request(h.backend.app).get(`/connect/${linkToken}?connected=1`);
    expect(reauth.text).toContain('data-status="needs_reauth"');
    expect(reauth.text).toContain('Reconnect to restore it');
    expect(reauth.text).not.toContain('HubSpot connected');
  });
});
