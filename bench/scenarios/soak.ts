import { freePort } from '../../backend/src/db/embedded.js';
import { createEmulatorClient } from '../../emulator/client.js';
import { connectReader, inboxCounts, waitForDrain } from '../lib/inbox.js';
import { runWebhookLoad } from '../lib/load.js';
import { pgWorkPerWindow, readPgCounters, type PgCounters } from '../lib/pg-work.js';
import { rssMb, startProc } from '../lib/procs.js';
import { benchPortalIds, connectFakePortals, connectPortal, withServices } from '../lib/seed.js';
import { round, type latencySummary } from '../lib/stats.js';
import { tableSizes, WATCHED_TABLES, type TableSize } from '../lib/tables.js';
import { backendEnv, buildProduction, newAppCredentials, startBackendProcess, startEmulatorProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const EVENT_RATE = 1_000;
const ACTION_RATE = 20;
const CARD_RATE = 20;
const WEBHOOK_PORTALS = 50;
const ACTION_PORTALS = 10;
const TICKETS_PER_PORTAL = 40;

type Latency = ReturnType<typeof latencySummary>;
interface SteadyResult {
  actions: { ok: number; failed: number; firstFailure?: string; windows: Latency[] };
  cards: { ok: number; failed: number; firstFailure?: string; windows: Latency[] };
}

/**
 * The soak: one backend process (role `all`, production build) under 1,000 webhook events/s (the
 * mixed types over 50 portals), 20 workflow actions/s and 20 card reads/s (10 portals of the
 * emulator, whose note write-backs the backend makes meanwhile) for `--soak-minutes` after a
 * warm-up. Reported: RSS after the warm-up vs at the end, p99 of actions and card reads in the
 * first vs the last minute, events lost (accepted but never finished, once the backlog drained) and
 * the sizes of the tables that grow with traffic, with the retention that bounds each.
 */
export const soakScenario: Scenario = {
  id: 'soak',
  title: 'Soak: 1,000 events/s + 20 actions/s + 20 card reads/s',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const quick = ctx.options.quick;
    const warmupMs = quick ? 15_000 : 60_000;
    const durationMs = Math.round(ctx.options.soakMinutes * 60_000);
    // A minute, or a quarter of a short soak, so first and last never overlap.
    const windowMs = Math.min(60_000, Math.floor(durationMs / 4));
    const database = await ctx.pg.freshDatabase('soak');
    const port = await freePort();
    const app = newAppCredentials();
    const emulator = await startEmulatorProcess(app, `http://127.0.0.1:${port}`);
    const hub = createEmulatorClient(emulator.url);
    const be = await backendEnv({ ...app, apiBaseUrl: emulator.url }, database.url, {}, port);
    const reader = await connectReader(database.url);
    try {
      ctx.note('soak: connecting portals, creating tickets');
      const actionPortals: { portalId: number; ticketIds: number[] }[] = [];
      for (let p = 0; p < ACTION_PORTALS; p++) {
        const portalId = p === 0 ? 62515 : (await hub.createPortal({ name: `Soak ${p}` })).portal.id;
        const tokens = await hub.install(portalId);
        const ticketIds: number[] = [];
        for (let i = 0; i < TICKETS_PER_PORTAL; i++) ticketIds.push((await hub.createTicket(portalId, { properties: { subject: `Soak ${i}`, hs_pipeline_stage: '1' } })).id);
        await withServices(be.env, async (s) => {
          const org = await connectPortal(s, portalId, tokens);
          for (const [i, ticketId] of ticketIds.entries()) await s.conversations.upsertByExternalId(org.id, { externalId: `soak-${p}-${i}`, ticketId });
        });
        actionPortals.push({ portalId, ticketIds });
      }
      const webhookPortals = benchPortalIds(WEBHOOK_PORTALS);
      await withServices(be.env, (s) => connectFakePortals(s, webhookPortals));
      ctx.note('soak: npm run build');
      buildProduction();
      const sut = await startBackendProcess(be, {}, { compiled: true });
      try {
        ctx.note(`soak: ${warmupMs / 1000} s warm-up, then ${durationMs / 60_000} min`);
        const events = runWebhookLoad({ target: sut.url, secret: app.clientSecret, portalIds: webhookPortals, mode: 'open', rate: EVENT_RATE, warmupMs, durationMs, eventIdBase: 1, appId: app.appId });
        const steady = startProc('bench/processes/steady-load.ts', {
          TARGET: sut.url,
          SECRET: app.clientSecret,
          APP_ID: String(app.appId),
          PORTALS: JSON.stringify(actionPortals),
          ACTION_RATE: String(ACTION_RATE),
          CARD_RATE: String(CARD_RATE),
          WARMUP_MS: String(warmupMs),
          DURATION_MS: String(durationMs),
          WINDOW_MS: String(windowMs),
          RUN_ID: 'soak',
        }).line<SteadyResult>('result', warmupMs + durationMs + 300_000);
        const rss: { at: number; mb: number }[] = [];
        const sampler = setInterval(() => void rssMb(sut.proc.pid).then((mb) => rss.push({ at: Date.now(), mb }), () => undefined), 5_000);
        await new Promise((r) => setTimeout(r, warmupMs));
        const rssAfterWarmup = await rssMb(sut.proc.pid);
        const sizesAtStart = await tableSizes(reader);
        // Postgres's counters at each window's end (the load generator's windows start after the warm-up too).
        const counters: PgCounters[] = [await readPgCounters(reader)];
        const pgSampler = setInterval(() => void readPgCounters(reader).then((c) => counters.push(c), () => undefined), windowMs);
        const steadyResult = await steady;
        const sent = await events;
        clearInterval(sampler);
        clearInterval(pgSampler);
        const rssAtEnd = await rssMb(sut.proc.pid);
        ctx.note('soak: offer over, waiting for the backlog to drain');
        const drain = await waitForDrain(reader, quick ? 60_000 : 300_000, { everyMs: 500, alive: () => sut.proc.child.exitCode === null });
        const sizesAtEnd = await tableSizes(reader);
        const counts = await inboxCounts(reader);
        return figures({ rssAfterWarmup, rssAtEnd, rss, steady: steadyResult, accepted: sent.accepted, refused: sent.refused, drain, counts, sizesAtStart, sizesAtEnd, minutes: durationMs / 60_000, windowMs, pgWork: pgWorkPerWindow(counters) });
      } finally {
        await sut.stop();
      }
    } finally {
      await reader.end().catch(() => undefined);
      await emulator.proc.stop();
      await database.drop();
    }
  },
};

function figures(r: {
  rssAfterWarmup: number;
  rssAtEnd: number;
  rss: { at: number; mb: number }[];
  steady: SteadyResult;
  accepted: number;
  refused: number;
  drain: { drained: boolean; ms: number };
  counts: { total: number; finished: number; unfinished: number; dead: number };
  sizesAtStart: Record<string, TableSize | null>;
  sizesAtEnd: Record<string, TableSize | null>;
  minutes: number;
  windowMs: number;
  pgWork: Record<string, number>[];
}): Figure[] {
  const growth = r.rssAtEnd / r.rssAfterWarmup - 1;
  const window = r.windowMs >= 60_000 ? 'minute' : `${r.windowMs / 1000} s`;
  const drift = (label: string, id: string, w: SteadyResult['actions']): Figure => {
    const first = w.windows[0]?.p99 ?? 0;
    const last = w.windows[w.windows.length - 1]?.p99 ?? 0;
    const ratio = first > 0 ? last / first : 0;
    return {
      id: `soak.${id}.p99-drift`,
      name: `${label} p99, last ${window} vs first`,
      value: round(last),
      unit: 'ms',
      baseline: { label: `first ${window}`, value: round(first) },
      ratio: Math.round(ratio * 100) / 100,
      target: '≤ 1.20× first',
      met: w.failed === 0 && w.windows.length >= 2 && ratio <= 1.2,
      details: { ok: w.ok, failed: w.failed, firstFailure: w.firstFailure, p99PerWindow: w.windows.map((x) => round(x.p99)), p50PerWindow: w.windows.map((x) => round(x.p50)), postgresPerWindow: r.pgWork },
    };
  };
  const lost = Math.max(0, r.accepted - r.counts.finished);
  return [
    {
      id: 'soak.rss',
      name: `backend RSS at the end of ${r.minutes} min`,
      value: round(r.rssAtEnd),
      unit: 'MB',
      baseline: { label: 'after warm-up', value: round(r.rssAfterWarmup) },
      ratio: Math.round((r.rssAtEnd / r.rssAfterWarmup) * 100) / 100,
      target: '< 1.10× after warm-up',
      met: growth < 0.1,
      details: { samplesMb: r.rss.filter((_, i) => i % 6 === 0).map((s) => round(s.mb)), peakMb: round(Math.max(r.rssAtEnd, ...r.rss.map((s) => s.mb))), build: 'dist (npm run build)' },
    },
    drift('workflow action', 'actions', r.steady.actions),
    drift('card read', 'cards', r.steady.cards),
    {
      id: 'soak.events-lost',
      name: 'events lost: accepted (200) but not finished once drained',
      value: lost,
      unit: 'events',
      baseline: { label: 'events accepted', value: r.accepted },
      target: '0',
      met: lost === 0 && r.drain.drained,
      details: { accepted: r.accepted, refused: r.refused, missingFromInbox: Math.max(0, r.accepted - r.counts.total), unfinished: r.counts.unfinished, stored: r.counts.total, finished: r.counts.finished, dead: r.counts.dead, drained: r.drain.drained, drainSeconds: round(r.drain.ms / 1000) },
    },
    ...WATCHED_TABLES.flatMap(({ table, retention }): Figure[] => {
      const before = r.sizesAtStart[table];
      const after = r.sizesAtEnd[table];
      if (!after) return [];
      const grew = after.rows > (before?.rows ?? 0);
      const mb = (t: TableSize | null | undefined) => (t ? Math.round((t.bytes / 1024 / 1024) * 10) / 10 : 0);
      return [
        {
          id: `soak.table.${table}`,
          name: `${table} rows (retention: ${retention ?? 'none'})`,
          value: after.rows,
          unit: 'rows',
          baseline: { label: 'after warm-up', value: before?.rows ?? 0 },
          target: 'bounded by a retention',
          met: retention !== null || !grew,
          details: { mbAtStart: mb(before), mbAtEnd: mb(after), retention },
        },
      ];
    }),
  ];
}
