import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ManualClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { connectWithOAuth, createOrganization, dumpDatabase, issuedSecrets, leakedSecrets, startHubSpotHarness, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';
import { eventually } from '../../../../test/support/eventually.js';

let h: HubSpotHarness;
let clock: ManualClock;

const LIFETIME_MS = 1800_000;
const MARGIN_MS = 300_000;

/** A connected organization on its own portal. */
async function connectedOrg() {
  const { portal } = await h.client.createPortal();
  const org = await createOrganization(h);
  const { response } = await connectWithOAuth(h, org, portal.id);
  expect(response.status).toBe(303);
  return { org, portalId: portal.id };
}
const tokenCalls = async (since: number) => (await h.client.requests({ method: 'POST', path: '/oauth/2026-03/token', since })).length;
const lastSeq = async () => (await h.client.requests()).at(-1)?.seq ?? 0;
const exchanges = async (portalId: number) => (await h.client.portalCounters(portalId)).tokenExchanges;
const caught = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};
const vendorEvents = async (organizationId: string) =>
  (await h.backend.tdb.db.selectFrom('events').select(['type', 'data']).where('organization_id', '=', organizationId).orderBy('id').execute()).map((e) => ({ type: e.type, data: e.data }));
const history = async (organizationId: string) => (await h.backend.services.connections.listHistory(organizationId)).map((e) => e.event);
/** True when HubSpot (the emulator) accepts the token on an API call. */
const worksAtHubSpot = async (token: string) => (await fetch(`${h.emulator.url}/account-info/v3/details`, { headers: { authorization: `Bearer ${token}` } })).status === 200;

beforeAll(async () => {
  h = await startHubSpotHarness({ backend: { manualClockAt: Date.now(), workers: true } });
  clock = h.backend.clock as ManualClock;
});
afterAll(async () => {
  const secrets = await issuedSecrets(h);
  expect(leakedSecrets(await dumpDatabase(h), secrets)).toStrictEqual([]);
  expect(leakedSecrets(h.backend.logs.text(), secrets)).toStrictEqual([]);
  await h.stop();
});

describe('getAccessToken', () => {
  it('when the organization never connected, then it throws install_not_found', async () => {
    const org = await createOrganization(h);
    const err = await caught(h.backend.services.tokens.getAccessToken(org.id));
    expect(err.code).toBe('install_not_found');
  });

  it('when the token is fresh, then it is returned without calling HubSpot', async () => {
    const { org, portalId } = await connectedOrg();
    const before = await exchanges(portalId);
    const token = await h.backend.services.tokens.getAccessToken(org.id);
    expect(await worksAtHubSpot(token)).toBe(true);
    expect(await exchanges(portalId)).toBe(before);
  });

  it('when the token enters the refresh margin, then 50 concurrent callers cause one exchange and all get the same working token', async () => {
    const { org, portalId } = await connectedOrg();
    const old = await h.backend.services.tokens.getAccessToken(org.id);
    const before = await exchanges(portalId);
    clock.advance(LIFETIME_MS - MARGIN_MS + 1_000);

    const tokens = await Promise.all(Array.from({ length: 50 }, () => h.backend.services.tokens.getAccessToken(org.id)));

    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(old);
    expect(await worksAtHubSpot(tokens[0]!)).toBe(true);
    expect(await exchanges(portalId)).toBe(before + 1);
    const status = await h.backend.services.connections.getStatus(org.id);
    expect(status.lastRefreshAt).toStrictEqual(new Date(clock.now()));
  });

  it('when HubSpot rotates the refresh token, then the new one is saved and the next refresh works', async () => {
    const { org } = await connectedOrg();
    await h.client.updateSettings({ refreshTokenRotation: true });
    try {
      clock.advance(LIFETIME_MS);
      const first = await h.backend.services.tokens.getAccessToken(org.id);
      clock.advance(LIFETIME_MS);
      const second = await h.backend.services.tokens.getAccessToken(org.id);
      expect(second).not.toBe(first);
      expect(await worksAtHubSpot(second)).toBe(true);
      expect((await h.backend.services.connections.getStatus(org.id)).status).toBe('connected');
      expect(h.backend.logs.records().some((r) => r.msg === 'access token refreshed' && r.rotated === true)).toBe(true);
    } finally {
      await h.client.updateSettings({ refreshTokenRotation: false });
    }
  });

  it('when the emulator revokes the portal’s tokens, then the next refresh marks needs_reauth exactly once and later callers never reach HubSpot', async () => {
    const { org, portalId } = await connectedOrg();
    await h.client.revokePortalTokens(portalId);
    clock.advance(LIFETIME_MS);
    const since = await lastSeq();

    const errors = await Promise.all(Array.from({ length: 20 }, () => caught(h.backend.services.tokens.getAccessToken(org.id))));

    expect(new Set(errors.map((e) => e.code))).toStrictEqual(new Set(['reinstall_required']));
    expect(await tokenCalls(since)).toBe(1);
    expect((await history(org.id)).filter((e) => e === 'needs_reauth')).toHaveLength(1);
    const status = await h.backend.services.connections.getStatus(org.id);
    expect(status.status).toBe('needs_reauth');
    expect(status.actionRecommended).toBe(true);
    expect(status.recommendedAction).toBe('reconnect');
    expect(status.lastError?.message).toMatch(/invalid_grant/);
    expect(await h.backend.services.connections.findByPortalId(portalId)).toMatchObject({ organizationId: org.id, status: 'needs_reauth', auth: 'oauth' });

    const again = await caught(h.backend.services.tokens.getAccessToken(org.id));
    expect(again.code).toBe('reinstall_required');
    expect(await tokenCalls(since)).toBe(1);
    expect((await history(org.id)).filter((e) => e === 'needs_reauth')).toHaveLength(1);
    expect(await vendorEvents(org.id)).toStrictEqual([
      { type: 'connection.connected', data: { portalId: String(portalId), auth: 'oauth' } },
      { type: 'connection.needs_reauth', data: { portalId: String(portalId), auth: 'oauth', reason: status.lastError!.message } },
    ]);
  });

  it('when the token endpoint answers a 5xx storm, then the connection stays connected, callers back off, and it recovers when the storm ends', async () => {
    const { org, portalId } = await connectedOrg();
    clock.advance(LIFETIME_MS);
    await h.client.setFaults({ tokenFailures: { remaining: 5, mode: 'error', status: 503 } });
    const since = await lastSeq();

    const first = await caught(h.backend.services.tokens.getAccessToken(org.id));
    expect(first.code).toBe('hubspot_unavailable');
    expect(first.retryAfterSeconds).toBe(15);
    expect(await tokenCalls(since)).toBe(3);
    let status = await h.backend.services.connections.getStatus(org.id);
    expect(status.status).toBe('connected');
    expect(status.lastError?.message).toBe('Refresh failed: HubSpot is unavailable or rate-limiting; try again shortly');

    // Inside the cooldown nobody calls HubSpot.
    const second = await caught(h.backend.services.tokens.getAccessToken(org.id));
    expect(second.code).toBe('hubspot_unavailable');
    expect(await tokenCalls(since)).toBe(3);

    clock.advance(15_001);
    const token = await h.backend.services.tokens.getAccessToken(org.id);
    expect(await worksAtHubSpot(token)).toBe(true);
    expect(await tokenCalls(since)).toBe(6);
    status = await h.backend.services.connections.getStatus(org.id);
    expect(status.status).toBe('connected');
    expect(status.lastError).toBeNull();
    expect(await history(org.id)).not.toContain('needs_reauth');
    expect((await vendorEvents(org.id)).map((e) => e.type)).toStrictEqual(['connection.connected']);
    expect((await h.client.faults()).tokenFailures.remaining).toBe(0);
    expect(await exchanges(portalId)).toBeGreaterThan(0);
  });

  it('when a transient failure hits while the old token still works, then callers keep the old token', async () => {
    const { org } = await connectedOrg();
    const old = await h.backend.services.tokens.getAccessToken(org.id);
    clock.advance(LIFETIME_MS - MARGIN_MS + 1_000);
    await h.client.setFaults({ tokenFailures: { remaining: 3, mode: 'error', status: 502 } });
    expect(await h.backend.services.tokens.getAccessToken(org.id)).toBe(old);
    expect((await h.backend.services.connections.getStatus(org.id)).status).toBe('connected');
  });
});

describe('a refresh whose answer is lost', () => {
  it('when HubSpot makes the exchange but its answer does not come within the grant timeout, then the same round asks again: one refresh logged, two exchanges counted, every caller gets the answer that came', async () => {
    const { org, portalId } = await connectedOrg();
    clock.advance(LIFETIME_MS);
    const before = await exchanges(portalId);
    const logsBefore = h.backend.logs.lines().length;
    // The grant is made; its answer is held far past the vault's grant timeout (never sent in this test).
    await h.client.setFaults({ tokenFailures: { remaining: 1, mode: 'late', hangMs: 60_000 } });

    const tokens = await Promise.all(Array.from({ length: 10 }, () => h.backend.services.tokens.getAccessToken(org.id)));

    expect(new Set(tokens).size).toBe(1);
    expect(await worksAtHubSpot(tokens[0]!)).toBe(true);
    // HubSpot's refresh tokens stay valid after use, so asking again is the way to get a token; the
    // first exchange's access token is never seen, and HubSpot counted both exchanges.
    expect(await exchanges(portalId)).toBe(before + 2);
    const refreshes = await h.backend.services.tokens.listRecentRefreshes(org.id, 10);
    expect(refreshes.map((r) => ({ trigger: r.trigger, outcome: r.outcome }))).toStrictEqual([{ trigger: 'due', outcome: 'refreshed' }]);
    // The round's first attempt gave up waiting; its second was answered.
    const tokenCalls = h.backend.logs
      .records()
      .slice(logsBefore)
      .filter((r) => r.path === '/oauth/2026-03/token')
      .map((r) => ({ msg: r.msg, timedOut: r.timedOut, status: r.status }));
    expect(tokenCalls).toStrictEqual([
      { msg: 'hubspot call failed', timedOut: true, status: undefined },
      { msg: 'hubspot call', timedOut: undefined, status: 200 },
    ]);
  });
});

describe('HubSpot API calls (services.hubspot.request)', () => {
  it('when HubSpot says the access token expired, then the vault refreshes it and the call is retried once', async () => {
    const { org } = await connectedOrg();
    const old = await h.backend.services.tokens.getAccessToken(org.id);
    await h.client.expireAccessToken(old);

    const res = await h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/account-info/v3/details' });

    expect(res.status).toBe(200);
    const fresh = await h.backend.services.tokens.getAccessToken(org.id);
    expect(fresh).not.toBe(old);
    expect((await h.backend.services.connections.getStatus(org.id)).status).toBe('connected');
  });

  it('when the app was uninstalled in HubSpot, then the 401 marks the connection needs_reauth and the call fails with reinstall_required', async () => {
    const { org, portalId } = await connectedOrg();
    await h.client.uninstall(portalId);

    const err = await caught(h.backend.services.hubspot.request(org.id, { method: 'GET', path: '/crm/v3/objects/contacts' }));

    expect(err.code).toBe('reinstall_required');
    expect((await h.backend.services.connections.getStatus(org.id)).status).toBe('needs_reauth');
    expect((await history(org.id)).filter((e) => e === 'needs_reauth')).toHaveLength(1);
  });
});

describe('daily refresh job', () => {
  it('when a grant has been idle for 20 hours, then the scheduled job refreshes it, and a dead one is marked needs_reauth early', async () => {
    const live = await connectedOrg();
    const dead = await connectedOrg();
    await h.client.revokePortalTokens(dead.portalId);
    const before = await exchanges(live.portalId);
    clock.advance(21 * 3600_000);
    const refreshAll = h.backend.jobDefinitions.find((j) => j.queue === 'tokens-refresh-all')!;

    await h.backend.jobs.send(refreshAll, {} as never);

    // Waits on the stored state it asserts: HubSpot counting the exchange comes before our commit.
    await eventually(async () => (await h.backend.services.connections.getStatus(live.org.id)).lastRefreshAt?.getTime() === clock.now(), { timeoutMs: 20_000 });
    await eventually(async () => (await h.backend.services.connections.getStatus(dead.org.id)).status === 'needs_reauth', { timeoutMs: 20_000 });
    expect(await exchanges(live.portalId)).toBe(before + 1);
    expect(await h.backend.services.tokens.listDueForRefresh(20 * 3600_000)).not.toContain(live.org.id);
  });
});
