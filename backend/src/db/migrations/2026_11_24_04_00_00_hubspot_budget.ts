import { sql, type Kysely } from 'kysely';

/**
 * The per-portal HubSpot call log behind the shared rate budget (backend/src/hubspot/budget-store.ts):
 * one row per call made or booked, by any process, with the database clock's time. Rows older than
 * the window are deleted by the next booking for the portal, so the table stays small.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hubspot_budget_calls')
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    // When the call may be sent (≥ booking time; bookings can lie slightly in the future).
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    // 1 per call; a 429 is stored as one row weighing a whole window, so every process pauses.
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('lane', 'text', (c) => c.notNull().check(sql`lane in ('interactive', 'bulk', 'penalty')`))
    .execute();
  await db.schema.createIndex('hubspot_budget_calls_portal_at_idx').on('hubspot_budget_calls').columns(['portal_id', 'at']).execute();
}

/** Drops the call log. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hubspot_budget_calls').execute();
}
