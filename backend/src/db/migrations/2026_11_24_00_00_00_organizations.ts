import { sql, type Kysely } from 'kysely';

/** Organizations and their hashed API keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('oauth_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('api_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

/** Drops organizations. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organizations').execute();
}
