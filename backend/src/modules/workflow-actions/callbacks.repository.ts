// Data access for blocked Send to AI callbacks (workflow_action_callbacks). The status column carries the
// exactly-once rules: only `pending` rows are decided, only `completing` rows are sent, each under a row lock.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CallbackStatus, WorkflowActionCallbackRow } from './workflow-actions.table.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** A blocked Send to AI callback. */
export interface PendingCallback {
  callbackId: string;
  organizationId: string;
  portalId: number;
  conversationId: string;
  workflowId: number | null;
  status: CallbackStatus;
  expiresAt: Date;
  outputFields: Record<string, string> | null;
  attempts: number;
  lastError: string | null;
}

function callbackRowToPendingCallback(row: WorkflowActionCallbackRow): PendingCallback {
  return {
    callbackId: row.callback_id,
    organizationId: row.organization_id,
    portalId: row.portal_id,
    conversationId: row.conversation_id,
    workflowId: row.workflow_id,
    status: row.status,
    expiresAt: row.expires_at,
    outputFields: row.output_fields,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/** Stores a callback HubSpot now waits on (inside the execution's transaction). */
async function insertPendingCallback(
  trx: Trx,
  row: { callbackId: string; organizationId: string; portalId: number; conversationId: string; workflowId?: number; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('workflow_action_callbacks')
    .values({
      callback_id: row.callbackId,
      organization_id: row.organizationId,
      portal_id: row.portalId,
      conversation_id: row.conversationId,
      workflow_id: row.workflowId ?? null,
      status: 'pending',
      expires_at: row.expiresAt,
      output_fields: null,
      decided_at: null,
      completed_at: null,
      last_error: null,
      last_attempt_at: null,
    })
    .execute();
}

/** Callbacks of one conversation in any status (to tell "never sent" from "already answered"). */
async function findCallbacksByConversation(db: Db | Trx, organizationId: string, conversationId: string): Promise<PendingCallback[]> {
  const rows = await db
    .selectFrom('workflow_action_callbacks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .execute();
  return rows.map(callbackRowToPendingCallback);
}

/** Reads one callback. */
async function findCallback(db: Db | Trx, callbackId: string): Promise<PendingCallback | undefined> {
  const row = await db.selectFrom('workflow_action_callbacks').selectAll().where('callback_id', '=', callbackId).executeTakeFirst();
  return row && callbackRowToPendingCallback(row);
}

/**
 * Decides the completion of a conversation's pending, unexpired callbacks: `pending` → `completing`
 * with the output fields. The status check in the UPDATE makes the decision happen once, whoever
 * (vendor result or expiry sweep) gets there first.
 * @returns the callbacks this call decided
 */
async function decideConversationCallbacks(
  trx: Trx,
  where: { organizationId: string; conversationId: string; now: Date },
  decide: (callback: PendingCallback) => Record<string, string>,
): Promise<PendingCallback[]> {
  const rows = await trx
    .selectFrom('workflow_action_callbacks')
    .selectAll()
    .where('organization_id', '=', where.organizationId)
    .where('conversation_id', '=', where.conversationId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', where.now)
    .orderBy('created_at')
    .forUpdate()
    .execute();
  return setDecisions(trx, rows.map(callbackRowToPendingCallback), decide, where.now);
}

/**
 * Decides every pending callback that expires before `expiringBefore` (the sweep), locking with
 * SKIP LOCKED so a concurrent sweep or vendor result never decides the same callback twice.
 * @returns the callbacks this call decided
 */
async function decideExpiringCallbacks(
  trx: Trx,
  where: { expiringBefore: Date; now: Date; limit: number },
  decide: (callback: PendingCallback) => Record<string, string>,
): Promise<PendingCallback[]> {
  const rows = await trx
    .selectFrom('workflow_action_callbacks')
    .selectAll()
    .where('status', '=', 'pending')
    .where('expires_at', '<=', where.expiringBefore)
    .orderBy('expires_at')
    .limit(where.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return setDecisions(trx, rows.map(callbackRowToPendingCallback), decide, where.now);
}

async function setDecisions(
  trx: Trx,
  callbacks: PendingCallback[],
  decide: (callback: PendingCallback) => Record<string, string>,
  now: Date,
): Promise<PendingCallback[]> {
  const decided: PendingCallback[] = [];
  for (const callback of callbacks) {
    const outputFields = decide(callback);
    await trx
      .updateTable('workflow_action_callbacks')
      .set({ status: 'completing', output_fields: JSON.stringify(outputFields), decided_at: now })
      .where('callback_id', '=', callback.callbackId)
      .where('status', '=', 'pending')
      .execute();
    decided.push({ ...callback, status: 'completing', outputFields });
  }
  return decided;
}

/**
 * Locks up to `limit` decided, unexpired callbacks of one organization for sending, skipping rows
 * another worker is sending. The lock lasts until the caller's transaction ends, so no callback is
 * sent by two workers at once.
 */
async function lockCallbacksToComplete(trx: Trx, where: { organizationId: string; now: Date; limit: number; exclude?: readonly string[] }): Promise<PendingCallback[]> {
  let query = trx
    .selectFrom('workflow_action_callbacks')
    .selectAll()
    .where('organization_id', '=', where.organizationId)
    .where('status', '=', 'completing')
    .where('expires_at', '>', where.now);
  if (where.exclude && where.exclude.length > 0) query = query.where('callback_id', 'not in', where.exclude);
  const rows = await query
    .orderBy('decided_at')
    .limit(where.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(callbackRowToPendingCallback);
}

/** Marks callbacks with their final status. */
async function finishCallbacks(trx: Trx, callbackIds: string[], status: 'completed' | 'rejected' | 'expired', now: Date, error?: string): Promise<void> {
  if (callbackIds.length === 0) return;
  await trx
    .updateTable('workflow_action_callbacks')
    .set({ status, completed_at: now, ...(error === undefined ? {} : { last_error: error }) })
    .where('callback_id', 'in', callbackIds)
    .execute();
}

/** Counts a failed completion attempt (in its own statement, so it survives the caller's rollback). */
async function recordCompletionFailure(db: Db, callbackIds: string[], error: string, now: Date): Promise<void> {
  if (callbackIds.length === 0) return;
  await db
    .updateTable('workflow_action_callbacks')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, last_attempt_at: now }))
    .where('callback_id', 'in', callbackIds)
    .execute();
}

/**
 * Records that HubSpot refused a completion because our request was invalid: the callback stays
 * `completing` (sent again after the fix, by the sweep's stalled-completion check), with the reason
 * for the troubleshooting panel.
 */
async function markCompletionRefused(trx: Trx, callbackId: string, error: string, now: Date): Promise<void> {
  await trx
    .updateTable('workflow_action_callbacks')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, last_attempt_at: now }))
    .where('callback_id', '=', callbackId)
    .execute();
}

/**
 * Decided callbacks whose HubSpot wait ran out before we could send them: HubSpot has moved on, so
 * they are marked `expired` and never sent (HubSpot has stopped waiting by then,
 * https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference).
 * @returns their ids
 */
async function expireUnsentCallbacks(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('workflow_action_callbacks')
    .set({ status: 'expired', completed_at: now, last_error: sql<string>`coalesce(last_error, 'expired before the completion was sent')` })
    .where('status', 'in', ['pending', 'completing'])
    .where('expires_at', '<=', now)
    .returning('callback_id')
    .execute();
  return rows.map((r) => r.callback_id);
}

/**
 * Organizations with decided callbacks still unsent although decided, and last tried, before
 * `quietSince`: their completion job was lost or ran out of retries (the sweep's safety net).
 */
async function findOrganizationsWithStalledCallbacks(db: Db, where: { now: Date; quietSince: Date }): Promise<string[]> {
  const rows = await db
    .selectFrom('workflow_action_callbacks')
    .select('organization_id')
    .distinct()
    .where('status', '=', 'completing')
    .where('expires_at', '>', where.now)
    .where('decided_at', '<', where.quietSince)
    .where((eb) => eb.or([eb('last_attempt_at', 'is', null), eb('last_attempt_at', '<', where.quietSince)]))
    .execute();
  return rows.map((r) => r.organization_id);
}

/** Data access of blocked Send to AI callbacks. */
export const callbacksRepository = Object.freeze({
  markCompletionRefused,
  insertPendingCallback,
  findCallback,
  findCallbacksByConversation,
  decideConversationCallbacks,
  decideExpiringCallbacks,
  lockCallbacksToComplete,
  finishCallbacks,
  recordCompletionFailure,
  expireUnsentCallbacks,
  findOrganizationsWithStalledCallbacks,
});
