import type { latencySummary } from './stats.js';
import { startProc } from './procs.js';

/** What one webhook load run measured. */
export interface LoadResult {
  eventsPerSecond: number;
  events: number;
  failed: number;
  /** Events answered 200 over the whole run, warm-up included. */
  accepted: number;
  /** Events not answered 200 (refused or failed) over the whole run. */
  refused: number;
  latency: ReturnType<typeof latencySummary>;
}

/** Runs bench/processes/webhook-load.ts against `target` (its own process) and returns its figures. */
export async function runWebhookLoad(opts: {
  target: string;
  secret: string;
  portalIds: number[];
  mode: 'closed' | 'open';
  concurrency?: number;
  rate?: number;
  warmupMs: number;
  durationMs: number;
  eventIdBase: number;
  appId?: number;
  /** Stop once this many events were sent (closed loop: the backlog seeding). */
  totalEvents?: number;
}): Promise<LoadResult> {
  const proc = startProc('bench/processes/webhook-load.ts', {
    TARGET: opts.target,
    SECRET: opts.secret,
    PORTAL_IDS: opts.portalIds.join(','),
    MODE: opts.mode,
    CONCURRENCY: String(opts.concurrency ?? 10),
    RATE: String(opts.rate ?? 1000),
    WARMUP_MS: String(opts.warmupMs),
    DURATION_MS: String(opts.durationMs),
    EVENT_ID_BASE: String(opts.eventIdBase),
    APP_ID: String(opts.appId ?? 424242),
    TOTAL_EVENTS: String(opts.totalEvents ?? 0),
  });
  const result = await proc.line<LoadResult>('result', opts.warmupMs + opts.durationMs + 180_000);
  await proc.exited;
  return { eventsPerSecond: result.eventsPerSecond, events: result.events, failed: result.failed, accepted: result.accepted, refused: result.refused, latency: result.latency };
}
