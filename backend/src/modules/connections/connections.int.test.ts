import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../hubspot/scopes.js';
import { submitConnectForm } from '../../../../test/support/connect-page.js';
import {
  connectWithOAuth,
  createInstallLink,
  createOrganization,
  dumpDatabase,
  issuedSecrets,
  leakedSecrets,
  startHubSpotHarness,
  type HubSpotHarness,
} from '../../../../test/support/hubspot-harness.js';

let h: HubSpotHarness;
const handedOut: string[] = [];

const api = (apiKey: string) => ({
  get: (path: string) => request(h.backend.app).get(path).set('Authorization', `Bearer ${apiKey}`),
  put: (path: string, body: object) => request(h.backend.app).put(path).set('Authorization', `Bearer ${apiKey}`).send(body),
  del: (path: string) => request(h.backend.app).delete(path).set('Authorization', `Bearer ${apiKey}`),
});
const history = async (organizationId: string) => (await h.backend.services.connections.listHistory(organizationId)).map((e) => e.event);
const vendorEvents = async (organizationId: string) =>
  (await h.backend.tdb.db.selectFrom('events').select(['type', 'data']).where('organization_id', '=', organizationId).orderBy('id').execute()).map((e) => ({ type: e.type, data: e.data }));
const newPortal = async () => (await h.client.createPortal()).portal.id;
const patFor = async (portalId: number) => {
  const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets', 'crm.objects.contacts.read'] });
  handedOut.push(pat.token);
  return pat.token;
};
const notConnected = {
  status: 'not_connected',
  auth: null,
  portalId: null,
  portalDomain: null,
  scopes: [],
  features: { companyContext: false, dealContext: false, conversationHandoff: false },
  actionRecommended: true,
  recommendedAction: 'connect',
  connectedBy: null,
  connectedAt: null,
  lastRefreshAt: null,
  lastError: null,
};

beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  const secrets = [...(await issuedSecrets(h)), ...handedOut];
  expect(leakedSecrets(await dumpDatabase(h), secrets)).toStrictEqual([]);
  expect(leakedSecrets(h.backend.logs.text(), secrets)).toStrictEqual([]);
  await h.stop();
});

describe('POST /api/v1/organizations', () => {
  it('when the admin key is missing or wrong, then it answers 401 unauthorized and creates nothing', async () => {
    const before = await h.backend.tdb.db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const missing = await request(h.backend.app).post('/api/v1/organizations').send({ name: 'X' });
    const wrong = await request(h.backend.app).post('/api/v1/organizations').set('Authorization', 'Bearer not-the-admin-key').send({ name: 'X' });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toStrictEqual({ error: { code: 'unauthorized', message: 'The admin API key is required (Authorization: Bearer <key>)' } });
    const after = await h.backend.tdb.db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('when an organization is created, then its key is shown once and stored only as a SHA-256 hash', async () => {
    const res = await request(h.backend.app).post('/api/v1/organizations').set('Authorization', `Bearer ${h.backend.config.adminApiKey}`).send({ name: 'Globex', oauthOnly: true });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({ id: expect.any(String), name: 'Globex', oauthOnly: true, apiKey: expect.stringMatching(/^sb_org_[A-Za-z0-9_-]{43}$/) });
    handedOut.push(res.body.apiKey as string);
    const me = await api(res.body.apiKey as string).get('/api/v1/organization');
    expect(me.body).toStrictEqual({ id: res.body.id, name: 'Globex', oauthOnly: true, createdAt: expect.any(String) });
    const row = await h.backend.tdb.db.selectFrom('organizations').selectAll().where('id', '=', res.body.id as string).executeTakeFirstOrThrow();
    expect(row.api_key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when the body is invalid, then it answers 400 invalid_body with every issue', async () => {
    const res = await request(h.backend.app).post('/api/v1/organizations').set('Authorization', `Bearer ${h.backend.config.adminApiKey}`).send({ name: '', color: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect((res.body.error.details as { path: string }[]).map((d) => d.path).sort()).toStrictEqual(['', 'name']);
  });
});

describe('GET /api/v1/connection', () => {
  it('when the organization key is missing, then it answers 401 unauthorized', async () => {
    const res = await request(h.backend.app).get('/api/v1/connection');
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ error: { code: 'unauthorized', message: 'A valid organization API key is required (Authorization: Bearer <key>)' } });
  });

  it('when the organization never connected, then it reports not_connected', async () => {
    const org = await createOrganization(h);
    const res = await api(org.apiKey).get('/api/v1/connection');
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual(notConnected);
  });
});

describe('PUT /api/v1/connection/private-app-token', () => {
  it('when the organization is OAuth-only, then it answers 403 oauth_only, never calls HubSpot and stores nothing', async () => {
    const org = await createOrganization(h, { oauthOnly: true });
    const token = await patFor(await newPortal());
    const since = (await h.client.requests()).at(-1)?.seq ?? 0;
    const res = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token });
    expect(res.status).toBe(403);
    expect(res.body).toStrictEqual({ error: { code: 'oauth_only', message: 'This organization is OAuth-only: connect HubSpot with the install link instead of a Private App token' } });
    expect(await h.client.requests({ since, path: '/account-info/2026-03/details' })).toStrictEqual([]);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toStrictEqual(notConnected);
  });

  it('when HubSpot rejects the token, then it answers 400 invalid_body naming the token and stores nothing', async () => {
    const org = await createOrganization(h);
    const res = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: 'pat-na1-00000000-0000-0000-0000-000000000000' });
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({ error: { code: 'invalid_body', message: 'HubSpot rejected this Private App token', details: [{ path: 'token', message: 'HubSpot answered 401/403 for this token' }] } });
    expect((await api(org.apiKey).get('/api/v1/connection')).body.status).toBe('not_connected');
  });

  it('when a valid token is stored, then the connection is private_app, sealed at rest, and migration is recommended', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    const token = await patFor(portalId);
    const res = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'connected', auth: 'private_app', portalId, scopes: [], actionRecommended: true, recommendedAction: 'migrate_to_oauth' });
    const row = await h.backend.tdb.db.selectFrom('hubspot_tokens').selectAll().where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    expect(row.kind).toBe('private_app');
    expect(row.access_token.includes(Buffer.from(token))).toBe(false);
    const call = await h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/account-info/v3/details' });
    expect(call.status).toBe(200);
    expect(await h.backend.services.connections.findByPortalId(portalId)).toStrictEqual({ organizationId: org.id, portalId, status: 'connected', auth: 'private_app', scopes: [] });
  });

  it('when the token belongs to another portal than the current Private App connection, then the switch needs confirmPortalChange', async () => {
    const org = await createOrganization(h);
    const first = await newPortal();
    const second = await newPortal();
    await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: await patFor(first) });
    const token = await patFor(second);

    const refused = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token });
    expect(refused.status).toBe(409);
    expect(refused.body).toStrictEqual({
      error: {
        code: 'invalid_transition',
        message: `This token belongs to HubSpot portal ${second}, but the organization is connected to portal ${first}. Switching portals must be confirmed.`,
        details: [{ path: 'confirmPortalChange', message: "Set to true to switch this organization to the token's portal" }],
      },
    });
    expect((await api(org.apiKey).get('/api/v1/connection')).body.portalId).toBe(first);

    const confirmed = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token, confirmPortalChange: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.portalId).toBe(second);
  });
});

describe('Private App → OAuth migration', () => {
  it('when the OAuth grant is for the Private App’s portal, then the token is retired and the organization, its settings, conversations and history are untouched', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h, { name: 'Migrating Co' });
    const pat = await patFor(portalId);
    await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: pat });
    const db = h.backend.tdb.db;
    await db.insertInto('organization_settings').values({ organization_id: org.id, pause_on_owner_change: false }).execute();
    await db.insertInto('conversations').values({ organization_id: org.id, external_id: 'chat-1', ticket_id: 1001, contact_id: 101, thread_id: null, contact_name: null, contact_email: null, thread_status: null }).execute();
    const snapshot = async () => ({
      organization: await db.selectFrom('organizations').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow(),
      settings: await db.selectFrom('organization_settings').selectAll().where('organization_id', '=', org.id).execute(),
      conversations: await db.selectFrom('conversations').selectAll().where('organization_id', '=', org.id).execute(),
      history: (await h.backend.services.connections.listHistory(org.id)).map((e) => ({ ...e })),
    });
    const before = await snapshot();

    const { response } = await connectWithOAuth(h, org, portalId);

    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/\?connected=1$/);
    const status = (await api(org.apiKey).get('/api/v1/connection')).body;
    expect(status).toMatchObject({ status: 'connected', auth: 'oauth', portalId, scopes: [...REQUIRED_SCOPES, ...OPTIONAL_SCOPES], actionRecommended: false, recommendedAction: null });
    const after = await snapshot();
    expect(after.organization).toStrictEqual(before.organization);
    expect(after.settings).toStrictEqual(before.settings);
    expect(after.conversations).toStrictEqual(before.conversations);
    expect(after.history.slice(0, before.history.length)).toStrictEqual(before.history);
    expect(after.history.map((e) => e.event)).toStrictEqual(['private_app_connected', 'migrated_to_oauth']);
    expect(await vendorEvents(org.id)).toStrictEqual([
      { type: 'connection.connected', data: { portalId: String(portalId), auth: 'private_app' } },
      { type: 'connection.connected', data: { portalId: String(portalId), auth: 'oauth', previousAuth: 'private_app' } },
    ]);
    // The Private App token is retired: gone from the vault, and HubSpot calls use the OAuth token
    // even once the Private App is deleted in HubSpot.
    expect((await h.backend.services.tokens.open(org.id))?.kind).toBe('oauth');
    await h.client.revokePrivateAppToken(pat);
    expect((await h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/account-info/v3/details' })).status).toBe(200);
  });

  it('when the OAuth grant is for a different portal, then nothing changes until the admin confirms on the connection page', async () => {
    const patPortal = await newPortal();
    const oauthPortal = await newPortal();
    const org = await createOrganization(h);
    await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: await patFor(patPortal) });

    const { linkToken, response } = await connectWithOAuth(h, org, oauthPortal);

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/connect/${linkToken}`);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ status: 'connected', auth: 'private_app', portalId: patPortal });
    const page = await request(h.backend.app).get(`/connect/${linkToken}`);
    expect(page.text).toContain(`Switch to portal ${oauthPortal}`);
    const pendingId = /name="pending" value="([0-9a-f-]{36})"/.exec(page.text)![1]!;

    const confirm = await submitConnectForm(h.backend.app, linkToken, 'confirm', { pending: pendingId });

    expect(confirm.status).toBe(303);
    expect(confirm.headers.location).toBe(`/connect/${linkToken}?connected=1`);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ status: 'connected', auth: 'oauth', portalId: oauthPortal });
    expect(await history(org.id)).toStrictEqual(['private_app_connected', 'migrated_to_oauth']);
    const replay = await submitConnectForm(h.backend.app, linkToken, 'confirm', { pending: pendingId });
    expect(replay.status).toBe(404);
  });

  it('when the admin keeps the old portal, then the pending grant is dropped and revoked', async () => {
    const patPortal = await newPortal();
    const oauthPortal = await newPortal();
    const org = await createOrganization(h);
    await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: await patFor(patPortal) });
    const { linkToken } = await connectWithOAuth(h, org, oauthPortal);
    const page = await request(h.backend.app).get(`/connect/${linkToken}`);
    const pendingId = /name="pending" value="([0-9a-f-]{36})"/.exec(page.text)![1]!;

    const cancel = await submitConnectForm(h.backend.app, linkToken, 'cancel', { pending: pendingId });

    expect(cancel.status).toBe(303);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ auth: 'private_app', portalId: patPortal });
    expect((await h.client.tokens(oauthPortal)).refreshTokens.every((t) => t.revoked)).toBe(true);
    expect(await h.backend.tdb.db.selectFrom('pending_installs').select('id').where('organization_id', '=', org.id).execute()).toStrictEqual([]);
  });
});

describe('rollback to the Private App', () => {
  it('when an OAuth organization sends a Private App token without confirmRollback, then it answers 409 and keeps OAuth; with it, the OAuth grant is revoked', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);
    const token = await patFor(portalId);

    const refused = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toStrictEqual({
      code: 'invalid_transition',
      message: 'This organization is connected with OAuth. Rolling back to a Private App token must be confirmed.',
      details: [{ path: 'confirmRollback', message: 'Set to true to replace the OAuth connection with this Private App token' }],
    });
    expect((await api(org.apiKey).get('/api/v1/connection')).body.auth).toBe('oauth');

    const rolledBack = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token, confirmRollback: true });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ status: 'connected', auth: 'private_app', portalId, actionRecommended: true });
    expect((await h.client.tokens(portalId)).refreshTokens.every((t) => t.revoked)).toBe(true);
    expect(await history(org.id)).toStrictEqual(['connected', 'rolled_back_to_private_app']);
  });

  it('when an OAuth-only organization tries to roll back, then it answers 403 oauth_only and stays on OAuth', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h, { oauthOnly: true });
    await connectWithOAuth(h, org, portalId);
    const res = await api(org.apiKey).put('/api/v1/connection/private-app-token', { token: await patFor(portalId), confirmRollback: true });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('oauth_only');
    expect((await api(org.apiKey).get('/api/v1/connection')).body.auth).toBe('oauth');
    expect((await h.backend.services.tokens.open(org.id))?.kind).toBe('oauth');
  });
});

describe('DELETE /api/v1/connection', () => {
  it('when the organization never connected, then it answers 404 install_not_found', async () => {
    const org = await createOrganization(h);
    const res = await api(org.apiKey).del('/api/v1/connection');
    expect(res.status).toBe(404);
    expect(res.body).toStrictEqual({ error: { code: 'install_not_found', message: 'This organization has no HubSpot connection' } });
  });

  it('when an OAuth connection is disconnected with uninstall, then the app is uninstalled, the grant revoked, the tokens forgotten; a new install link restores it', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);

    const res = await api(org.apiKey).del('/api/v1/connection?uninstall=true');

    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      connection: { ...notConnected, status: 'disconnected', auth: 'oauth', portalId, portalDomain: expect.any(String), connectedBy: expect.any(String), connectedAt: expect.any(String) },
      tokenRevoked: true,
      appUninstalled: true,
    });
    expect((await h.client.uninstalls()).filter((u) => u.portalId === portalId)).toMatchObject([{ via: 'api' }]);
    expect((await h.client.tokens(portalId)).refreshTokens.every((t) => t.revoked)).toBe(true);
    expect(await h.backend.services.tokens.open(org.id)).toBeUndefined();
    expect((await vendorEvents(org.id)).map((e) => e.type)).toStrictEqual(['connection.connected', 'connection.disconnected']);

    const again = await api(org.apiKey).del('/api/v1/connection');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ tokenRevoked: false, appUninstalled: false });

    const { response } = await connectWithOAuth(h, org, portalId);
    expect(response.status).toBe(303);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ status: 'connected', auth: 'oauth', portalId });
    expect(await history(org.id)).toStrictEqual(['connected', 'disconnected', 'connected']);
  });

  it('when a needs_reauth organization re-authorizes through a new install link, then it is connected again on the same organization', async () => {
    const portalId = await newPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);
    await h.client.uninstall(portalId);
    const err = await h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/crm/v3/objects/contacts' }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('reinstall_required');
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ status: 'needs_reauth', lastError: { message: expect.stringMatching(/invalid_grant/) } });

    const { response } = await connectWithOAuth(h, org, portalId);

    expect(response.status).toBe(303);
    expect((await api(org.apiKey).get('/api/v1/connection')).body).toMatchObject({ status: 'connected', lastError: null });
    expect((await h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/crm/v3/objects/contacts' })).status).toBe(200);
    expect(await history(org.id)).toStrictEqual(['connected', 'needs_reauth', 'reconnected']);
  });
});

describe('tenant isolation', () => {
  it('when organization A uses its key, then it only ever reads and changes its own connection', async () => {
    const portalA = await newPortal();
    const portalB = await newPortal();
    const orgA = await createOrganization(h, { name: 'Tenant A' });
    const orgB = await createOrganization(h, { name: 'Tenant B' });
    await connectWithOAuth(h, orgA, portalA);
    await connectWithOAuth(h, orgB, portalB);
    const bBefore = (await api(orgB.apiKey).get('/api/v1/connection')).body;

    expect((await api(orgA.apiKey).get('/api/v1/connection')).body.portalId).toBe(portalA);
    expect((await api(orgA.apiKey).get('/api/v1/organization')).body.id).toBe(orgA.id);
    expect((await api(orgA.apiKey).get('/api/v1/connection/history')).body.history.every((e: { portalId: number }) => e.portalId === portalA)).toBe(true);
    // A's install link connects A, whatever portal is approved.
    const linkA = await createInstallLink(h, orgA.apiKey);
    expect(linkA.token).not.toBe('');
    // A's proxy call reaches A's portal only.
    const since = (await h.client.requests()).at(-1)?.seq ?? 0;
    expect((await api(orgA.apiKey).get('/api/v1/hubspot/crm/v3/objects/contacts')).status).toBe(200);
    expect((await h.client.requests({ since, path: '/crm/v3/objects/contacts' })).map((r) => r.portalId)).toStrictEqual([portalA]);
    // A's Private App token for B's portal is refused, not moved.
    const stolen = await api(orgA.apiKey).put('/api/v1/connection/private-app-token', { token: await patFor(portalB), confirmRollback: true, confirmPortalChange: true });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('portal_conflict');
    // A disconnects: B is untouched.
    expect((await api(orgA.apiKey).del('/api/v1/connection')).status).toBe(200);
    expect((await api(orgB.apiKey).get('/api/v1/connection')).body).toStrictEqual(bBefore);
    expect((await h.backend.services.hubspot.request(orgB.id, { method: 'GET', path: '/account-info/v3/details' })).status).toBe(200);
  });
});
