import { freePort } from '../../backend/src/db/embedded.js';
import { createEmulatorClient } from '../../emulator/client.js';
import { sql } from 'kysely';
import { ownCpuMs } from '../lib/cpu.js';
import { startProc } from '../lib/procs.js';
import { connectPortal, withServices } from '../lib/seed.js';
import { ratioOf, round, type latencySummary } from '../lib/stats.js';
import { backendEnv, newAppCredentials, startBackendProcess, startEmulatorProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const CONCURRENCY = 50;
const TICKETS = 200;
const TARGET_PER_SECOND = 600;
const TARGET_P99_MS = 100;

interface ActionLoadResult {
  ok: number;
  failed: number;
  /** Every request answered, warm-up included. */
  total: number;
  perSecond: number;
  latency: ReturnType<typeof latencySummary>;
  /** Status and body of the first answer that was not a SUCCESS, if any. */
  firstFailure?: string;
}

/**
 * Synchronous workflow actions (Pause AI / Resume AI, each a real state change) at 50 concurrent
 * requests, closed loop, against one backend process (role `all`) wired to the emulator, and
 * against the baseline server (v2 signature check, fixed answer) in the same run: all 50 on one
 * portal (the targets: ≥ 600 actions/s, p99 < 100 ms), then spread over 10 portals (5 each), to
 * show what is per-organization.
 */
export const actionsScenario: Scenario = {
  id: 'actions',
  title: 'Synchronous workflow actions, 50 concurrent',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const database = await ctx.pg.freshDatabase('actions');
    const port = await freePort();
    const backendUrl = `http://127.0.0.1:${port}`;
    const app = newAppCredentials();
    const emulator = await startEmulatorProcess(app, backendUrl);
    const hub = createEmulatorClient(emulator.url);
    const be = await backendEnv({ ...app, apiBaseUrl: emulator.url }, database.url, {}, port);
    const baselinePort = await freePort();
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;
    const baseline = startProc('bench/processes/baseline-server.ts', { PORT: String(baselinePort), CLIENT_SECRET: app.clientSecret, PUBLIC_BASE_URL: baselineUrl });
    try {
      await baseline.line('ready');
      // Ten portals, each with its organization and 200 tickets linked to conversations.
      const portals: { portalId: number; ticketIds: number[] }[] = [];
      for (let p = 0; p < 10; p++) {
        const portalId = p === 0 ? 62515 : (await hub.createPortal({ name: `Action bench ${p}` })).portal.id;
        const tokens = await hub.install(portalId);
        const ticketIds: number[] = [];
        const count = p === 0 ? TICKETS : TICKETS / 5;
        for (let i = 0; i < count; i++) ticketIds.push((await hub.createTicket(portalId, { properties: { subject: `Action bench ${i}`, hs_pipeline_stage: '1' } })).id);
        await withServices(be.env, async (s) => {
          const org = await connectPortal(s, portalId, tokens);
          for (const [i, ticketId] of ticketIds.entries()) await s.conversations.upsertByExternalId(org.id, { externalId: `action-bench-${i}`, ticketId });
        });
        portals.push({ portalId, ticketIds });
      }
      const sut = await startBackendProcess(be);
      const WARMUP_MS = ctx.options.quick ? 1_000 : 2_000;
      const IDLE_MS = ctx.options.quick ? 3_000 : 5_000;
      const DURATION_MS = ctx.options.quick ? 4_000 : 8_000;
      try {
        const load = (target: string, runId: string, on: typeof portals): Promise<ActionLoadResult> =>
          startProc('bench/processes/action-load.ts', {
            TARGET: target,
            SECRET: app.clientSecret,
            PORTALS: JSON.stringify(on),
            CONCURRENCY: String(CONCURRENCY),
            WARMUP_MS: String(WARMUP_MS),
            DURATION_MS: String(DURATION_MS),
            RUN_ID: runId,
          }).line<ActionLoadResult>('result', WARMUP_MS + DURATION_MS + 60_000);
        ctx.note('actions: baseline');
        const b = await load(baselineUrl, 'baseline', portals.slice(0, 1));
        ctx.note('actions: backend, one portal');
        // CPU per action of the backend process and of this database's Postgres backends (its pools'
        // connections): unlike throughput, it holds on a machine that other work shares.
        const pgPids = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(database.db)).rows.map((r) => r.pid);
        const cpuOf = (pids: number[]) => new Map(pids.map((pid) => [pid, ownCpuMs(pid)]));
        const spentBetween = (a: Map<number, number>, b: Map<number, number>, pids: number[]) => pids.reduce((sum, pid) => sum + (b.get(pid) ?? 0) - (a.get(pid) ?? 0), 0);
        // The same processes idle first: their pollers and timers cost CPU per second, not per action,
        // and spread over the few actions a loaded machine lets through they would pass for action cost.
        const idlePids = await pgPids();
        const idleFrom = cpuOf([sut.proc.pid, ...idlePids]);
        const idleStarted = Date.now();
        await new Promise((r) => setTimeout(r, IDLE_MS));
        const idleTo = cpuOf([sut.proc.pid, ...idlePids]);
        const idlePerMs = { node: spentBetween(idleFrom, idleTo, [sut.proc.pid]) / (Date.now() - idleStarted), postgres: spentBetween(idleFrom, idleTo, idlePids) / (Date.now() - idleStarted) };
        const pidsBefore = await pgPids();
        const cpuBefore = cpuOf([sut.proc.pid, ...pidsBefore]);
        const loadStarted = Date.now();
        const one = await load(backendUrl, 'one', portals.slice(0, 1));
        const loadMs = Date.now() - loadStarted;
        const pidsAfter = [...new Set([...pidsBefore, ...(await pgPids())])];
        const cpuAfter = cpuOf([sut.proc.pid, ...pidsAfter]);
        const spent = (pids: number[]) => spentBetween(cpuBefore, cpuAfter, pids);
        const perAction = (ms: number) => Math.round((ms / Math.max(1, one.total)) * 100) / 100;
        const cpuPerAction = { node: perAction(spent([sut.proc.pid])), postgres: perAction(spent(pidsAfter)) };
        // Less what the same processes spent idle over as long (the load generator's start included).
        const netCpuPerAction = { node: perAction(spent([sut.proc.pid]) - idlePerMs.node * loadMs), postgres: perAction(spent(pidsAfter) - idlePerMs.postgres * loadMs) };
        ctx.note('actions: backend, ten portals');
        const ten = await load(backendUrl, 'ten', portals);
        const vs = (value: number, base: number) => ({ baseline: { label: 'signature-only server', value: round(base) }, ratio: ratioOf(value, base) });
        return [
          {
            id: 'actions.c50.p99',
            name: 'workflow action p99, 50 concurrent, 1 portal',
            value: round(one.latency.p99),
            unit: 'ms',
            ...vs(one.latency.p99, b.latency.p99),
            target: `< ${TARGET_P99_MS} ms`,
            met: one.failed === 0 && one.latency.p99 < TARGET_P99_MS,
            details: { p95: round(one.latency.p95), max: round(one.latency.max), failed: one.failed, firstFailure: one.firstFailure },
          },
          { id: 'actions.c50.p50', name: 'workflow action p50, 50 concurrent, 1 portal', value: round(one.latency.p50), unit: 'ms', ...vs(one.latency.p50, b.latency.p50), met: null },
          {
            id: 'actions.c50.throughput',
            name: 'workflow actions/s, 50 concurrent, 1 portal',
            value: round(one.perSecond),
            unit: 'actions/s',
            ...vs(one.perSecond, b.perSecond),
            target: `≥ ${TARGET_PER_SECOND} actions/s`,
            met: one.failed === 0 && one.perSecond >= TARGET_PER_SECOND,
            details: { ok: one.ok, failed: one.failed, cpuMsPerAction: cpuPerAction, netCpuMsPerAction: netCpuPerAction, idleCpuMsPerSecond: { node: round(idlePerMs.node * 1000), postgres: round(idlePerMs.postgres * 1000) } },
          },
          {
            id: 'actions.c50x10.p99',
            name: 'workflow action p99, 50 concurrent over 10 portals',
            value: round(ten.latency.p99),
            unit: 'ms',
            ...vs(ten.latency.p99, b.latency.p99),
            met: null,
            details: { p50: round(ten.latency.p50), p95: round(ten.latency.p95), failed: ten.failed, firstFailure: ten.firstFailure },
          },
          { id: 'actions.c50x10.throughput', name: 'workflow actions/s, 50 concurrent over 10 portals', value: round(ten.perSecond), unit: 'actions/s', ...vs(ten.perSecond, b.perSecond), met: null, details: { ok: ten.ok, failed: ten.failed } },
        ];
      } finally {
        await sut.stop();
      }
    } finally {
      await baseline.stop();
      await emulator.proc.stop();
      await database.drop();
    }
  },
};
