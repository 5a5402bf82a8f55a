import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the hourly retention sweep of Send to AI callbacks, automatic resumes and privacy-erasure
 * records. Each delete takes the oldest finished rows past a cutoff, 5,000 at a time; without these a
 * sweep read the whole table to find the few rows an hour ages out (seq scan, measured with EXPLAIN
 * ANALYZE on 300k rows). Partial on finished rows: open callbacks and scheduled resumes are never
 * swept, and stay out of the index. Stored workflow-action answers age out by `created_at`, which
 * only had an index led by the organization: a plain index on it, not partial on `answer is not
 * null`, because a column in an index's predicate would stop storing the answer from being a HOT update.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index workflow_action_callbacks_finished_idx on workflow_action_callbacks (completed_at) where status in ('completed', 'expired', 'rejected')`.execute(db);
  await sql`create index workflow_auto_resumes_done_idx on workflow_auto_resumes (done_at) where status in ('resumed', 'skipped')`.execute(db);
  await sql`create index privacy_erasures_erased_at_idx on privacy_erasures (erased_at)`.execute(db);
  await sql`create index workflow_action_executions_created_idx on workflow_action_executions (created_at)`.execute(db);
}

/** Drops the retention indexes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists workflow_action_executions_created_idx`.execute(db);
  await sql`drop index if exists privacy_erasures_erased_at_idx`.execute(db);
  await sql`drop index if exists workflow_auto_resumes_done_idx`.execute(db);
  await sql`drop index if exists workflow_action_callbacks_finished_idx`.execute(db);
}
