// What the benchmarks read from Postgres about webhook processing: only public state of the inbox
// table (webhook_events.processed_at is set once an event is finished, whatever its outcome, dead
// included), never the job queue, so the figures mean the same whatever queues the events inside.
import pg from 'pg';

/** Counts of the inbox at one moment. */
export interface InboxCounts {
  /** Rows stored (one per accepted event: every bench event is unique). */
  total: number;
  /** Rows with processed_at set (processed, ignored, unroutable or dead). */
  finished: number;
  /** Rows not finished yet (the backlog). */
  unfinished: number;
  /** Rows parked as dead (finished, but not applied). */
  dead: number;
  /** When the counts were read (epoch ms, after the query returned). */
  at: number;
}

/** A single connection to a bench database for reading counts. */
export async function connectReader(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-reader' });
  await client.connect();
  return client;
}

/** Reads the inbox counts (one scan). */
export async function inboxCounts(client: pg.Client): Promise<InboxCounts> {
  const { rows } = await client.query<{ total: number; finished: number; dead: number }>(
    "select count(*)::int as total, count(processed_at)::int as finished, count(*) filter (where status = 'dead')::int as dead from webhook_events",
  );
  const r = rows[0]!;
  return { total: r.total, finished: r.finished, unfinished: r.total - r.finished, dead: r.dead, at: Date.now() };
}

/**
 * Polls until no stored event is unfinished or `timeoutMs` passed. `alive` (optional) is checked
 * each round so a backend that died ends the wait at once; `onCounts` (optional) sees each reading.
 */
export async function waitForDrain(
  client: pg.Client,
  timeoutMs: number,
  opts: { everyMs?: number; alive?: () => boolean; onCounts?: (counts: InboxCounts) => void } = {},
): Promise<{ drained: boolean; ms: number; counts: InboxCounts }> {
  const t0 = Date.now();
  for (;;) {
    const counts = await inboxCounts(client);
    opts.onCounts?.(counts);
    const ms = counts.at - t0;
    if (counts.unfinished === 0) return { drained: true, ms, counts };
    if (ms >= timeoutMs) return { drained: false, ms, counts };
    if (opts.alive && !opts.alive()) throw new Error(`backend exited while ${counts.unfinished} events were unfinished`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 250));
  }
}

/**
 * The processing rate of the middle of a drain, from processed_at itself: finished events between
 * the 10th and the 90th percentile of their finishing times, divided by that span. Start-up of the
 * processes and the tail of the last batch are left out, so one and two workers compare fairly.
 */
export async function middleRate(client: pg.Client): Promise<{ perSecond: number; finished: number; spanSeconds: number }> {
  const { rows } = await client.query<{ n: number; t10: number | null; t90: number | null }>(
    `select count(processed_at)::int as n,
            extract(epoch from percentile_disc(0.1) within group (order by processed_at))::float8 as t10,
            extract(epoch from percentile_disc(0.9) within group (order by processed_at))::float8 as t90
       from webhook_events where processed_at is not null`,
  );
  const r = rows[0]!;
  const span = r.t10 !== null && r.t90 !== null ? r.t90 - r.t10 : 0;
  return { perSecond: span > 0 ? (0.8 * r.n) / span : 0, finished: r.n, spanSeconds: Math.round(span * 10) / 10 };
}
