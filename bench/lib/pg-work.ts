// What Postgres did between two moments, for the soak's per-window figures: WAL written (and how
// much of it full-page images, which grow with the distinct pages touched between checkpoints),
// buffers read and hit, checkpoints, and the inbox table's dead rows and vacuum runs. Counters,
// not timings, so a busy machine does not change them.
import type pg from 'pg';

/** One reading of Postgres's cumulative counters. */
export interface PgCounters {
  at: number;
  walBytes: number;
  walFpi: number;
  blksHit: number;
  blksRead: number;
  checkpoints: number;
  inboxRows: number;
  inboxDeadRows: number;
  inboxVacuums: number;
}

/** Reads the counters (the server's WAL and checkpoints, this database's buffers, the inbox's stats). */
export async function readPgCounters(client: pg.Client): Promise<PgCounters> {
  const { rows } = await client.query<Record<string, string>>(`
    select w.wal_bytes, w.wal_fpi, d.blks_hit, d.blks_read, c.num_timed + c.num_requested as checkpoints,
           t.n_live_tup, t.n_dead_tup, t.autovacuum_count + t.vacuum_count as vacuums
    from pg_stat_wal w, pg_stat_database d, pg_stat_checkpointer c, pg_stat_user_tables t
    where d.datname = current_database() and t.relname = 'webhook_events'`);
  const r = rows[0]!;
  return {
    at: Date.now(),
    walBytes: Number(r.wal_bytes),
    walFpi: Number(r.wal_fpi),
    blksHit: Number(r.blks_hit),
    blksRead: Number(r.blks_read),
    checkpoints: Number(r.checkpoints),
    inboxRows: Number(r.n_live_tup),
    inboxDeadRows: Number(r.n_dead_tup),
    inboxVacuums: Number(r.vacuums),
  };
}

/** Per window between consecutive readings: WAL MB, full-page images, buffers (k), checkpoints, inbox rows and dead rows at its end, vacuums. */
export function pgWorkPerWindow(readings: readonly PgCounters[]): Record<string, number>[] {
  return readings.slice(1).map((b, i) => {
    const a = readings[i]!;
    return {
      walMb: Math.round((b.walBytes - a.walBytes) / 1024 / 1024),
      fpi: b.walFpi - a.walFpi,
      buffersK: Math.round((b.blksHit + b.blksRead - a.blksHit - a.blksRead) / 1000),
      readsK: Math.round((b.blksRead - a.blksRead) / 1000),
      checkpoints: b.checkpoints - a.checkpoints,
      inboxRowsK: Math.round(b.inboxRows / 1000),
      inboxDeadRowsK: Math.round(b.inboxDeadRows / 1000),
      inboxVacuums: b.inboxVacuums - a.inboxVacuums,
    };
  });
}
