import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ManualClock } from '../../platform/clock.js';
import {
  callback,
  consent,
  connectWithOAuth,
  createInstallLink,
  createOrganization,
  dumpDatabase,
  issuedSecrets,
  leakedSecrets,
  startHubSpotHarness,
  startInstall,
  TEST_PUBLIC_BASE_URL,
  type HubSpotHarness,
} from '../../../../test/support/hubspot-harness.js';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../hubspot/scopes.js';

const DEMO_PORTAL = 62515;
const stateInvalidBody = {
  error: { code: 'install_state_invalid', message: 'This HubSpot sign-in attempt is invalid, expired or already used. Start again from your connection link.' },
};

let h: HubSpotHarness;
let clock: ManualClock;
const handedOut: string[] = [];

const count = async (table: 'connections' | 'hubspot_tokens' | 'pending_installs', organizationId?: string) => {
  let q = h.backend.tdb.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const codeExchanges = async (portalId: number) => (await h.client.portalCounters(portalId).catch(() => ({ codeExchanges: 0 }))).codeExchanges;
const status = async (apiKey: string) => (await request(h.backend.app).get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)).body as Record<string, unknown>;

beforeAll(async () => {
  h = await startHubSpotHarness({ backend: { manualClockAt: Date.now() } });
  clock = h.backend.clock as ManualClock;
});
afterAll(async () => {
  // Whole-file secret scan: no token, state, link token or API key in the database or in any log line.
  const secrets = [...(await issuedSecrets(h)), ...handedOut];
  expect(leakedSecrets(await dumpDatabase(h), secrets)).toStrictEqual([]);
  expect(leakedSecrets(h.backend.logs.text(), secrets)).toStrictEqual([]);
  await h.stop();
});

describe('GET /oauth/callback', () => {
  it('when the state was tampered with, then it answers 400 install_state_invalid, never exchanges the code and stores nothing', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    handedOut.push(org.apiKey, link.token);
    const started = await startInstall(h, link.token);
    const redirect = await consent(started.authorizeUrl, { portalId: DEMO_PORTAL });
    const state = redirect.searchParams.get('state')!;
    redirect.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
    const before = await codeExchanges(DEMO_PORTAL);

    const res = await callback(h, redirect, started.cookie);

    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual(stateInvalidBody);
    expect(await codeExchanges(DEMO_PORTAL)).toBe(before);
    expect(await count('connections', org.id)).toBe(0);
    expect(await count('hubspot_tokens', org.id)).toBe(0);
  });

  it('when the state is missing its browser cookie, then it is refused and nothing is stored', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const started = await startInstall(h, link.token);
    const redirect = await consent(started.authorizeUrl, { portalId: DEMO_PORTAL });

    const res = await callback(h, redirect);

    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual(stateInvalidBody);
    expect(await count('connections', org.id)).toBe(0);
  });

  it('when the state has expired (over 10 minutes), then it is refused and nothing is stored', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const started = await startInstall(h, link.token);
    const redirect = await consent(started.authorizeUrl, { portalId: DEMO_PORTAL });
    clock.advance(10 * 60_000 + 1_000);
    const before = await codeExchanges(DEMO_PORTAL);

    const res = await callback(h, redirect, started.cookie);

    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual(stateInvalidBody);
    expect(await codeExchanges(DEMO_PORTAL)).toBe(before);
    expect(await count('connections', org.id)).toBe(0);
  });

  it('when the state belongs to another organization’s attempt, then it is refused, nothing is stored, and that attempt still works in its own browser', async () => {
    const { portal } = await h.client.createPortal({ name: 'Cross-org portal' });
    const orgA = await createOrganization(h, { name: 'Org A' });
    const orgB = await createOrganization(h, { name: 'Org B' });
    const startedA = await startInstall(h, (await createInstallLink(h, orgA.apiKey)).token);
    const startedB = await startInstall(h, (await createInstallLink(h, orgB.apiKey)).token);
    const redirectB = await consent(startedB.authorizeUrl, { portalId: portal.id });

    // Org B's state and code, delivered to org A's browser (login CSRF).
    const refused = await callback(h, redirectB, startedA.cookie);

    expect(refused.status).toBe(400);
    expect(refused.body).toStrictEqual(stateInvalidBody);
    expect(await count('connections', orgA.id)).toBe(0);
    expect(await count('connections', orgB.id)).toBe(0);
    expect(await codeExchanges(portal.id)).toBe(0);

    const accepted = await callback(h, redirectB, startedB.cookie);
    expect(accepted.status).toBe(303);
    expect((await status(orgB.apiKey)).portalId).toBe(portal.id);
    expect(await count('connections', orgA.id)).toBe(0);
  });

  it('when the full install runs from the link through consent, then the organization is connected with hub id, scopes and approver stored and the page says "HubSpot connected"', async () => {
    const { portal, superAdmin } = await h.client.createPortal({ name: 'Acme', domain: 'acme.example.com' });
    const org = await createOrganization(h, { name: 'Acme Support' });
    const link = await createInstallLink(h, org.apiKey);
    expect(link.url).toMatch(new RegExp(`^${TEST_PUBLIC_BASE_URL}/connect/sb_link_[A-Za-z0-9_-]{43}$`));

    const started = await startInstall(h, link.token);
    expect(started.authorizeUrl.origin + started.authorizeUrl.pathname).toBe(`${h.emulator.url}/oauth/authorize`);
    expect(Object.fromEntries(started.authorizeUrl.searchParams)).toStrictEqual({
      client_id: h.emulator.app.clientId,
      redirect_uri: `${TEST_PUBLIC_BASE_URL}/oauth/callback`,
      scope: REQUIRED_SCOPES.join(' '),
      optional_scope: OPTIONAL_SCOPES.join(' '),
      state: expect.stringMatching(/^sb_state_/),
    });
    expect(started.authorizeUrl.search).toContain('scope=oauth%20tickets');
    expect(started.cookie).toMatch(/^sb_oauth_binding=/);

    const redirect = await consent(started.authorizeUrl, { portalId: portal.id });
    const res = await callback(h, redirect, started.cookie);

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/connect/${link.token}?connected=1`);
    expect(String(res.headers['set-cookie'])).toContain('sb_oauth_binding=; Path=/oauth; Max-Age=0');
    const body = await status(org.apiKey);
    expect(body).toStrictEqual({
      status: 'connected',
      auth: 'oauth',
      portalId: portal.id,
      portalDomain: 'acme.example.com',
      scopes: [...REQUIRED_SCOPES, ...OPTIONAL_SCOPES],
      features: { companyContext: true, dealContext: true, conversationHandoff: true },
      actionRecommended: false,
      recommendedAction: null,
      connectedBy: superAdmin.email,
      connectedAt: new Date(clock.now()).toISOString(),
      lastRefreshAt: new Date(clock.now()).toISOString(),
      lastError: null,
    });
    const row = await h.backend.tdb.db.selectFrom('hubspot_tokens').selectAll().where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    const issued = (await h.client.tokens(portal.id)).accessTokens[0]!.token;
    expect(row.portal_id).toBe(portal.id);
    expect(row.access_token.includes(Buffer.from(issued))).toBe(false);
    expect(await h.backend.services.tokens.getAccessToken(org.id)).toBe(issued);
    expect(await codeExchanges(portal.id)).toBe(1);

    const page = await request(h.backend.app).get(res.headers.location as string).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('HubSpot connected');
    expect(page.text).toContain('Acme Support');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('when the same callback is replayed, then the used state is refused and the stored connection is untouched', async () => {
    const { portal } = await h.client.createPortal();
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const started = await startInstall(h, link.token);
    const redirect = await consent(started.authorizeUrl, { portalId: portal.id });
    expect((await callback(h, redirect, started.cookie)).status).toBe(303);
    const tokenBefore = await h.backend.services.tokens.getAccessToken(org.id);

    const replay = await callback(h, redirect, started.cookie);

    expect(replay.status).toBe(400);
    expect(replay.body).toStrictEqual(stateInvalidBody);
    expect(await codeExchanges(portal.id)).toBe(1);
    expect(await h.backend.services.tokens.getAccessToken(org.id)).toBe(tokenBefore);
  });

  it('when the installer declines the optional scopes, then only the required ones are stored and the optional features are off', async () => {
    const { portal } = await h.client.createPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portal.id, { optionalScopes: [] });
    const body = await status(org.apiKey);
    expect(body.scopes).toStrictEqual([...REQUIRED_SCOPES]);
    expect(body.features).toStrictEqual({ companyContext: false, dealContext: false, conversationHandoff: false });
  });

  it('when the installer cancels on the consent page, then it answers 403 forbidden and stores nothing; a browser gets an HTML page', async () => {
    const org = await createOrganization(h);
    const link = await createInstallLink(h, org.apiKey);
    const started = await startInstall(h, link.token);
    const redirect = await consent(started.authorizeUrl, { portalId: DEMO_PORTAL, cancel: true });
    expect(redirect.searchParams.get('error')).toBe('access_denied');

    const res = await callback(h, redirect, started.cookie);
    expect(res.status).toBe(403);
    expect(res.body).toStrictEqual({ error: { code: 'forbidden', message: 'HubSpot did not grant access: The user declined to connect the app. Start again from your connection link.' } });
    const page = await callback(h, redirect, started.cookie).set('Accept', 'text/html');
    expect(page.status).toBe(403);
    expect(page.text).toContain('HubSpot did not grant access');
    expect(await count('connections', org.id)).toBe(0);
  });

  it('when a portal is already connected to another organization, then it answers 409 portal_conflict and nothing moves', async () => {
    const { portal } = await h.client.createPortal();
    const orgA = await createOrganization(h);
    const orgB = await createOrganization(h);
    await connectWithOAuth(h, orgA, portal.id);

    const { response } = await connectWithOAuth(h, orgB, portal.id);

    expect(response.status).toBe(409);
    expect(response.body).toStrictEqual({
      error: { code: 'portal_conflict', message: `HubSpot portal ${portal.id} is already connected to another organization. Disconnect it there first; a portal can belong to only one organization.` },
    });
    expect(await count('connections', orgB.id)).toBe(0);
    expect(await count('hubspot_tokens', orgB.id)).toBe(0);
    expect((await status(orgA.apiKey)).portalId).toBe(portal.id);
  });

  it('when an organization reconnects approving a different portal, then it switches to that portal and the old grant is revoked', async () => {
    const first = (await h.client.createPortal()).portal;
    const second = (await h.client.createPortal()).portal;
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, first.id);
    const oldRefresh = (await h.client.tokens(first.id)).refreshTokens[0]!;

    const { response } = await connectWithOAuth(h, org, second.id);

    expect(response.status).toBe(303);
    expect((await status(org.apiKey)).portalId).toBe(second.id);
    const after = (await h.client.tokens(first.id)).refreshTokens.find((t) => t.token === oldRefresh.token)!;
    expect(after.revoked).toBe(true);
    const history = await h.backend.services.connections.listHistory(org.id);
    expect(history.map((e) => e.event)).toStrictEqual(['connected', 'portal_changed']);
  });
});

describe('HubSpot-initiated install (no state)', () => {
  it('when HubSpot re-installs a portal an organization already holds, then that organization’s tokens are renewed', async () => {
    const { portal } = await h.client.createPortal();
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portal.id);
    const before = await h.backend.services.tokens.getAccessToken(org.id);
    const result = await h.client.authorize({ redirectUri: `${TEST_PUBLIC_BASE_URL}/oauth/callback`, portalId: portal.id });

    const cb = await callback(h, new URL(result.location)).set('Accept', 'text/html');

    expect(cb.status).toBe(200);
    expect(cb.text).toContain('connected again');
    expect(await h.backend.services.tokens.getAccessToken(org.id)).not.toBe(before);
  });
});

describe('purgeExpired (hourly job)', () => {
  it('when an unclaimed install is never claimed, then after 24 hours it is deleted and its grant revoked at HubSpot', async () => {
    const { portal } = await h.client.createPortal();
    const result = await h.client.authorize({ redirectUri: `${TEST_PUBLIC_BASE_URL}/oauth/callback`, portalId: portal.id });
    expect((await callback(h, new URL(result.location))).status).toBe(200);
    clock.advance(24 * 3600_000 + 1_000);

    const purged = await h.backend.services.installs.purgeExpired();

    expect(purged.pendingInstalls).toBeGreaterThanOrEqual(1);
    expect((await h.client.tokens(portal.id)).refreshTokens.every((t) => t.revoked)).toBe(true);
    expect(await h.backend.tdb.db.selectFrom('pending_installs').select('id').where('portal_id', '=', portal.id).execute()).toStrictEqual([]);
  });
});

describe('POST /api/v1/install-links', () => {
  it('when the organization key is missing or wrong, then it answers 401 unauthorized and creates nothing', async () => {
    const res = await request(h.backend.app).post('/api/v1/install-links').send({});
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ error: { code: 'unauthorized', message: 'A valid organization API key is required (Authorization: Bearer <key>)' } });
    const wrong = await request(h.backend.app).post('/api/v1/install-links').set('Authorization', 'Bearer sb_org_nope').send({});
    expect(wrong.status).toBe(401);
  });

  it('when the body has unknown fields, then it answers 400 invalid_body', async () => {
    const org = await createOrganization(h);
    const res = await request(h.backend.app).post('/api/v1/install-links').set('Authorization', `Bearer ${org.apiKey}`).send({ expiresInHours: 2, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
  });

  it('when a link has expired, then the install start and the connection page answer 404 install_link_invalid', async () => {
    const org = await createOrganization(h);
    const res = await request(h.backend.app).post('/api/v1/install-links').set('Authorization', `Bearer ${org.apiKey}`).send({ expiresInHours: 1 });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(new Date(clock.now() + 3600_000).toISOString());
    const token = (res.body.url as string).split('/connect/')[1]!;
    clock.advance(3600_000 + 1);

    const start = await request(h.backend.app).get('/oauth/install').query({ link: token });
    expect(start.status).toBe(404);
    expect(start.body).toStrictEqual({ error: { code: 'install_link_invalid', message: 'This connection link is invalid or has expired. Ask for a new link.' } });
    const page = await request(h.backend.app).get(`/connect/${token}`).set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('invalid or has expired');
  });
});
