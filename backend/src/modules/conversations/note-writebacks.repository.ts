// Note write-backs: one HubSpot note per transition that asks for one, and where it stands.
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { NoteWritebackRow, WritebackStatus } from './conversations.table.js';

type Executor = Db | Transaction<Database>;

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

// A note_writebacks row as the service sees it.
function rowToWriteback(row: NoteWritebackRow): NoteWriteback {
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

/** Erases the contact from the organization's write-backs: pending ones for the contact alone are dropped, the others lose the contact link. */
async function eraseContactFromWritebacks(trx: Transaction<Database>, organizationId: string, contactId: number): Promise<void> {
  await trx.deleteFrom('note_writebacks').where('organization_id', '=', organizationId).where('contact_id', '=', contactId).where('ticket_id', 'is', null).execute();
  await trx.updateTable('note_writebacks').set({ contact_id: null, updated_at: sql`now()` }).where('organization_id', '=', organizationId).where('contact_id', '=', contactId).execute();
}

/**
 * Parks a pending write-back until the organization reconnects.
 * @returns whether this call parked it (false when it was no longer pending)
 */
async function parkWriteback(db: Db, id: number, reason: string): Promise<boolean> {
  const parked = await db
    .updateTable('note_writebacks')
    .set({ status: 'waiting_connection', last_error: reason, attempts: sql<number>`attempts + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return parked !== undefined;
}

/**
 * Moves waiting write-backs back to pending; only rows that were still waiting are returned, so two
 * callers racing for the same row (the reconnect and the writer's own re-check) re-queue it once.
 * @param ids limit to these write-backs (default: all of the organization's)
 */
async function unparkWritebacks(trx: Executor, organizationId: string, ids?: number[]): Promise<number[]> {
  let q = trx
    .updateTable('note_writebacks')
    .set({ status: 'pending', updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'waiting_connection');
  if (ids) q = q.where('id', 'in', ids);
  return (await q.returning('id').execute()).map((r) => Number(r.id));
}

/** Fails every waiting write-back of the organization with `reason` (its portal changed). */
async function failWaitingWritebacks(trx: Transaction<Database>, organizationId: string, reason: string): Promise<number> {
  const failed = await trx
    .updateTable('note_writebacks')
    .set({ status: 'failed', last_error: reason, updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'waiting_connection')
    .executeTakeFirst();
  return Number(failed.numUpdatedRows);
}

/** The organization's latest write-backs that need attention (waiting or failed), newest first. */
async function findWritebacksNeedingAttention(db: Db, organizationId: string, limit: number): Promise<NoteWriteback[]> {
  const rows = await db
    .selectFrom('note_writebacks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['waiting_connection', 'failed'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToWriteback);
}

export const noteWritebacksRepository = Object.freeze({
  findWritebackById,
  findWritebacks,
  updateWriteback,
  eraseContactFromWritebacks,
  parkWriteback,
  unparkWritebacks,
  failWaitingWritebacks,
  findWritebacksNeedingAttention,
});
