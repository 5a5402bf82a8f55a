// The conversations' audit trail: one row per AI-state transition.
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import { insertJobsSql } from '../../platform/job-insert-sql.js';
import type { JobType } from '../../platform/jobs.js';
import type { AiState, ConversationTransitionRow, TransitionSource } from './conversations.table.js';

type Executor = Db | Transaction<Database>;

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

/** What {@link applyTransition} writes: the audit row without what Postgres assigns, whether to queue a note, and the vendor event. */
export type AppliedTransitionInput = Omit<Transition, 'id' | 'createdAt'> & {
  /**
   * Also queue a note write-back (only when the conversation is linked to a ticket or contact), and
   * enqueue this job for it (payload `{ writebackId }`) in the same statement.
   */
  writeback: { job: JobType<{ writebackId: number }> } | null;
  /** The outbox event; its data gets `transitionId` (the audit row's id, as a string) added here. */
  event: { type: string; data: Record<string, unknown> };
};

/** What {@link applyTransition} wrote. */
export interface AppliedTransition {
  /** The conversation's new updated_at. */
  updatedAt: Date;
  transition: Transition;
  /** The note write-back's id, if one was queued (its job is enqueued too; wake the queue after commit). */
  writebackId: number | null;
  /** The outbox event's id, and whether its organization has a push destination (then the caller queues the push). */
  event: { id: number; pushed: boolean };
}

/**
 * Sets a conversation's AI state, appends its audit row, when asked its note write-back and the
 * write-back's job, and its vendor event, in one statement (the conversation row is locked by the
 * caller). The event is
 * written here rather than through a second statement because every transition of every path
 * (workflow actions, webhooks, card, API) pays each round trip; its row is the events module's
 * (same columns as eventsRepository.insertEvent: organization, type, data; id and xid by default).
 */
async function applyTransition(trx: Transaction<Database>, input: AppliedTransitionInput): Promise<AppliedTransition> {
  const { writeback, event, ...transitionFields } = input;
  const details = input.details === null ? null : JSON.stringify(input.details);
  // Prepared (db/prepared.ts): parsed and planned once per connection, not on every transition.
  const { rows } = await prepared(sql<{ updated_at: Date; transition_id: number; transition_created_at: Date; writeback_id: number | null; event_id: number; pushed: boolean }>`
    with upd as (
      update conversations set ai_state = ${input.toState}, updated_at = now() where id = ${input.conversationId}
      returning id, organization_id, ticket_id, contact_id, updated_at
    ), tr as (
      insert into conversation_transitions (conversation_id, organization_id, from_state, to_state, source, actor, reason, details, occurred_at)
      select id, organization_id, ${input.fromState}, ${input.toState}, ${input.source}, ${input.actor}, ${input.reason}, ${details}::jsonb, ${input.occurredAt}::timestamptz from upd
      returning id, created_at
    ), wb as (
      insert into note_writebacks (organization_id, conversation_id, transition_id, ticket_id, contact_id)
      select upd.organization_id, upd.id, tr.id, upd.ticket_id, upd.contact_id from upd cross join tr
      where ${writeback !== null}::boolean and (upd.ticket_id is not null or upd.contact_id is not null)
      returning id
    ), job as (
      ${writeback ? insertJobsSql(writeback.job, sql`jsonb_build_object('writebackId', wb.id)`, sql`wb`) : sql`select 1`}
    ), ev as (
      insert into events (organization_id, type, data)
      select upd.organization_id, ${event.type}, ${JSON.stringify(event.data)}::jsonb || jsonb_build_object('transitionId', tr.id::text) from upd cross join tr
      returning id, exists (select 1 from event_destinations d where d.organization_id = events.organization_id) as pushed
    )
    select upd.updated_at, tr.id as transition_id, tr.created_at as transition_created_at, (select id from wb) as writeback_id, ev.id as event_id, ev.pushed
    from upd cross join tr cross join ev`).execute(trx);
  const row = rows[0];
  if (!row) throw new Error(`conversation ${input.conversationId} vanished while locked`);
  return {
    updatedAt: row.updated_at,
    writebackId: row.writeback_id,
    transition: { ...transitionFields, id: row.transition_id, createdAt: row.transition_created_at },
    event: { id: Number(row.event_id), pushed: row.pushed },
  };
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

/** Removes the free-text reasons from these conversations' audit trail (a reason may quote the customer). */
async function clearTransitionReasons(trx: Transaction<Database>, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await trx.updateTable('conversation_transitions').set({ reason: null }).where('conversation_id', 'in', [...conversationIds]).execute();
}

export const transitionsRepository = Object.freeze({
  applyTransition,
  findTransitions,
  findLastTransitions,
  findTransitionById,
  clearTransitionReasons,
});
