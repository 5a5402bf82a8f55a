import { sql, type Kysely } from 'kysely';

/**
 * The inbox becomes the processing queue: each pending event carries when it is next due (now at
 * intake, later after a failed attempt), one partial index finds the due events oldest first and
 * another a portal's pending events in id order. The old pending index (by arrival, for the
 * re-queue of lost jobs) served only the job-per-event path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // now() is stable, so existing rows take it without a table rewrite.
  await sql`alter table webhook_events add column next_attempt_at timestamptz not null default now()`.execute(db);
  await sql`create index webhook_events_due_idx on webhook_events (next_attempt_at, id) where status = 'pending'`.execute(db);
  await sql`create index webhook_events_claim_idx on webhook_events (portal_id, id) where status = 'pending'`.execute(db);
  await sql`drop index if exists webhook_events_pending_idx`.execute(db);
}

/** Back to the job-per-event inbox. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists webhook_events_pending_idx on webhook_events (received_at) where status = 'pending'`.execute(db);
  await sql`drop index if exists webhook_events_claim_idx`.execute(db);
  await sql`drop index if exists webhook_events_due_idx`.execute(db);
  await sql`alter table webhook_events drop column next_attempt_at`.execute(db);
}
