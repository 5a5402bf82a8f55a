import { sql, type Kysely } from 'kysely';

/**
 * A note write-back refused because of the connection's state (needs reauth, disconnected) waits for
 * the reconnect instead of failing: status `waiting_connection`, re-queued once when the organization
 * connects again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table note_writebacks drop constraint if exists note_writebacks_status_check`.execute(db);
  await sql`alter table note_writebacks add constraint note_writebacks_status_check check (status in ('pending', 'done', 'failed', 'waiting_connection'))`.execute(db);
  await db.schema.createIndex('note_writebacks_attention_idx').on('note_writebacks').columns(['organization_id', 'status', 'id']).where(sql.ref('status'), '<>', 'done').execute();
}

/** Back to three statuses; waiting write-backs become failed. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('note_writebacks_attention_idx').ifExists().execute();
  await sql`update note_writebacks set status = 'failed' where status = 'waiting_connection'`.execute(db);
  await sql`alter table note_writebacks drop constraint if exists note_writebacks_status_check`.execute(db);
  await sql`alter table note_writebacks add constraint note_writebacks_status_check check (status in ('pending', 'done', 'failed'))`.execute(db);
}
