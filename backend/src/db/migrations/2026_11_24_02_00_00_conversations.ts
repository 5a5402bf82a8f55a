import { sql, type Kysely } from 'kysely';

/** Organization settings, conversations with their audit trail, note write-backs and privacy erasures. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_settings')
    .addColumn('organization_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('pause_on_owner_change', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'bigint')
    .addColumn('contact_id', 'bigint')
    .addColumn('thread_id', 'bigint')
    // The contact a plain contact.deletion unlinked: a later contact.privacyDeletion (HubSpot sends
    // both, in any order) must still find and erase these conversations.
    .addColumn('former_contact_id', 'bigint')
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('ai_state', 'text', (c) => c.notNull().defaultTo('active').check(sql`ai_state in ('active', 'paused', 'handoff_requested')`))
    .addColumn('thread_status', 'text')
    .addColumn('thread_closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('conversations_organization_external_key', ['organization_id', 'external_id'])
    .execute();
  // Webhook handlers and the vendor API look conversations up by each HubSpot link.
  for (const column of ['ticket_id', 'contact_id', 'thread_id', 'former_contact_id']) {
    await sql`create index ${sql.raw(`conversations_${column}_idx`)} on conversations (organization_id, ${sql.ref(column)}) where ${sql.ref(column)} is not null`.execute(db);
  }

  await db.schema
    .createTable('conversation_transitions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('owner_change', 'assignment', 'workflow', 'card', 'api')`))
    .addColumn('actor', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'jsonb')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('conversation_transitions_conversation_idx').on('conversation_transitions').columns(['conversation_id', 'id']).execute();

  await db.schema
    .createTable('note_writebacks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('transition_id', 'bigint', (c) => c.notNull().references('conversation_transitions.id').onDelete('cascade'))
    .addColumn('ticket_id', 'bigint')
    .addColumn('contact_id', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('hubspot_note_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('note_writebacks_conversation_idx').on('note_writebacks').columns(['conversation_id', 'id']).execute();

  await db.schema
    .createTable('privacy_erasures')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('contact_id', 'bigint', (c) => c.notNull())
    .addColumn('conversations_unlinked', 'integer', (c) => c.notNull())
    .addColumn('erased_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

/** Drops what `up` created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['privacy_erasures', 'note_writebacks', 'conversation_transitions', 'conversations', 'organization_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
