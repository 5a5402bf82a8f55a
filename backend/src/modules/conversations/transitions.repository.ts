// The conversations' audit trail: one row per AI-state transition.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { AiState, ConversationTransitionRow, NewConversationTransitionRow, TransitionSource } from './conversations.table.js';

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

/** Removes the free-text reasons from these conversations' audit trail (a reason may quote the customer). */
async function clearTransitionReasons(trx: Transaction<Database>, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await trx.updateTable('conversation_transitions').set({ reason: null }).where('conversation_id', 'in', [...conversationIds]).execute();
}

export const transitionsRepository = Object.freeze({
  insertTransition,
  findTransitions,
  findLastTransitions,
  findTransitionById,
  clearTransitionReasons,
});
