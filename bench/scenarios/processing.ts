import crypto from 'node:crypto';
import { connectReader, inboxCounts, waitForDrain } from '../lib/inbox.js';
import { runWebhookLoad } from '../lib/load.js';
import { benchPortalIds, connectFakePortals, withServices } from '../lib/seed.js';
import { ratioOf, round } from '../lib/stats.js';
import { backendEnv, startBackendProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const PORTALS = 50;
const APP_ID = 424242;
const TARGET = 5_000;
// Offered above the target, so a backend that reaches it shows it (it cannot process more than it gets).
const HIGH_RATE = 6_000;
const KEEP_UP_RATE = 1_000;

/**
 * Sustained webhook processing: signed 100-event batches of the subscribed types, open loop at a
 * fixed rate, spread over 50 connected organizations (one portal per batch, in turn), into one
 * backend process (role `all`, the default deployment). The rate is read from Postgres: events
 * finished (processed_at set) during a window after the warm-up, divided by its length. When the
 * offer stops, the backlog must drain: the time until no stored event is unfinished is reported.
 * Run at 6,000 events/s offered (target: ≥ 5,000 processed) and at 1,000 (target: keeps up).
 */
export const processingScenario: Scenario = {
  id: 'processing',
  title: 'Sustained webhook processing, mixed types over 50 portals',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const high = await offer(ctx, HIGH_RATE);
    const keepUp = await offer(ctx, KEEP_UP_RATE);
    const drainLimit = ctx.options.quick ? 10 : 30;
    return [
      {
        id: 'processing.sustained',
        name: `events processed/s, ${HIGH_RATE.toLocaleString('en')}/s offered over ${PORTALS} portals (1 process)`,
        value: round(high.processedPerSecond),
        unit: 'events/s',
        baseline: { label: 'events accepted per second', value: round(high.acceptedPerSecond) },
        ratio: ratioOf(high.processedPerSecond, high.acceptedPerSecond),
        target: `≥ ${TARGET.toLocaleString('en')} events/s`,
        met: high.processedPerSecond >= TARGET,
        details: high.details,
      },
      {
        id: 'processing.sustained.drain',
        name: `backlog drain after a ${HIGH_RATE.toLocaleString('en')}/s offer stops`,
        value: round(high.drainSeconds),
        unit: 's',
        target: `drains ≤ ${drainLimit} s`,
        met: high.drained && high.drainSeconds <= drainLimit,
        details: { drained: high.drained, unfinishedAtOfferEnd: high.unfinishedAtOfferEnd, unfinishedAtGiveUp: high.unfinishedAtGiveUp },
      },
      {
        id: 'processing.keep-up',
        name: `events processed/s, ${KEEP_UP_RATE.toLocaleString('en')}/s offered over ${PORTALS} portals (1 process)`,
        value: round(keepUp.processedPerSecond),
        unit: 'events/s',
        baseline: { label: 'events accepted per second', value: round(keepUp.acceptedPerSecond) },
        ratio: ratioOf(keepUp.processedPerSecond, keepUp.acceptedPerSecond),
        target: '≥ 0.98× accepted, drains ≤ 5 s',
        met: keepUp.processedPerSecond >= 0.98 * keepUp.acceptedPerSecond && keepUp.drained && keepUp.drainSeconds <= 5,
        details: { ...keepUp.details, drainSeconds: round(keepUp.drainSeconds), drained: keepUp.drained, unfinishedAtOfferEnd: keepUp.unfinishedAtOfferEnd },
      },
    ];
  },
};

async function offer(ctx: BenchContext, rate: number) {
  const quick = ctx.options.quick;
  const warmupMs = quick ? 3_000 : 10_000;
  const durationMs = quick ? 8_000 : 30_000;
  const secret = crypto.randomBytes(16).toString('hex');
  const database = await ctx.pg.freshDatabase(`processing_${rate}`);
  const reader = await connectReader(database.url);
  try {
    const be = await backendEnv({ clientId: 'bench-client', clientSecret: secret, appId: APP_ID, apiBaseUrl: 'http://127.0.0.1:9' }, database.url);
    const portalIds = benchPortalIds(PORTALS);
    await withServices(be.env, (s) => connectFakePortals(s, portalIds));
    const sut = await startBackendProcess(be);
    try {
      ctx.note(`processing: ${rate} events/s offered for ${(warmupMs + durationMs) / 1000} s`);
      const load = runWebhookLoad({ target: sut.url, secret, portalIds, mode: 'open', rate, warmupMs, durationMs, eventIdBase: 1, appId: APP_ID });
      await new Promise((r) => setTimeout(r, warmupMs));
      const from = await inboxCounts(reader);
      await new Promise((r) => setTimeout(r, Math.max(0, from.at - Date.now() + durationMs)));
      const to = await inboxCounts(reader);
      const sent = await load;
      const atOfferEnd = await inboxCounts(reader);
      const processedPerSecond = (to.finished - from.finished) / ((to.at - from.at) / 1000);
      const acceptedPerSecond = (to.total - from.total) / ((to.at - from.at) / 1000);
      ctx.note(`processing: ${round(processedPerSecond)} processed/s; draining ${atOfferEnd.unfinished}`);
      const drain = await waitForDrain(reader, quick ? 30_000 : 120_000, { everyMs: 100, alive: () => sut.proc.child.exitCode === null });
      return {
        processedPerSecond,
        acceptedPerSecond,
        drained: drain.drained,
        drainSeconds: drain.ms / 1000,
        unfinishedAtOfferEnd: atOfferEnd.unfinished,
        unfinishedAtGiveUp: drain.counts.unfinished,
        details: {
          windowSeconds: round((to.at - from.at) / 1000),
          offeredPerSecond: rate,
          acceptedEvents: sent.accepted,
          refusedEvents: sent.refused,
          storedEvents: drain.counts.total,
          dead: drain.counts.dead,
          intakeAckP99: round(sent.latency.p99),
        },
      };
    } finally {
      await sut.stop();
    }
  } finally {
    await reader.end().catch(() => undefined);
    await database.drop();
  }
}
