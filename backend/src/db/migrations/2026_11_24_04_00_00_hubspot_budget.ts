import { sql, type Kysely } from 'kysely';

/**
 * The per-portal HubSpot call log behind the shared rate budget (backend/src/hubspot/budget-store.ts):
 * one row per call booked, in flight or answered, by any process, with the database clock's time.
 * Rows that left the window are deleted by the next booking for the portal, so the table stays small.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hubspot_budget_calls')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    // The slot (bookings can lie slightly ahead); once settled, when the answer came back.
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    // The call's answer (or failure) came back; until then it may reach HubSpot at any moment.
    .addColumn('settled', 'boolean', (c) => c.notNull().defaultTo(false))
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
