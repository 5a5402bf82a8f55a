import type { latencySummary } from './stats.js';
import { startProc } from './procs.js';

/** What one webhook load run measured. */
export interface LoadResult {
  eventsPerSecond: number;
  events: number;
  failed: number;
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
  });
  const result = await proc.line<LoadResult>('result', opts.warmupMs + opts.durationMs + 120_000);
  await proc.exited;
  return { eventsPerSecond: result.eventsPerSecond, events: result.events, failed: result.failed, latency: result.latency };
}
