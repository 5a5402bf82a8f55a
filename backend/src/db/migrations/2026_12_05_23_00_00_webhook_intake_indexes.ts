import { sql, type Kysely } from 'kysely';

/**
 * Cheaper inserts at intake (docs/SCALING.md, targets not met, item 3). An accepted event has no
 * organization until it is processed, and every reader of the organization index asks for one
 * organization, so the index leaves those rows out. Retention is the only reader by `received_at`,
 * a range over a column that grows with arrival: a BRIN index serves it, and an insert touches one
 * small summary instead of a B-tree page of its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index webhook_events_organization_set_idx on webhook_events (organization_id, status, id) where organization_id is not null`.execute(db);
  await sql`drop index if exists webhook_events_organization_idx`.execute(db);
  await sql`create index webhook_events_received_brin_idx on webhook_events using brin (received_at)`.execute(db);
  await sql`drop index if exists webhook_events_received_idx`.execute(db);
}

/** Back to full B-tree indexes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists webhook_events_received_idx on webhook_events (received_at)`.execute(db);
  await sql`drop index if exists webhook_events_received_brin_idx`.execute(db);
  await sql`create index if not exists webhook_events_organization_idx on webhook_events (organization_id, status, id)`.execute(db);
  await sql`drop index if exists webhook_events_organization_set_idx`.execute(db);
}
