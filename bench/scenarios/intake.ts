import crypto from 'node:crypto';
import { freePort } from '../../backend/src/db/embedded.js';
import { costMeter, costPerRequest, type CostPerRequest } from '../lib/cost.js';
import { runWebhookLoad, type LoadResult } from '../lib/load.js';
import { startProc } from '../lib/procs.js';
import { connectPortal, fakeTokens, withServices } from '../lib/seed.js';
import { round } from '../lib/stats.js';
import { backendEnv, startBackendProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const PORTAL = 62515;
// Events per request (the load generator's default batch).
const BATCH = 100;
// The targets are for concurrency 10 (HubSpot's per-portal cap); 50 is shown for scale.
const TARGETS: Record<number, { ratio: number; p99Ms: number } | undefined> = { 10: { ratio: 0.25, p99Ms: 50 } };

/**
 * Webhook intake: signed 100-event batches, closed loop at concurrency 10 (HubSpot's per-portal cap)
 * and 50, against one backend process (role `all`: its workers process what it stores meanwhile,
 * as in the default deployment) and against the baseline server, alternately, in the same run.
 */
export const intakeScenario: Scenario = {
  id: 'intake',
  title: 'Webhook intake (100-event signed batches)',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const secret = crypto.randomBytes(16).toString('hex');
    const database = await ctx.pg.freshDatabase('intake');
    const be = await backendEnv({ clientId: 'bench-client', clientSecret: secret, appId: 424242, apiBaseUrl: 'http://127.0.0.1:9' }, database.url);
    await withServices(be.env, (s) => connectPortal(s, PORTAL, fakeTokens(PORTAL)));
    const baselinePort = await freePort();
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;
    const baseline = startProc('bench/processes/baseline-server.ts', { PORT: String(baselinePort), CLIENT_SECRET: secret, PUBLIC_BASE_URL: baselineUrl });
    await baseline.line('ready');
    const sut = await startBackendProcess(be, process.env.BENCH_INTAKE_ROLE ? { SWITCHBOARD_ROLE: process.env.BENCH_INTAKE_ROLE } : {});
    const meter = await costMeter(database.url, sut.proc.pid);
    const figures: Figure[] = [];
    let eventIdBase = 1;
    const WARMUP_MS = ctx.options.quick ? 1_000 : 2_000;
    const DURATION_MS = ctx.options.quick ? 4_000 : 8_000;
    try {
      for (const concurrency of [10, 50]) {
        const load = (target: string): Promise<LoadResult> => {
          const base = eventIdBase;
          eventIdBase += 10_000_000;
          return runWebhookLoad({ target, secret, portalIds: [PORTAL], mode: 'closed', concurrency, warmupMs: WARMUP_MS, durationMs: DURATION_MS, eventIdBase: base });
        };
        ctx.note(`intake c${concurrency}: baseline`);
        const b = await load(baselineUrl);
        ctx.note(`intake c${concurrency}: backend`);
        const before = await meter.snapshot();
        const s = await load(sut.url);
        const cost = costPerRequest(before, await meter.snapshot(), s.accepted / BATCH);
        ctx.note(`intake c${concurrency}: per request ${JSON.stringify(cost)}`);
        figures.push(...intakeFigures(`intake.c${concurrency}`, concurrency, s, b, cost));
      }
    } finally {
      await meter.close();
      await sut.stop();
      await baseline.stop();
      await database.drop();
    }
    return figures;
  },
};

/**
 * The three figures of one concurrency: throughput (vs baseline), p50 and p99 ack latency; with
 * `cost`, what one request cost (CPU ms, write transactions, WAL), which a busy machine does not move.
 */
export function intakeFigures(prefix: string, concurrency: number, s: LoadResult, b: LoadResult, cost?: CostPerRequest): Figure[] {
  const ratio = s.eventsPerSecond / b.eventsPerSecond;
  const target = TARGETS[concurrency];
  return [
    {
      id: `${prefix}.throughput`,
      name: `intake throughput, concurrency ${concurrency}`,
      value: round(s.eventsPerSecond),
      unit: 'events/s',
      baseline: { label: 'signature-only server', value: round(b.eventsPerSecond) },
      ratio: Math.round(ratio * 100) / 100,
      ...(target ? { target: `≥ ${target.ratio.toFixed(2)}× baseline` } : {}),
      met: target ? s.failed === 0 && ratio >= target.ratio : null,
      details: { events: s.events, failedBatches: s.failed, baselineFailedBatches: b.failed, ...(cost ? { perRequest: cost } : {}) },
    },
    {
      id: `${prefix}.p50`,
      name: `intake ack p50, concurrency ${concurrency}`,
      value: round(s.latency.p50),
      unit: 'ms',
      baseline: { label: 'signature-only server', value: round(b.latency.p50) },
      ratio: Math.round((s.latency.p50 / b.latency.p50) * 10) / 10,
      met: null,
    },
    {
      id: `${prefix}.p99`,
      name: `intake ack p99, concurrency ${concurrency}`,
      value: round(s.latency.p99),
      unit: 'ms',
      baseline: { label: 'signature-only server', value: round(b.latency.p99) },
      ratio: Math.round((s.latency.p99 / b.latency.p99) * 10) / 10,
      ...(target ? { target: `< ${target.p99Ms} ms` } : {}),
      met: target ? s.failed === 0 && s.latency.p99 < target.p99Ms : null,
      details: { p95: round(s.latency.p95), max: round(s.latency.max), baselineP95: round(b.latency.p95) },
    },
  ];
}
