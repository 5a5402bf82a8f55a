// Table sizes for the soak: rows and bytes (with indexes and TOAST) of the tables that grow with
// traffic, and which retention bounds each. pg-boss keeps its jobs in a partitioned table, whose
// size is the sum of its partitions.
import type pg from 'pg';

/** A table the soak watches, and what keeps it from growing forever. */
export interface WatchedTable {
  table: string;
  /** The rule that deletes its rows, or null when nothing does. */
  retention: string | null;
}

/**
 * The tables that grow with webhooks, workflow actions and card reads, and their retention as the
 * code has it today (backend/src/modules/webhooks/retention.ts, backend/src/modules/retention/; pg-boss options in
 * backend/src/platform/jobs.ts and pg-boss's defaults). Update this list when a retention changes.
 */
export const WATCHED_TABLES: WatchedTable[] = [
  { table: 'webhook_events', retention: 'finished events deleted 14 days after receipt (minutely sweep); dead ones kept' },
  { table: 'events', retention: 'deleted EVENTS_RETENTION_DAYS (30) after creation unless a push is pending (hourly sweep)' },
  { table: 'event_deliveries', retention: 'deleted with their event (hourly sweep)' },
  { table: 'conversation_transitions', retention: 'kept while the conversation exists (the audit trail); deleted with it' },
  { table: 'workflow_action_executions', retention: 'answered executions deleted 30 days after creation unless their callback is open (hourly sweep)' },
  { table: 'workflow_action_callbacks', retention: 'finished (completed, expired, rejected) deleted 30 days after finishing; open ones kept (hourly sweep)' },
  { table: 'workflow_auto_resumes', retention: 'resumed or skipped deleted 30 days after running; scheduled ones kept (hourly sweep)' },
  { table: 'note_writebacks', retention: 'finished (done, failed) deleted 30 days after finishing (hourly sweep)' },
  { table: 'privacy_erasures', retention: 'proof of a privacy deletion: deleted PRIVACY_ERASURES_RETENTION_DAYS (1095) after the erasure (hourly sweep)' },
  { table: 'pgboss.job', retention: 'pg-boss: finished jobs archived after 12 h (default)' },
  { table: 'pgboss.archive', retention: 'pg-boss: archived jobs deleted after 7 days (deleteAfterDays)' },
];

/** Rows and bytes of one table at one moment (null when the table does not exist in this schema). */
export interface TableSize {
  rows: number;
  bytes: number;
}

/** Reads rows and total bytes of every watched table. */
export async function tableSizes(client: pg.Client): Promise<Record<string, TableSize | null>> {
  const out: Record<string, TableSize | null> = {};
  for (const { table } of WATCHED_TABLES) {
    const exists = await client.query<{ oid: string | null }>('select to_regclass($1)::text as oid', [table]);
    if (!exists.rows[0]?.oid) {
      out[table] = null;
      continue;
    }
    const { rows } = await client.query<{ rows: number; bytes: string }>(
      `select (select count(*)::int from ${table}) as rows,
              (select coalesce(sum(pg_total_relation_size(relid)), 0) from pg_partition_tree($1::regclass))::text as bytes`,
      [table],
    );
    out[table] = { rows: rows[0]!.rows, bytes: Number(rows[0]!.bytes) };
  }
  return out;
}
