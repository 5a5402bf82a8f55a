import pg from 'pg';
import { freePort } from '../../backend/src/db/embedded.js';
import { createEmulatorClient } from '../../emulator/client.js';
import { runWebhookLoad } from '../lib/load.js';
import { benchPortalIds, connectFakePortals, connectPortal, withServices } from '../lib/seed.js';
import { latencySummary, round } from '../lib/stats.js';
import { ownCpuMs } from '../lib/cpu.js';
import { processTree } from '../lib/procs.js';
import { backendEnv, newAppCredentials, startBackendProcess, startCluster, startEmulatorProcess, type Sut } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const PORTAL = 62515;
const OWNER = 51_000_002;
const OTHER_PORTALS = 49;
const SPACING_MS = 300;

/**
 * Owner change → AI paused, end to end: a user sets a ticket's owner in the emulator (HubSpot), the
 * emulator delivers the signed webhook, the backend's worker pauses the linked conversation. The
 * latency is from the event's `occurredAt` (HubSpot's clock) to the moment the pause is visible in
 * Postgres (polled every 5 ms, so committed by then), while a separate load generator keeps intake
 * busy at `--background-rate` events/s (default 5,000: the processing target), the mixed types
 * spread over this portal and 49 other connected ones, as in the processing scenario. Run against
 * one process (role `all`, the default) and against 1 web + 1 worker process
 * (`npm run start:cluster`), each on a fresh database.
 */
export const ownerChangeScenario: Scenario = {
  id: 'owner-change',
  title: 'Owner change → AI paused, with webhook load in the background',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const figures: Figure[] = [];
    for (const topology of ['all', 'split'] as const) {
      ctx.note(`owner change: ${topology === 'all' ? '1 process (role all)' : '1 web + 1 worker process'}`);
      figures.push(...(await measure(ctx, topology)));
    }
    return figures;
  },
};

async function measure(ctx: BenchContext, topology: 'all' | 'split'): Promise<Figure[]> {
  const CHANGES = ctx.options.quick ? 15 : 50;
  const WARMUP_MS = ctx.options.quick ? 3_000 : 5_000;
  const BACKGROUND_RATE = ctx.options.backgroundRate;
  const database = await ctx.pg.freshDatabase(`owner_${topology}`);
  const port = await freePort();
  const backendUrl = `http://127.0.0.1:${port}`;
  const app = newAppCredentials();
  const emulator = await startEmulatorProcess(app, backendUrl);
  const hub = createEmulatorClient(emulator.url);
  const be = await backendEnv({ ...app, apiBaseUrl: emulator.url }, database.url, {}, port);
  let sut: Sut | undefined;
  const poller = new pg.Client({ connectionString: database.url });
  let polling = true;
  try {
    const tokens = await hub.install(PORTAL);
    const others = benchPortalIds(OTHER_PORTALS);
    const org = await withServices(be.env, async (s) => {
      await connectFakePortals(s, others);
      return connectPortal(s, PORTAL, tokens);
    });
    sut = topology === 'all' ? await startBackendProcess(be) : await startCluster(be, 1, 1);
    const tickets: { ticketId: number; conversationId: string }[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const ticketId = (await hub.createTicket(PORTAL, { properties: { subject: `Bench ticket ${i}`, hs_pipeline_stage: '1' } })).id;
      const res = await fetch(`${backendUrl}/api/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId: `bench-${topology}-${i}`, ticketId }),
      });
      if (res.status !== 201) throw new Error(`creating a conversation failed: ${res.status} ${await res.text()}`);
      tickets.push({ ticketId, conversationId: ((await res.json()) as { id: string }).id });
    }
    await poller.connect();

    const durationMs = CHANGES * SPACING_MS + 3_000;
    const finished = async () => (await poller.query<{ n: number }>('select count(processed_at)::int as n from webhook_events')).rows[0]!.n;
    // Background events are on fake portals' records and on this portal's records far from the
    // emulator's ticket ids, so none of them touches a measured conversation.
    const background = runWebhookLoad({ target: backendUrl, secret: app.clientSecret, portalIds: [PORTAL, ...others], mode: 'open', rate: BACKGROUND_RATE, warmupMs: WARMUP_MS, durationMs, eventIdBase: 50_000_000, appId: app.appId });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const processedBefore = await finished();
    const measuredFrom = Date.now();
    // CPU time of each backend process and of this database's Postgres backends over the measurement.
    const cpu = async () => {
      const procs = await processTree(sut!.proc.pid);
      const { rows } = await poller.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      const all = [...procs.map((p) => ({ ...p, role: `node ${p.role}` })), ...rows.map((r) => ({ pid: r.pid, role: 'postgres backends' }))];
      return all.map((p) => ({ ...p, seconds: ownCpuMs(p.pid) / 1000 }));
    };
    const cpuBefore = await cpu();

    const pausedAt = new Map<string, number>();
    const ids = tickets.map((t) => t.conversationId);
    const poll = (async () => {
      while (polling) {
        const { rows } = await poller.query<{ id: string }>("select id from conversations where id = any($1::uuid[]) and ai_state = 'paused'", [ids]);
        const now = Date.now();
        for (const r of rows) if (!pausedAt.has(r.id)) pausedAt.set(r.id, now);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    for (const t of tickets) {
      await hub.setTicketOwner(PORTAL, t.ticketId, OWNER);
      await new Promise((r) => setTimeout(r, SPACING_MS));
    }
    const deadline = Date.now() + 30_000;
    while (pausedAt.size < tickets.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    polling = false;
    await poll;
    const bg = await background;
    const cpuAfter = await cpu();
    const wallSeconds = (Date.now() - measuredFrom) / 1000;
    // Share of one core per role over the measurement (1.0 = a whole core).
    const cores: Record<string, number> = {};
    for (const after of cpuAfter) {
      const before = cpuBefore.find((b) => b.pid === after.pid)?.seconds ?? 0;
      cores[after.role] = Math.round(((cores[after.role] ?? 0) + (after.seconds - before) / wallSeconds) * 100) / 100;
    }
    const processingRate = ((await finished()) - processedBefore) / ((Date.now() - measuredFrom) / 1000);

    const { rows: occurred } = await poller.query<{ object_id: string; at: number }>(
      "select object_id, (extract(epoch from occurred_at) * 1000)::float8 as at from webhook_events where portal_id = $1 and property_name = 'hubspot_owner_id' and object_id = any($2::bigint[])",
      [PORTAL, tickets.map((t) => t.ticketId)],
    );
    const occurredAt = new Map(occurred.map((r) => [Number(r.object_id), r.at]));
    const latencies = tickets.flatMap((t) => {
      const at = pausedAt.get(t.conversationId);
      const from = occurredAt.get(t.ticketId);
      return at !== undefined && from !== undefined ? [at - from] : [];
    });
    const { rows: backlog } = await poller.query<{ n: number }>('select count(*)::int as n from webhook_events where processed_at is null');
    const s = latencySummary(latencies);
    const label = topology === 'all' ? '1 process' : '1 web + 1 worker';
    const missing = tickets.length - latencies.length;
    return [
      {
        id: `owner-change.${topology}.p95`,
        name: `owner change → paused p95, ${BACKGROUND_RATE.toLocaleString('en')} events/s behind (${label})`,
        value: round(s.p95),
        unit: 'ms',
        target: '< 250 ms',
        met: missing === 0 && s.p95 < 250,
        details: { p50: round(s.p50), max: round(s.max), paused: latencies.length, of: tickets.length, backgroundEventsPerSecond: round(bg.eventsPerSecond), pendingAtEnd: backlog[0]!.n },
      },
      { id: `owner-change.${topology}.p99`, name: `owner change → paused p99, ${BACKGROUND_RATE.toLocaleString('en')} events/s behind (${label})`, value: round(s.p99), unit: 'ms', target: '< 500 ms', met: missing === 0 && s.p99 < 500, details: { p50: round(s.p50) } },
      {
        id: `owner-change.${topology}.processing`,
        name: `events processed per second meanwhile (${label})`,
        value: round(processingRate),
        unit: 'events/s',
        baseline: { label: 'events received per second', value: round(bg.eventsPerSecond) },
        ratio: Math.round((processingRate / bg.eventsPerSecond) * 100) / 100,
        target: '≥ 1.00× received (keeps up)',
        met: processingRate >= bg.eventsPerSecond * 0.98,
        details: { pendingAtEnd: backlog[0]!.n },
      },
      {
        id: `owner-change.${topology}.background-ack-p99`,
        name: `intake ack p99 at a steady ${BACKGROUND_RATE} events/s (${label})`,
        value: round(bg.latency.p99),
        unit: 'ms',
        target: '< 50 ms',
        met: bg.failed === 0 && bg.latency.p99 < 50,
        details: { p50: round(bg.latency.p50), p95: round(bg.latency.p95), achievedEventsPerSecond: round(bg.eventsPerSecond), failedBatches: bg.failed, coresUsed: cores },
      },
    ];
  } finally {
    polling = false;
    await poller.end().catch(() => undefined);
    await sut?.stop();
    await emulator.proc.stop();
    await database.drop();
  }
}
