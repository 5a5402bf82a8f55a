import { sql, type Kysely } from 'kysely';

/** A help-desk thread's assignee change is its own transition source (`hubspot-thread-assignee`). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table conversation_transitions drop constraint if exists conversation_transitions_source_check`.execute(db);
  await sql`alter table conversation_transitions add constraint conversation_transitions_source_check check (source in ('owner_change', 'assignment', 'workflow', 'card', 'api', 'hubspot-thread-assignee'))`.execute(db);
}

/** Back to the five sources; help-desk assignee transitions become `assignment`. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table conversation_transitions drop constraint if exists conversation_transitions_source_check`.execute(db);
  await sql`update conversation_transitions set source = 'assignment' where source = 'hubspot-thread-assignee'`.execute(db);
  await sql`alter table conversation_transitions add constraint conversation_transitions_source_check check (source in ('owner_change', 'assignment', 'workflow', 'card', 'api'))`.execute(db);
}
