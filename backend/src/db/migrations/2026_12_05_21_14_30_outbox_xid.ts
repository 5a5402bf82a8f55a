import { sql, type Kysely } from 'kysely';

/**
 * The outbox without a writer lock: each event keeps the id of the transaction that wrote it, and the
 * feed reads in (xid, id) order up to the oldest transaction still running (events.repository.ts).
 * Rows written before this migration all take the migration's transaction id, so their order is
 * their id order, ahead of every later event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events add column xid xid8 not null default pg_current_xact_id()`.execute(db);
  await sql`create index events_feed_idx on events (organization_id, xid, id)`.execute(db);
  await sql`drop index if exists events_organization_id_idx`.execute(db);
}

/** Back to the id-ordered feed (which needs the per-organization writer lock again). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists events_organization_id_idx on events (organization_id, id)`.execute(db);
  await sql`drop index if exists events_feed_idx`.execute(db);
  await sql`alter table events drop column xid`.execute(db);
}
