import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type {
  AiState,
  ConversationRow,
  ConversationTransitionRow,
  NewConversationTransitionRow,
  NoteWritebackRow,
  TransitionSource,
  WritebackStatus,
} from './conversations.table.js';

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

/** One audit-trail row. */
export interface Transition {
  id: number;
  conversationId: string;
  fromState: AiState;
  toState: AiState;
  source: TransitionSource;
  actor: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  occurredAt: Date;
  createdAt: Date;
}

/** A note write-back and where it stands. */
export interface NoteWriteback {
  id: number;
  organizationId: string;
  conversationId: string;
  transitionId: number;
  ticketId: number | null;
  contactId: number | null;
  status: WritebackStatus;
  attempts: number;
  lastError: string | null;
  hubspotNoteId: string | null;
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

function rowToTransition(row: ConversationTransitionRow): Transition {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    fromState: row.from_state,
    toState: row.to_state,
    source: row.source,
    actor: row.actor,
    reason: row.reason,
    details: row.details,
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
  };
}

/** A note_writebacks row as the service sees it. */
export function rowToWriteback(row: NoteWritebackRow): NoteWriteback {
  return {
    id: row.id,
    organizationId: row.organization_id,
    conversationId: row.conversation_id,
    transitionId: row.transition_id,
    ticketId: row.ticket_id,
    contactId: row.contact_id,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    hubspotNoteId: row.hubspot_note_id,
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

async function updateAiState(trx: Transaction<Database>, id: string, aiState: AiState): Promise<Conversation> {
  const row = await trx.updateTable('conversations').set({ ai_state: aiState, updated_at: sql`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return rowToConversation(row);
}

async function insertTransition(trx: Transaction<Database>, row: NewConversationTransitionRow): Promise<Transition> {
  return rowToTransition(await trx.insertInto('conversation_transitions').values(row).returningAll().executeTakeFirstOrThrow());
}

async function findTransitions(db: Executor, conversationId: string): Promise<Transition[]> {
  const rows = await db.selectFrom('conversation_transitions').selectAll().where('conversation_id', '=', conversationId).orderBy('id').execute();
  return rows.map(rowToTransition);
}

/** The latest transition of each given conversation of the organization (one query, DISTINCT ON). */
async function findLastTransitions(db: Executor, organizationId: string, conversationIds: readonly string[]): Promise<Transition[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversation_transitions')
    .selectAll()
    .distinctOn('conversation_id')
    .where('organization_id', '=', organizationId)
    .where('conversation_id', 'in', [...conversationIds])
    .orderBy('conversation_id')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(rowToTransition);
}

async function findTransitionById(db: Executor, id: number): Promise<Transition | undefined> {
  const row = await db.selectFrom('conversation_transitions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToTransition(row) : undefined;
}

async function insertWriteback(trx: Transaction<Database>, row: { organizationId: string; conversationId: string; transitionId: number; ticketId: number | null; contactId: number | null }): Promise<NoteWriteback> {
  const inserted = await trx
    .insertInto('note_writebacks')
    .values({ organization_id: row.organizationId, conversation_id: row.conversationId, transition_id: row.transitionId, ticket_id: row.ticketId, contact_id: row.contactId })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToWriteback(inserted);
}

async function findWritebackById(db: Executor, id: number): Promise<NoteWriteback | undefined> {
  const row = await db.selectFrom('note_writebacks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToWriteback(row) : undefined;
}

async function findWritebacks(db: Executor, conversationId: string): Promise<NoteWriteback[]> {
  const rows = await db.selectFrom('note_writebacks').selectAll().where('conversation_id', '=', conversationId).orderBy('id').execute();
  return rows.map(rowToWriteback);
}

async function updateWriteback(db: Executor, id: number, patch: { status?: WritebackStatus; attemptsIncrement?: boolean; lastError?: string | null; hubspotNoteId?: string | null }): Promise<void> {
  await db
    .updateTable('note_writebacks')
    .set({
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.attemptsIncrement ? { attempts: sql<number>`attempts + 1` } : {}),
      ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
      ...(patch.hubspotNoteId !== undefined ? { hubspot_note_id: patch.hubspotNoteId } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
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
 * Erases a contact's personal data from this module's tables: the link, the name and email on its
 * conversations, the free-text reasons in their audit trail (a reason may quote the customer), and
 * the contact link of note write-backs (pending ones for the contact alone are dropped).
 */
async function eraseContact(trx: Transaction<Database>, organizationId: string, contactId: number): Promise<{ conversations: Conversation[] }> {
  const affected = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) => eb.or([eb('contact_id', '=', contactId), eb('former_contact_id', '=', contactId)]))
    .orderBy('id')
    .forUpdate()
    .execute();
  const ids = affected.map((r) => r.id);
  if (ids.length > 0) {
    await trx.updateTable('conversation_transitions').set({ reason: null }).where('conversation_id', 'in', ids).execute();
    await trx
      .updateTable('conversations')
      .set({ contact_id: null, former_contact_id: null, contact_name: null, contact_email: null, updated_at: sql`now()` })
      .where('id', 'in', ids)
      .execute();
  }
  await trx.deleteFrom('note_writebacks').where('organization_id', '=', organizationId).where('contact_id', '=', contactId).where('ticket_id', 'is', null).execute();
  await trx.updateTable('note_writebacks').set({ contact_id: null, updated_at: sql`now()` }).where('organization_id', '=', organizationId).where('contact_id', '=', contactId).execute();
  return { conversations: affected.map(rowToConversation) };
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
  findConversationsByRecord,
  findActiveLinks,
  upsertConversation,
  updateAiState,
  insertTransition,
  findTransitions,
  findLastTransitions,
  findTransitionById,
  insertWriteback,
  findWritebackById,
  findWritebacks,
  updateWriteback,
  clearLink,
  updateThreadStatus,
  eraseContact,
  insertErasure,
});
