import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { connectWithOAuth, createOrganization, dumpDatabase, issuedSecrets, leakedSecrets, startHubSpotHarness, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';

let h: HubSpotHarness;
let full: { apiKey: string; id: string; portalId: number };
let narrow: { apiKey: string; id: string; portalId: number };

const proxy = (apiKey: string) => ({
  get: (path: string) => request(h.backend.app).get(`/api/v1/hubspot${path}`).set('Authorization', `Bearer ${apiKey}`),
  post: (path: string, body: object) => request(h.backend.app).post(`/api/v1/hubspot${path}`).set('Authorization', `Bearer ${apiKey}`).send(body),
});
const lastSeq = async () => (await h.client.requests()).at(-1)?.seq ?? 0;
const hubspotCallsSince = async (since: number) => (await h.client.requests({ since })).filter((r) => !r.path.startsWith('/oauth/'));

/** A new organization connected to a new portal (its own HubSpot budget), with every scope. */
const connectNew = async (optionalScopes?: string[]) => {
  const { portal } = await h.client.createPortal();
  const org = await createOrganization(h);
  await connectWithOAuth(h, org, portal.id, optionalScopes ? { optionalScopes } : {});
  keys.push(org.apiKey);
  return { ...org, portalId: portal.id };
};
const keys: string[] = [];

beforeAll(async () => {
  h = await startHubSpotHarness();
  full = await connectNew();
  narrow = await connectNew([]);
});
afterAll(async () => {
  const secrets = [...(await issuedSecrets(h)), ...keys];
  expect(leakedSecrets(await dumpDatabase(h), secrets)).toStrictEqual([]);
  expect(leakedSecrets(h.backend.logs.text(), secrets)).toStrictEqual([]);
  await h.stop();
});

describe('ANY /api/v1/hubspot/*', () => {
  it('when the organization key is missing, then it answers 401 unauthorized and calls nothing', async () => {
    const since = await lastSeq();
    const res = await request(h.backend.app).get('/api/v1/hubspot/crm/v3/objects/contacts');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(await hubspotCallsSince(since)).toStrictEqual([]);
  });

  it('when the scopes cover the endpoint, then it forwards with the organization’s own token, never the caller’s header', async () => {
    const since = await lastSeq();
    const created = await proxy(full.apiKey).post('/crm/v3/objects/contacts', { properties: { email: 'ada@example.com', firstname: 'Ada' } }).set('X-HubSpot-Authorization', 'Bearer pat-na1-forged');
    expect(created.status).toBe(201);
    expect(created.body.properties.email).toBe('ada@example.com');
    const read = await proxy(full.apiKey).get(`/crm/v3/objects/contacts/${created.body.id as string}`).query({ properties: 'email' });
    expect(read.status).toBe(200);
    expect(read.body.properties.email).toBe('ada@example.com');
    const calls = await hubspotCallsSince(since);
    expect(calls.map((c) => [c.method, c.path, c.portalId, c.status])).toStrictEqual([
      ['POST', '/crm/v3/objects/contacts', full.portalId, 201],
      ['GET', `/crm/v3/objects/contacts/${created.body.id as string}`, full.portalId, 200],
    ]);
    expect((await h.client.contacts(full.portalId)).some((c) => c.properties.email === 'ada@example.com')).toBe(true);
  });

  it('when a granted scope is missing, then it answers 403 missing_scope naming it and HubSpot is not called', async () => {
    const since = await lastSeq();
    const res = await proxy(narrow.apiKey).get('/crm/v3/objects/companies');
    expect(res.status).toBe(403);
    expect(res.body).toStrictEqual({
      error: {
        code: 'missing_scope',
        message: 'The HubSpot connection was not granted the scope "crm.objects.companies.read", which GET /crm/v3/objects/companies needs. Reconnect HubSpot and approve it.',
        details: [{ path: 'scope', message: 'crm.objects.companies.read' }],
      },
    });
    const write = await proxy(full.apiKey).post('/crm/v3/objects/deals', { properties: {} });
    expect(write.status).toBe(403);
    expect(write.body.error.details).toStrictEqual([{ path: 'scope', message: 'crm.objects.deals.write' }]);
    expect(await hubspotCallsSince(since)).toStrictEqual([]);
  });

  it('when the path tries to leave the API (traversal, encoded slashes, absolute URL, empty segment), then it answers 400 invalid_params and calls nothing', async () => {
    const since = await lastSeq();
    for (const path of ['/crm/v3/objects/contacts/%2e%2e/%2e%2e/%2e%2e/oauth/2026-03/token', '/crm/v3/objects/contacts/..%2F..%2Foauth', '/https:%2F%2Fevil.example.com/x', '/http:/evil.example.com', '//evil.example.com/crm/v3/objects/contacts', '/crm/v3/objects/contacts/%E0%A4%A']) {
      const res = await request(h.backend.app).get(`/api/v1/hubspot${path}`).set('Authorization', `Bearer ${full.apiKey}`);
      expect([path, res.status, res.body.error?.code]).toStrictEqual([path, 400, 'invalid_params']);
    }
    expect(await hubspotCallsSince(since)).toStrictEqual([]);
  });

  it('when the path is not offered by the proxy (token endpoints, uninstall, unknown APIs), then it answers 403 forbidden', async () => {
    for (const [method, path] of [['POST', '/oauth/2026-03/token'], ['DELETE', '/appinstalls/2026-03/external-install'], ['GET', '/files/v3/files']] as const) {
      const res = await request(h.backend.app)[method === 'POST' ? 'post' : method === 'DELETE' ? 'delete' : 'get'](`/api/v1/hubspot${path}`).set('Authorization', `Bearer ${full.apiKey}`);
      expect(res.status).toBe(403);
      expect(res.body).toStrictEqual({ error: { code: 'forbidden', message: `${method} ${path} is not available through the Switchboard HubSpot proxy` } });
    }
  });

  it('when HubSpot answers a 4xx, then it is passed through', async () => {
    const missing = await proxy(full.apiKey).get('/crm/v3/objects/contacts/987654321');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('when HubSpot answers 429, then the caller gets that 429 and HubSpot saw exactly one call', async () => {
    const org = await connectNew();
    const since = await lastSeq();
    await h.client.setFaults({ forced429: 1 });
    const limited = await proxy(org.apiKey).get('/crm/v3/objects/contacts');
    expect(limited.status).toBe(429);
    expect((await hubspotCallsSince(since)).map((r) => r.status)).toStrictEqual([429]);
    expect((await h.client.faults()).forced429).toBe(0);
  });

  it('when HubSpot answers 502 on every attempt, then HubSpot did receive them and the caller gets 503 hubspot_unavailable, not the 502', async () => {
    // Its own portal: the HubSpot budget of a portal that just got a 429 would pause it, and the 503
    // would come from that pause instead of the 502s.
    const org = await connectNew();
    const since = await lastSeq();
    await h.client.setFaults({ apiFailures: { remaining: 10, status: 502 } });
    try {
      const down = await proxy(org.apiKey).get('/crm/v3/objects/contacts');
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('hubspot_unavailable');
      const calls = (await hubspotCallsSince(since)).map((r) => r.status);
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls).toStrictEqual(calls.map(() => 502));
      expect((await h.client.faults()).apiFailures.remaining).toBe(10 - calls.length);
    } finally {
      await h.client.clearFaults();
    }
  });

  it('when the organization is not connected or needs re-authorization, then it answers 404 install_not_found or 409 reinstall_required', async () => {
    const none = await createOrganization(h);
    expect((await proxy(none.apiKey).get('/crm/v3/objects/contacts')).body.error.code).toBe('install_not_found');
    const { portal } = await h.client.createPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portal.id);
    await h.client.uninstall(portal.id);
    const res = await proxy(org.apiKey).get('/crm/v3/objects/contacts');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('reinstall_required');
    expect((await proxy(org.apiKey).get('/crm/v3/objects/contacts')).status).toBe(409);
  });
});
