import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createEmulatorClient, type EmulatorClient } from '../../../emulator/client.js';
import { createEmulator, type Emulator } from '../../../emulator/src/emulator.js';
import { captureLogs } from '../../../test/support/capture-logs.js';
import { eventually } from '../../../test/support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import { createDb, type Db } from '../db/database.js';
import { AppError } from '../platform/errors.js';
import type { BudgetLimits } from './budget-plan.js';
import { createBudgetStore } from './budget-store.js';
import { createHubSpotBudget } from './budget.js';
import { createHubSpotHttp, type HubSpotHttp, type HubSpotLane } from './http.js';

// HubSpot's 110 per 10 s, scaled down so a test sees several windows in a few seconds.
const LIMITS: BudgetLimits = { maxCalls: 20, windowMs: 1_000, interactiveReserve: 4, marginMs: 0, horizonMs: 100, inFlightMaxMs: 5_000 };

let tdb: TestDatabase;
let emu: Emulator;
let hub: EmulatorClient;
let portalId: number;
let token: string;
const pools: Db[] = [];
const logs = captureLogs('info');

/**
 * One "process": its own connection pool, budget and HTTP layer, sharing only the database with the
 * others (the real cross-process run is test/e2e/multi-process.e2e.test.ts).
 */
function startProcess(limits: BudgetLimits = LIMITS): HubSpotHttp {
  const { db } = createDb(tdb.url, { max: 2, applicationName: 'budget-test' });
  pools.push(db);
  const budget = createHubSpotBudget({ store: createBudgetStore(db), limits, log: logs.log });
  return createHubSpotHttp({
    baseUrl: emu.url,
    log: logs.log,
    budget,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
    interactiveDeadlineMs: 20_000,
  });
}

const get = (http: HubSpotHttp, lane: HubSpotLane, extra: { deadlineAt?: number; path?: string } = {}) =>
  http.request({ method: 'GET', path: extra.path ?? '/crm/v3/objects/contacts', bearer: token, portalId, lane, ...(extra.deadlineAt ? { deadlineAt: extra.deadlineAt } : {}) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  emu = await createEmulator({ webhooks: false, warn: () => undefined, rateLimit: { max: LIMITS.maxCalls, intervalMs: LIMITS.windowMs } });
  hub = createEmulatorClient(emu.url);
});

beforeEach(async () => {
  // A portal per test: its windows start empty in the emulator and in the call log alike.
  await hub.clearFaults();
  portalId = (await hub.createPortal({ name: 'Budget portal' })).portal.id;
  token = (await hub.install(portalId)).access_token;
});

afterAll(async () => {
  for (const db of pools) await db.destroy();
  await emu.stop();
  await tdb.destroy();
});

describe('HubSpot budget shared through Postgres', () => {
  it('when two processes burst 3 windows of calls for one portal, then HubSpot answers every call and sends no 429', async () => {
    const a = startProcess();
    const b = startProcess();
    const before = await hub.portalCounters(portalId);
    const calls = [...Array.from({ length: 30 }, () => get(a, 'bulk')), ...Array.from({ length: 30 }, () => get(b, 'interactive'))];
    const statuses = (await Promise.all(calls)).map((r) => r.status);

    expect(statuses.filter((s) => s !== 200)).toStrictEqual([]);
    const after = await hub.portalCounters(portalId);
    expect(after.rateLimited - before.rateLimited).toBe(0);
    expect(after.apiCalls - before.apiCalls).toBe(60);
    // Every call is in the shared log, whichever process made it.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from hubspot_budget_calls where portal_id = ${portalId} and lane <> 'penalty'`.execute(tdb.db);
    expect(rows[0]!.n).toBeGreaterThan(0);
  }, 30_000);

  it('when bulk calls are queued and interactive calls arrive, then the interactive ones overtake every bulk call not yet booked', async () => {
    const http = startProcess();
    const order: string[] = [];
    const bulk = Array.from({ length: 60 }, (_, i) => get(http, 'bulk').then(() => order.push(`bulk${i}`)));
    // Once the first bulk call is through, the rest are queued ahead of what comes next.
    await eventually(() => order.length > 0);
    const interactive = Array.from({ length: 8 }, (_, i) => get(http, 'interactive').then(() => order.push(`interactive${i}`)));
    await Promise.all([...bulk, ...interactive]);

    // Bulk fills its share (20 − 4) of the first window; the first 4 interactive calls use the
    // reserve at once, the other 4 the next window's first slots. Strict FIFO would put all 8
    // after the 60 bulk calls.
    const lastInteractive = Math.max(...order.map((o, i) => (o.startsWith('interactive') ? i : -1)));
    const bulkBefore = order.slice(0, lastInteractive).filter((o) => o.startsWith('bulk')).length;
    expect(bulkBefore).toBeLessThanOrEqual(2 * (LIMITS.maxCalls - LIMITS.interactiveReserve));
    expect((await hub.portalCounters(portalId)).rateLimited).toBe(0);
  }, 30_000);

  it('when HubSpot answers a 429, then the caller waits for the window and retries, and the other process holds off too', async () => {
    const a = startProcess();
    const b = startProcess();
    await hub.setFaults({ forced429: 1 });
    const pausesBefore = logs.lines().filter((l) => l.includes('HubSpot rate-limited the portal')).length;
    const first = get(a, 'bulk');
    // Process B asks only once A's 429 is recorded as a shared pause.
    await eventually(() => logs.lines().filter((l) => l.includes('HubSpot rate-limited the portal')).length > pausesBefore);
    const second = get(b, 'interactive');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);

    const requests = await hub.requests({ portalId });
    expect(requests.map((r) => r.status)).toStrictEqual([429, 200, 200]);
    // Neither process called again before the window (X-HubSpot-RateLimit-Interval-Milliseconds) ended.
    const limitedAt = requests[0]!.at;
    for (const r of requests.slice(1)) expect(r.at - r.durationMs).toBeGreaterThanOrEqual(limitedAt + LIMITS.windowMs - 5);
  }, 30_000);

  it('when HubSpot answers 503 twice to an interactive GET, then it is retried and succeeds on the third attempt', async () => {
    const http = startProcess();
    await hub.setFaults({ apiFailures: { remaining: 2, status: 503 } });
    const res = await get(http, 'interactive');
    expect(res.status).toBe(200);
    expect((await hub.requests({ portalId })).map((r) => r.status)).toStrictEqual([503, 503, 200]);
  });

  it('when HubSpot answers 503 to a bulk call, then the 503 is returned at once: its pg-boss job retries, visibly', async () => {
    const http = startProcess();
    await hub.setFaults({ apiFailures: { remaining: 1, status: 503 } });
    expect((await get(http, 'bulk')).status).toBe(503);
    expect(await hub.requests({ portalId })).toHaveLength(1);
  });

  it('when HubSpot answers 500 to a POST, then it is not repeated (HubSpot may have applied it) and the 500 is returned', async () => {
    const http = startProcess();
    await hub.setFaults({ apiFailures: { remaining: 1, status: 500 } });
    const res = await http.request({ method: 'POST', path: '/crm/v3/objects/contacts', bearer: token, portalId, json: { properties: { email: 'x@example.com' } }, lane: 'interactive' });
    expect(res.status).toBe(500);
    expect((await hub.requests({ portalId })).map((r) => r.status)).toStrictEqual([500]);
  });

  it('when 5xx answers outlast the attempts, then the last answer is returned after exactly maxAttempts calls', async () => {
    const http = startProcess();
    await hub.setFaults({ apiFailures: { remaining: 5, status: 502 } });
    const res = await get(http, 'interactive');
    expect(res.status).toBe(502);
    expect(await hub.requests({ portalId })).toHaveLength(3);
  });

  it('when HubSpot does not answer in time, then each attempt times out and the call fails as hubspot_unavailable', async () => {
    const http = createHubSpotHttp({
      baseUrl: emu.url,
      log: logs.log,
      budget: createHubSpotBudget({ store: createBudgetStore(tdb.db), limits: LIMITS, log: logs.log }),
      timeoutMs: 50,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
    });
    await hub.setFaults({ apiLatencyMs: 500 });
    await expect(get(http, 'interactive')).rejects.toMatchObject({ code: 'hubspot_unavailable', message: 'HubSpot did not answer in time' });
  });

  it('when the window is full and an interactive call cannot get a slot before its deadline, then it fails fast with Retry-After and books nothing', async () => {
    // A 10 s window on both sides: with 1 s, a loaded machine took longer than the window to fill
    // it, so the window rolled over and the "full" call found a free slot.
    const windowMs = 10_000;
    await hub.updateSettings({ rateLimit: { intervalMs: windowMs } });
    try {
      const http = startProcess({ ...LIMITS, windowMs });
      const filled = await Promise.all(Array.from({ length: LIMITS.maxCalls }, () => get(http, 'interactive')));
      expect(filled.map((r) => r.headers['x-hubspot-ratelimit-remaining']).sort()[0]).toBe('0');
      const booked = await countBooked();
      const err = await get(http, 'interactive', { deadlineAt: Date.now() + 200 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'hubspot_unavailable' });
      // Retry-After points at the oldest booking leaving the window: within the window, never 0.
      const retryAfter = (err as AppError).retryAfterSeconds ?? 0;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
      expect(await countBooked()).toBe(booked);
      expect((await hub.portalCounters(portalId)).rateLimited).toBe(0);
    } finally {
      await hub.updateSettings({ rateLimit: { intervalMs: LIMITS.windowMs } });
    }
  });
});

async function countBooked(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from hubspot_budget_calls where portal_id = ${portalId}`.execute(tdb.db);
  return rows[0]!.n;
}
