import { sql, type Kysely } from 'kysely';

/**
 * The token refresh log: one row per refresh attempt of an organization's OAuth token and how it
 * ended, for the connection page's troubleshooting panel. Only the newest rows per organization are
 * kept (the tokens repository prunes on insert), so the table stays small however often tokens refresh.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_refreshes')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('due', 'rejected', 'scheduled')`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('refreshed', 'failed', 'refused')`))
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('token_refreshes_organization_idx').on('token_refreshes').columns(['organization_id', 'id']).execute();
}

/** Drops the refresh log. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('token_refreshes').ifExists().execute();
}
