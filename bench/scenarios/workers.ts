import crypto from 'node:crypto';
import { cpuSample, postmasterPid, treeCpuMs } from '../lib/cpu.js';
import { connectReader, inboxCounts, middleRate, waitForDrain } from '../lib/inbox.js';
import { runWebhookLoad } from '../lib/load.js';
import { benchPortalIds, connectFakePortals, withServices } from '../lib/seed.js';
import { round } from '../lib/stats.js';
import { backendEnv, startBackendProcess, startWorkerProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const PORTALS = 50;
const APP_ID = 424242;

/**
 * Processing with 2 worker processes vs 1: the same backlog (signed 100-event batches of the mixed
 * types over 50 portals, stored through the real intake of a web process, which then stops) is
 * drained once by one worker process and once, on a fresh database, by two. The rate is the middle
 * of the drain (10th to 90th percentile of processed_at), so process start-up is left out. The
 * CPU used over the same middle (worker processes, and the Postgres server but the bench's own
 * reader) is stated per 1,000 events: unlike the rate, it hardly moves with other work on a shared
 * machine. With the wall time it also tells whether the workers were short of CPU or waiting.
 */
export const workersScenario: Scenario = {
  id: 'workers',
  title: 'Processing with 2 worker processes vs 1 (same backlog)',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const backlog = ctx.options.quick ? 5_000 : 100_000;
    const one = await drain(ctx, 1, backlog);
    const two = await drain(ctx, 2, backlog);
    const ratio = two.perSecond / one.perSecond;
    return [
      { id: 'workers.1', name: `events/s draining ${backlog.toLocaleString('en')} events, 1 worker process`, value: round(one.perSecond), unit: 'events/s', met: null, details: one },
      {
        id: 'workers.2',
        name: `events/s draining ${backlog.toLocaleString('en')} events, 2 worker processes`,
        value: round(two.perSecond),
        unit: 'events/s',
        baseline: { label: '1 worker process', value: round(one.perSecond) },
        ratio: Math.round(ratio * 100) / 100,
        target: '≥ 1.6× one worker',
        met: one.drained && two.drained && ratio >= 1.6,
        details: two,
      },
    ];
  },
};

async function drain(ctx: BenchContext, workers: number, backlog: number) {
  const secret = crypto.randomBytes(16).toString('hex');
  const database = await ctx.pg.freshDatabase(`workers_${workers}`);
  const reader = await connectReader(database.url);
  try {
    const be = await backendEnv({ clientId: 'bench-client', clientSecret: secret, appId: APP_ID, apiBaseUrl: 'http://127.0.0.1:9' }, database.url);
    const portalIds = benchPortalIds(PORTALS);
    await withServices(be.env, (s) => connectFakePortals(s, portalIds));
    ctx.note(`workers: storing a backlog of ${backlog} events (web process)`);
    const web = await startBackendProcess(be, { SWITCHBOARD_ROLE: 'web' });
    let seeded;
    try {
      seeded = await runWebhookLoad({ target: web.url, secret, portalIds, mode: 'closed', concurrency: 10, warmupMs: 0, durationMs: 600_000, totalEvents: backlog, eventIdBase: 1, appId: APP_ID });
    } finally {
      await web.stop();
    }
    const before = await inboxCounts(reader);
    if (before.unfinished < backlog * 0.9) throw new Error(`backlog not stored: ${before.unfinished} unfinished of ${backlog} sent (${seeded.refused} refused)`);
    ctx.note(`workers: draining with ${workers} worker process(es)`);
    const pgPid = await postmasterPid(reader);
    // The reader's own polling (a count over the whole inbox, 5 times a second) is not the workers' cost.
    const readerPid = Number((await reader.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
    const procs = Array.from({ length: workers }, () => startWorkerProcess(be));
    const samples: Sample[] = [];
    try {
      const done = await waitForDrain(reader, ctx.options.quick ? 120_000 : 600_000, {
        everyMs: 200,
        alive: () => procs.every((p) => p.proc.child.exitCode === null),
        onCounts: (c) => {
          const sample = cpuSample(procs.map((p) => p.proc.pid), pgPid);
          samples.push({ finished: c.finished, nodeMs: sample.nodeMs, postgresMs: sample.postgresMs - treeCpuMs(readerPid), at: sample.at });
        },
      });
      const rate = await middleRate(reader);
      return { perSecond: rate.perSecond, drained: done.drained, drainSeconds: round(done.ms / 1000), middleSpanSeconds: rate.spanSeconds, stored: before.total, finished: rate.finished, dead: done.counts.dead, cpuMsPer1000Events: cpuPer1000(samples, before.total) };
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  } finally {
    await reader.end().catch(() => undefined);
    await database.drop();
  }
}

interface Sample {
  finished: number;
  nodeMs: number;
  postgresMs: number;
  at: number;
}

// CPU per 1,000 events between the readings at 10 % and 90 % finished (the middle of the drain),
// and how many cores the workers and their Postgres backends kept busy meanwhile.
function cpuPer1000(samples: readonly Sample[], total: number) {
  const from = samples.find((s) => s.finished >= total * 0.1);
  const to = samples.find((s) => s.finished >= total * 0.9);
  if (!from || !to || to.finished <= from.finished) return null;
  const per = (ms: number) => round((ms * 1000) / (to.finished - from.finished));
  const node = per(to.nodeMs - from.nodeMs);
  const postgres = per(to.postgresMs - from.postgresMs);
  const coresBusy = Math.round(((to.nodeMs - from.nodeMs + to.postgresMs - from.postgresMs) / (to.at - from.at)) * 100) / 100;
  return { node, postgres, total: round(node + postgres), coresBusy };
}
