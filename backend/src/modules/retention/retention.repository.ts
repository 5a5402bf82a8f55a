// The retention deletes. Each statement deletes at most BATCH_ROWS rows (oldest ids first, so the
// scan stops early), and the caller loops until a batch comes back short: a sweep never holds many
// row locks, or one long transaction, on tables the request path writes.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import { PUSH_EVENT_JOB } from '../events/events.jobs.js';

/** Rows one delete statement removes at most. */
export const BATCH_ROWS = 5_000;

/** Runs one bounded delete statement until it deletes fewer than `batch` rows. @returns rows deleted */
async function deleteInBatches(db: Db, statement: (limit: number) => RawBuilder<unknown>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await statement(batch).execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batch) return total;
  }
}

// An event whose push job is still waiting, retrying or running: deleting it would lose the push
// (the job finds no event and ends). pg-boss keeps the job's payload in pgboss.job.
const pushPending = (eventId: RawBuilder<unknown>) => sql`exists (
  select 1 from pgboss.job j
  where j.name = ${PUSH_EVENT_JOB.queue} and j.state in ('created', 'retry', 'active') and (j.data->>'eventId')::bigint = ${eventId})`;

/** Deletes the push attempts, then the events, created before `cutoff` whose push is not pending. */
async function deleteEventsBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<{ events: number; deliveries: number }> {
  const deliveries = await deleteInBatches(db, (limit) => sql`
    delete from event_deliveries where id in (
      select d.id from event_deliveries d join events e on e.id = d.event_id
      where e.created_at < ${cutoff} and not ${pushPending(sql.ref('e.id'))}
      order by d.id limit ${limit})`, batch);
  const events = await deleteInBatches(db, (limit) => sql`
    delete from events where id in (
      select e.id from events e
      where e.created_at < ${cutoff} and not ${pushPending(sql.ref('e.id'))}
      order by e.id limit ${limit})`, batch);
  return { events, deliveries };
}

/**
 * Deletes stored workflow-action answers created before `cutoff`: committed ones (answer set) whose
 * Send to AI callback, if any, is no longer open.
 */
async function deleteExecutionsBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    delete from workflow_action_executions where callback_id in (
      select x.callback_id from workflow_action_executions x
      where x.created_at < ${cutoff} and x.answer is not null
        and not exists (select 1 from workflow_action_callbacks c where c.callback_id = x.callback_id and c.status in ('pending', 'completing'))
      limit ${limit})`, batch);
}

/** A table whose finished rows age out: which statuses are final, and when a row finished. */
interface FinishedRows {
  table: string;
  key: string;
  /** Final statuses (code constants, written into the statement as literals so partial indexes match). */
  finished: readonly string[];
  /** The column the cutoff applies to. */
  at: string;
  /** The order the batches take (an indexed column, so a batch stops at its limit). */
  orderBy: string;
}

/** Deletes rows in a final status whose `at` is before `cutoff`, in batches. @returns rows deleted */
async function deleteFinishedBefore(db: Db, rows: FinishedRows, cutoff: Date, batch: number): Promise<number> {
  const table = sql.table(rows.table);
  const key = sql.ref(rows.key);
  return deleteInBatches(db, (limit) => sql`
    delete from ${table} where ${key} in (
      select ${key} from ${table}
      where status in (${sql.join(rows.finished.map((s) => sql.lit(s)))}) and ${sql.ref(rows.at)} < ${cutoff}
      order by ${sql.ref(rows.orderBy)} limit ${limit})`, batch);
}

/** Deletes note write-backs that finished (written, or given up) and were last touched before `cutoff`. */
async function deleteWritebacksBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<number> {
  return deleteFinishedBefore(db, { table: 'note_writebacks', key: 'id', finished: ['done', 'failed'], at: 'updated_at', orderBy: 'id' }, cutoff, batch);
}

/**
 * Deletes Send to AI callbacks that finished (completed, expired or refused) before `cutoff`. Open
 * ones (pending, completing) are never deleted: HubSpot is still waiting on them.
 */
async function deleteCallbacksBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<number> {
  const finished = ['completed', 'expired', 'rejected'];
  return deleteFinishedBefore(db, { table: 'workflow_action_callbacks', key: 'callback_id', finished, at: 'completed_at', orderBy: 'completed_at' }, cutoff, batch);
}

/** Deletes automatic resumes that ran (resumed, or skipped) before `cutoff`; scheduled ones are never deleted. */
async function deleteAutoResumesBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<number> {
  return deleteFinishedBefore(db, { table: 'workflow_auto_resumes', key: 'id', finished: ['resumed', 'skipped'], at: 'done_at', orderBy: 'done_at' }, cutoff, batch);
}

/** Deletes privacy-erasure records made before `cutoff`. */
async function deleteErasuresBefore(db: Db, cutoff: Date, batch = BATCH_ROWS): Promise<number> {
  return deleteInBatches(db, (limit) => sql`
    delete from privacy_erasures where id in (
      select p.id from privacy_erasures p where p.erased_at < ${cutoff} order by p.erased_at limit ${limit})`, batch);
}

export const retentionRepository = {
  deleteEventsBefore,
  deleteExecutionsBefore,
  deleteWritebacksBefore,
  deleteCallbacksBefore,
  deleteAutoResumesBefore,
  deleteErasuresBefore,
};
