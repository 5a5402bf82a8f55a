import { sql, type Kysely } from 'kysely';

/**
 * Connections: install links, OAuth states, pending installs, the connection of each
 * organization with its history, and the encrypted token vault. Secrets handed to people (link
 * tokens, state, claim tokens) are stored as SHA-256 only; HubSpot tokens are stored sealed
 * (AES-256-GCM, key id inside the value) in bytea columns, never as text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('install_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('install_links_organization_id_idx').on('install_links').column('organization_id').execute();

  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('install_link_id', 'uuid', (c) => c.notNull().references('install_links.id').onDelete('cascade'))
    // SHA-256 of the nonce in the browser's cookie: the callback must come from the browser that started.
    .addColumn('browser_binding_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_states_expires_at_idx').on('oauth_states').column('expires_at').execute();

  await db.schema
    .createTable('pending_installs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('unclaimed', 'awaiting_confirmation')`))
    .addColumn('organization_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('claim_token_hash', 'text', (c) => c.unique())
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('portal_domain', 'text')
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('access_token', 'bytea', (c) => c.notNull())
    .addColumn('refresh_token', 'bytea', (c) => c.notNull())
    .addColumn('access_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('pending_installs_owner', sql`(kind = 'unclaimed' and claim_token_hash is not null) or (kind = 'awaiting_confirmation' and organization_id is not null)`)
    .execute();
  await db.schema.createIndex('pending_installs_organization_id_idx').on('pending_installs').column('organization_id').execute();

  await db.schema
    .createTable('connections')
    .addColumn('organization_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('connected', 'needs_reauth', 'disconnected')`))
    .addColumn('auth', 'text', (c) => c.notNull().check(sql`auth in ('oauth', 'private_app')`))
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('portal_domain', 'text')
    .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('connected_by', 'text')
    .addColumn('connected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status_changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reauth_reason', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // One portal belongs to at most one organization (a disconnected row keeps its last portal for history).
  await db.schema
    .createIndex('connections_live_portal_uq')
    .on('connections')
    .column('portal_id')
    .unique()
    .where(sql.ref('status'), '<>', 'disconnected')
    .execute();

  await db.schema
    .createTable('connection_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('auth', 'text')
    .addColumn('portal_id', 'bigint')
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('connection_history_organization_idx').on('connection_history').columns(['organization_id', 'id']).execute();

  await db.schema
    .createTable('hubspot_tokens')
    .addColumn('organization_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('oauth', 'private_app')`))
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('access_token', 'bytea', (c) => c.notNull())
    .addColumn('refresh_token', 'bytea')
    .addColumn('access_expires_at', 'timestamptz')
    .addColumn('refreshed_at', 'timestamptz')
    .addColumn('refresh_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_after', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('invalidated_at', 'timestamptz')
    .addColumn('invalidated_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('hubspot_tokens_oauth_complete', sql`kind = 'private_app' or (refresh_token is not null and access_expires_at is not null)`)
    .execute();
}

/** Drops the connection tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['hubspot_tokens', 'connection_history', 'connections', 'pending_installs', 'oauth_states', 'install_links']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
