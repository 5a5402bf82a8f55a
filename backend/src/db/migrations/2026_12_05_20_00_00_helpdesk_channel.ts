import { sql, type Kysely } from 'kysely';

/**
 * The help-desk bridge (HubSpot's custom channels API,
 * https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide):
 * the app's registered channel, one channel account per organization, one HubSpot thread per
 * conversation, the outbox of messages published into threads, and the agent replies received.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One channel per app (registration is idempotent on the app id).
  await db.schema
    .createTable('helpdesk_channels')
    .addColumn('app_id', 'bigint', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text', (c) => c.notNull())
    .addColumn('redirect_url', 'text', (c) => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('helpdesk_channel_accounts')
    .addColumn('organization_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('channel_account_id', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('delivery_identifier', 'text', (c) => c.notNull())
    .addColumn('connected_via', 'text', (c) => c.notNull().check(sql`connected_via in ('api', 'hubspot')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('helpdesk_channel_accounts_account_key', ['channel_id', 'channel_account_id'])
    .execute();

  // A conversation's HubSpot thread: known once the first message was published (its answer names it).
  await db.schema
    .createTable('helpdesk_threads')
    .addColumn('conversation_id', 'uuid', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('hubspot_thread_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index helpdesk_threads_hubspot_idx on helpdesk_threads (organization_id, hubspot_thread_id) where hubspot_thread_id is not null`.execute(db);

  // The outbox: `seq` keeps the order per conversation; `id` is HubSpot's integrationIdempotencyId.
  await db.schema
    .createTable('helpdesk_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('customer', 'ai')`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('rich_text', 'text')
    .addColumn('customer', 'jsonb', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('hubspot_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('helpdesk_messages_idempotency_key', ['organization_id', 'conversation_id', 'idempotency_key'])
    .execute();
  await sql`create index helpdesk_messages_pending_idx on helpdesk_messages (conversation_id, seq) where status = 'pending'`.execute(db);
  await sql`create index helpdesk_messages_failed_idx on helpdesk_messages (organization_id, seq) where status = 'failed'`.execute(db);

  // Agent replies received on the channel webhook: the primary key makes a redelivery a no-op.
  await db.schema
    .createTable('helpdesk_agent_replies')
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('hubspot_message_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('hubspot_thread_id', 'text', (c) => c.notNull())
    .addColumn('delivery_status', 'text', (c) => c.check(sql`delivery_status in ('sent', 'failed', 'read')`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('helpdesk_agent_replies_pkey', ['organization_id', 'hubspot_message_id'])
    .execute();
}

/** Drops the help-desk tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['helpdesk_agent_replies', 'helpdesk_messages', 'helpdesk_threads', 'helpdesk_channel_accounts', 'helpdesk_channels']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
