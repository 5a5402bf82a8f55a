// The conversation aggregate's rows: conversations, their HubSpot links and the privacy-erasure record.
// The audit trail is in transitions.repository.ts, the note write-backs in note-writebacks.repository.ts.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import type { AiState, ConversationRow } from './conversations.table.js';

type Executor = Db | Transaction<Database>;

/** A conversation. HubSpot ids are numbers here and strings on the wire. */
export interface Conversation {
  id: string;
  organizationId: string;
  externalId: string;
  ticketId: number | null;
  contactId: number | null;
  threadId: number | null;
  contactName: string | null;
  contactEmail: string | null;
  aiState: AiState;
  threadStatus: string | null;
  threadClosedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Which HubSpot link to look conversations up by (all given filters must match). */
export interface RecordFilter {
  ticketId?: number;
  contactId?: number;
  threadId?: number;
}

/** Fields an upsert may set; `undefined` leaves a field as it is, `null` clears it. */
export interface ConversationFields {
  ticketId?: number | null;
  contactId?: number | null;
  threadId?: number | null;
  contactName?: string | null;
  contactEmail?: string | null;
}

function rowToConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    organizationId: row.organization_id,
    externalId: row.external_id,
    ticketId: row.ticket_id,
    contactId: row.contact_id,
    threadId: row.thread_id,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    aiState: row.ai_state,
    threadStatus: row.thread_status,
    threadClosedAt: row.thread_closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findConversationById(db: Executor, organizationId: string, id: string): Promise<Conversation | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db.selectFrom('conversations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row ? rowToConversation(row) : undefined;
}

async function lockConversationById(trx: Transaction<Database>, organizationId: string, id: string): Promise<Conversation | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await trx.selectFrom('conversations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToConversation(row) : undefined;
}

/** Locks every conversation matching the filter, in id order (a fixed order, so no deadlocks). */
async function lockConversationsByRecord(trx: Transaction<Database>, organizationId: string, filter: RecordFilter): Promise<Conversation[]> {
  const rows = await selectByRecord(trx, organizationId, filter).orderBy('id').forUpdate().execute();
  return rows.map(rowToConversation);
}

// Every column of a conversation, named (for a prepared statement's result).
const CONVERSATION_COLUMNS = ['id', 'organization_id', 'external_id', 'ticket_id', 'contact_id', 'thread_id', 'former_contact_id', 'contact_name', 'contact_email', 'ai_state', 'thread_status', 'thread_closed_at', 'created_at', 'updated_at'] as const satisfies readonly (keyof ConversationRow)[];
const LOCKED_COLUMNS = sql.raw(CONVERSATION_COLUMNS.map((c) => `c.${c}`).join(', '));

/**
 * Runs the caller's `gate` (a data-modifying statement with RETURNING, e.g. a claim's INSERT … ON
 * CONFLICT DO NOTHING) and, only when it returned a row, locks the record's conversations in id order
 * like lockConversationsByRecord, in one statement: one round trip instead of two on the workflow
 * actions' path.
 * @returns whether the gate returned a row, and the conversations locked (none when it did not)
 */
async function lockConversationsByRecordAfter(
  trx: Transaction<Database>,
  organizationId: string,
  filter: { ticketId: number } | { contactId: number },
  gate: RawBuilder<unknown>,
): Promise<{ passed: boolean; conversations: Conversation[] }> {
  const match = 'ticketId' in filter ? sql`c.ticket_id = ${filter.ticketId}` : sql`c.contact_id = ${filter.contactId}`;
  // Prepared (db/prepared.ts), so its columns are named: a column added by a migration must not
  // change a kept plan's result type.
  const { rows } = await prepared(sql<{ gate_rows: number } & { [K in keyof ConversationRow]: ConversationRow[K] | null }>`
    with gate as (${gate}), locked as (
      select ${LOCKED_COLUMNS} from conversations c
      where exists (select 1 from gate) and c.organization_id = ${organizationId} and ${match}
      order by c.id for update
    )
    select (select count(*) from gate)::int as gate_rows, locked.* from (select 1) as one left join locked on true order by locked.id`).execute(trx);
  const passed = (rows[0]?.gate_rows ?? 0) > 0;
  return { passed, conversations: rows.filter((r) => r.id !== null).map((r) => rowToConversation(r as ConversationRow)) };
}

/** Tickets and threads of one organization, to look their conversations up in one statement. */
export interface RecordSet {
  organizationId: string;
  ticketIds: readonly number[];
  threadIds: readonly number[];
}

/**
 * Every conversation linked to any of these records (of several organizations), in id order, in one
 * statement; with `lock`, each is locked for update (inside a transaction; in id order, so no deadlocks).
 */
async function findConversationsByRecords(db: Executor, sets: readonly RecordSet[], opts: { lock: boolean }): Promise<Conversation[]> {
  const pairs = (ids: (s: RecordSet) => readonly number[]) => ({ orgs: sets.flatMap((s) => ids(s).map(() => s.organizationId)), ids: sets.flatMap((s) => [...ids(s)]) });
  const tickets = pairs((s) => s.ticketIds);
  const threads = pairs((s) => s.threadIds);
  if (tickets.ids.length === 0 && threads.ids.length === 0) return [];
  const result = await sql<ConversationRow>`
    select c.* from conversations c where c.id in (
      select t.id from conversations t join unnest(${tickets.orgs}::uuid[], ${tickets.ids}::bigint[]) k(org, rec) on t.organization_id = k.org and t.ticket_id = k.rec
      union
      select h.id from conversations h join unnest(${threads.orgs}::uuid[], ${threads.ids}::bigint[]) k(org, rec) on h.organization_id = k.org and h.thread_id = k.rec)
    order by c.id ${opts.lock ? sql`for update of c` : sql``}`.execute(db);
  return result.rows.map(rowToConversation);
}

/** Which of these tickets and threads are linked to a conversation whose AI is active (one query). */
async function findActiveLinks(db: Executor, organizationId: string, records: { ticketIds: readonly number[]; threadIds: readonly number[] }): Promise<{ ticketIds: number[]; threadIds: number[] }> {
  if (records.ticketIds.length === 0 && records.threadIds.length === 0) return { ticketIds: [], threadIds: [] };
  const rows = await db
    .selectFrom('conversations')
    .select(['ticket_id', 'thread_id'])
    .where('organization_id', '=', organizationId)
    .where('ai_state', '=', 'active')
    .where((eb) =>
      eb.or([
        ...(records.ticketIds.length > 0 ? [eb('ticket_id', 'in', [...records.ticketIds])] : []),
        ...(records.threadIds.length > 0 ? [eb('thread_id', 'in', [...records.threadIds])] : []),
      ]),
    )
    .execute();
  return {
    ticketIds: rows.flatMap((r) => (r.ticket_id !== null && records.ticketIds.includes(r.ticket_id) ? [r.ticket_id] : [])),
    threadIds: rows.flatMap((r) => (r.thread_id !== null && records.threadIds.includes(r.thread_id) ? [r.thread_id] : [])),
  };
}

async function findConversationsByRecord(db: Executor, organizationId: string, filter: RecordFilter, limit: number): Promise<Conversation[]> {
  const rows = await selectByRecord(db, organizationId, filter).orderBy('updated_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(rowToConversation);
}

function selectByRecord(db: Executor, organizationId: string, filter: RecordFilter) {
  const { ticketId, contactId, threadId } = filter;
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .$if(ticketId !== undefined, (q) => q.where('ticket_id', '=', ticketId as number))
    .$if(contactId !== undefined, (q) => q.where('contact_id', '=', contactId as number))
    .$if(threadId !== undefined, (q) => q.where('thread_id', '=', threadId as number));
}

/** Inserts or updates by (organization, external id) in one statement; `created` tells which. */
async function upsertConversation(db: Executor, organizationId: string, externalId: string, fields: ConversationFields): Promise<{ conversation: Conversation; created: boolean }> {
  const values = {
    ticket_id: fields.ticketId,
    contact_id: fields.contactId,
    thread_id: fields.threadId,
    contact_name: fields.contactName,
    contact_email: fields.contactEmail,
  };
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const row = await db
    .insertInto('conversations')
    .values({ organization_id: organizationId, external_id: externalId, ...set })
    .onConflict((oc) => oc.columns(['organization_id', 'external_id']).doUpdateSet({ ...set, updated_at: sql`now()` }))
    .returningAll()
    // xmax = 0 only for a freshly inserted row version.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  const { inserted, ...rest } = row;
  return { conversation: rowToConversation(rest as ConversationRow), created: inserted };
}

/**
 * Clears one HubSpot link on every conversation that has it; returns the conversations changed. An
 * unlinked contact is remembered in `former_contact_id` for a privacy deletion that may follow.
 */
async function clearLink(trx: Transaction<Database>, organizationId: string, column: 'ticket_id' | 'contact_id' | 'thread_id', value: number): Promise<Conversation[]> {
  const rows = await trx
    .updateTable('conversations')
    .set({ [column]: null, ...(column === 'contact_id' ? { former_contact_id: value } : {}), updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where(column, '=', value)
    .returningAll()
    .execute();
  return rows.map(rowToConversation);
}

async function updateThreadStatus(trx: Transaction<Database>, id: string, status: string, closedAt: Date | null): Promise<Conversation> {
  const row = await trx
    .updateTable('conversations')
    .set({ thread_status: status, thread_closed_at: closedAt, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToConversation(row);
}

/**
 * Locks the conversations that are or were linked to the contact (`former_contact_id` remembers an
 * unlinked contact for a privacy deletion that may follow), in id order.
 */
async function lockConversationsOfContact(trx: Transaction<Database>, organizationId: string, contactId: number): Promise<Conversation[]> {
  const rows = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) => eb.or([eb('contact_id', '=', contactId), eb('former_contact_id', '=', contactId)]))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(rowToConversation);
}

/** Erases the contact's link, name and email from these conversations. */
async function eraseContactFields(trx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('conversations')
    .set({ contact_id: null, former_contact_id: null, contact_name: null, contact_email: null, updated_at: sql`now()` })
    .where('id', 'in', [...ids])
    .execute();
}

async function insertErasure(trx: Transaction<Database>, row: { organizationId: string; portalId: number; contactId: number; conversationsUnlinked: number }): Promise<void> {
  await trx
    .insertInto('privacy_erasures')
    .values({ organization_id: row.organizationId, portal_id: row.portalId, contact_id: row.contactId, conversations_unlinked: row.conversationsUnlinked })
    .execute();
}

export const conversationsRepository = Object.freeze({
  findConversationById,
  lockConversationById,
  lockConversationsByRecord,
  lockConversationsByRecordAfter,
  findConversationsByRecord,
  findActiveLinks,
  findConversationsByRecords,
  upsertConversation,
  clearLink,
  updateThreadStatus,
  lockConversationsOfContact,
  eraseContactFields,
  insertErasure,
});
