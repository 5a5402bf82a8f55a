import { sql, type Kysely } from 'kysely';

/** The webhook inbox and the per-object watermarks of the stale-event guard. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // A hash of the seven-field dedupe key: one short unique index, whatever the property value's length.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('subscription_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('property_name', 'text')
    .addColumn('property_value', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('organization_id', 'uuid', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'processed', 'ignored', 'unroutable', 'dead')`))
    .addColumn('outcome', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute();
  // Recovery sweeps and the lag gauge read pending events oldest first.
  await sql`create index webhook_events_pending_idx on webhook_events (received_at) where status = 'pending'`.execute(db);
  await sql`create index webhook_events_dead_idx on webhook_events (id) where status = 'dead'`.execute(db);
  // Retention deletes finished events by age.
  await db.schema.createIndex('webhook_events_received_idx').on('webhook_events').column('received_at').execute();
  await db.schema.createIndex('webhook_events_organization_idx').on('webhook_events').columns(['organization_id', 'status', 'id']).execute();
  // Privacy deletion scrubs a contact's events.
  await db.schema.createIndex('webhook_events_object_idx').on('webhook_events').columns(['portal_id', 'object_id']).execute();

  await db.schema
    .createTable('webhook_watermarks')
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addColumn('property_name', 'text', (c) => c.notNull())
    .addColumn('last_occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_value', 'text')
    .addPrimaryKeyConstraint('webhook_watermarks_pkey', ['portal_id', 'object_type', 'object_id', 'property_name'])
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_watermarks').execute();
  await db.schema.dropTable('webhook_events').execute();
}
