// Completing blocked Send to AI executions at HubSpot
// (https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/complete-callback).
//
// A callback moves pending → completing → completed (or expired / rejected). The move to `completing`
// stores the decided output fields and happens exactly once: the vendor's result and the expiry sweep
// both update only rows still `pending`, under a row lock. Sending happens in a job, with the rows
// locked FOR UPDATE SKIP LOCKED for the duration of HubSpot's call, so no two workers send one
// callback and a callback marked completed is never sent again. The adapter (hubspot/callbacks-api.ts)
// sends them on the 2026-03 paths, in batches when several are due.
import type { CompletionResult } from '../../hubspot/callbacks-api.js';
import { AppError } from '../../platform/errors.js';
import { AI_TIMEOUT_MESSAGE, COMPLETION_BATCH_SIZE, EXPIRY_MARGIN_MS, STALLED_COMPLETION_MS } from './workflow-actions.constants.js';
import type { Trx } from '../../db/database.js';
import type { WorkflowActionsDeps } from './workflow-actions.deps.js';
import { callbacksRepository as repo, type PendingCallback } from './callbacks.repository.js';
import type { ActionErrorCode, AiResultBody } from './workflow-actions.schemas.js';

/** Result of a vendor AI result report. */
export interface AiResultReport {
  conversationId: string;
  callbacks: { callbackId: string; executionState: 'SUCCESS' | 'FAIL_CONTINUE' }[];
}

/**
 * Takes the vendor's Send to AI result for a conversation: decides the completion of every callback
 * waiting on it and enqueues the job that tells HubSpot (off the request path, with retries).
 * @param deps the service's dependencies
 * @param organizationId the calling organization
 * @param conversationId the conversation the AI worked on
 * @param result success, output values, error text
 * @returns the callbacks that will be completed
 * @throws AppError not_found when the conversation is not the organization's, or no Send to AI waited on it
 * @throws AppError conflict when every callback on it was already completed or has expired
 */
export async function reportAiResult(deps: WorkflowActionsDeps, organizationId: string, conversationId: string, result: AiResultBody): Promise<AiResultReport> {
  const conversation = await deps.conversations.getConversation(organizationId, conversationId);
  const now = new Date(deps.clock.now());
  const decided = await deps.db.transaction().execute(async (trx) => {
    const decided = await repo.decideConversationCallbacks(trx, { organizationId, conversationId, now }, (callback) =>
      result.success
        ? completionFields(callback, conversation.aiState, { state: 'SUCCESS', aiResult: result.outputs?.ai_result ?? '' })
        : completionFields(callback, conversation.aiState, { state: 'FAIL_CONTINUE', errorCode: 'AI_FAILED', aiResult: result.error ?? result.outputs?.ai_result ?? '' }),
    );
    if (decided.length > 0) await deps.enqueueCompletion(trx, organizationId);
    return decided;
  });
  if (decided.length === 0) {
    const any = await repo.findCallbacksByConversation(deps.db, organizationId, conversationId);
    if (any.length === 0) throw new AppError('not_found', 'No Send to AI execution is waiting on this conversation');
    throw new AppError('conflict', 'Every Send to AI execution on this conversation was already completed or has expired');
  }
  deps.wakeCompletion();
  deps.log.info({ conversationId, callbacks: decided.length, success: result.success }, 'Send to AI result reported');
  return { conversationId, callbacks: decided.map((c) => ({ callbackId: c.callbackId, executionState: c.outputFields!.hs_execution_state as 'SUCCESS' | 'FAIL_CONTINUE' })) };
}

/**
 * Completes an organization's decided callbacks at HubSpot: one call per batch of up to 100 (the
 * single-callback path when only one is due). Any batch answer other than 204 falls back to one by
 * one, so one bad callback cannot hold the others back. A callback whose completion HubSpot refuses
 * naming a field of our request stays decided: it is our bug, and it goes out again after the fix
 * (the sweep re-enqueues it), never within the same run.
 * @param deps the service's dependencies
 * @param organizationId whose callbacks to complete
 * @returns how many HubSpot accepted
 * @throws AppError hubspot_unavailable (the job retries) when HubSpot is down or rate-limiting
 */
export async function completeDueCallbacks(deps: WorkflowActionsDeps, organizationId: string): Promise<number> {
  let completed = 0;
  // Callbacks kept back in this run (our request was invalid): not sent again until a later run.
  const keptBack: string[] = [];
  for (;;) {
    const now = new Date(deps.clock.now());
    let inFlight: string[] = [];
    let round: { due: number; done: number };
    try {
      round = await deps.db.transaction().execute(async (trx) => {
        const due = await repo.lockCallbacksToComplete(trx, { organizationId, now, limit: COMPLETION_BATCH_SIZE, exclude: keptBack });
        inFlight = due.map((c) => c.callbackId);
        return { due: due.length, done: due.length === 0 ? 0 : await sendCompletions(deps, trx, organizationId, due, now, keptBack) };
      });
    } catch (err) {
      // Rolled back: the rows stay `completing` for the retry. Count the attempt on its own, for the
      // troubleshooting data and the sweep's stalled-completion check.
      await repo.recordCompletionFailure(deps.db, inFlight, err instanceof Error ? err.message : String(err), now).catch(() => undefined);
      throw err;
    }
    completed += round.done;
    if (round.due < COMPLETION_BATCH_SIZE) return completed;
  }
}

async function sendCompletions(deps: WorkflowActionsDeps, trx: Trx, organizationId: string, due: PendingCallback[], now: Date, keptBack: string[]): Promise<number> {
  const completeOne = (callback: PendingCallback) => deps.hubspot.completeCallback(organizationId, { callbackId: callback.callbackId, outputFields: callback.outputFields ?? {} });
  if (due.length === 1) return settleOne(deps, trx, due[0]!, await completeOne(due[0]!), now, keptBack);

  const batch = await deps.hubspot.completeCallbacks(organizationId, due.map((c) => ({ callbackId: c.callbackId, outputFields: c.outputFields ?? {} })));
  if (batch.outcome === 'completed') {
    await repo.finishCallbacks(trx, due.map((c) => c.callbackId), 'completed', now);
    deps.log.info({ organizationId, completed: due.length }, 'workflow callbacks completed (batch)');
    return due.length;
  }
  // Not a 204 (a refusal, a partial answer, an outage): nothing is known to be done, go one by one.
  deps.log.warn({ organizationId, status: batch.status, callbacks: due.length }, 'HubSpot did not complete a callback batch; completing one by one');
  let done = 0;
  for (const callback of due) done += await settleOne(deps, trx, callback, await completeOne(callback), now, keptBack);
  return done;
}

async function settleOne(deps: WorkflowActionsDeps, trx: Trx, callback: PendingCallback, result: CompletionResult, now: Date, keptBack: string[]): Promise<number> {
  if (result.outcome === 'completed') {
    await repo.finishCallbacks(trx, [callback.callbackId], 'completed', now);
    deps.log.info({ callbackId: callback.callbackId, state: callback.outputFields?.hs_execution_state }, 'workflow callback completed');
    return 1;
  }
  if (result.outcome === 'request_invalid') {
    // Our request broke HubSpot's contract: keep the callback decided for a retry once fixed.
    const fields = result.fields.join(', ');
    keptBack.push(callback.callbackId);
    await repo.markCompletionRefused(trx, callback.callbackId, `HubSpot refused our completion request (${result.status}): invalid ${fields}`, now);
    deps.metrics.hubspotRequestsInvalid.inc({ endpoint: 'callback_completion' });
    deps.log.error({ callbackId: callback.callbackId, status: result.status, fields: result.fields }, 'HubSpot refused a callback completion naming a field of our request; kept for a retry after the fix');
    return 0;
  }
  // HubSpot refuses for good (unknown, expired or already completed callback): never send it again.
  await repo.finishCallbacks(trx, [callback.callbackId], 'rejected', now, `HubSpot answered ${result.status}`);
  deps.log.warn({ callbackId: callback.callbackId, status: result.status }, 'HubSpot refused a callback completion; it will not be retried');
  return 0;
}

/** What the callback part of the sweep did. */
export interface CallbackSweepReport {
  /** Callbacks about to expire that were decided FAIL_CONTINUE AI_TIMEOUT. */
  timedOut: number;
  /** Callbacks HubSpot stopped waiting for before we could complete them. */
  expired: number;
  /** Organizations whose decided callbacks had no completion attempt for a while (re-enqueued). */
  stalledOrganizations: number;
}

/**
 * The callback part of the periodic sweep: decides FAIL_CONTINUE AI_TIMEOUT for callbacks about to
 * expire unanswered (exactly once: only `pending` rows, locked SKIP LOCKED, move), marks the ones
 * HubSpot stopped waiting for as expired (never sent after expiry), and gives stalled organizations a
 * new completion job.
 * @param deps the service's dependencies
 * @returns what it did
 */
export async function sweepCallbacks(deps: WorkflowActionsDeps): Promise<CallbackSweepReport> {
  const nowMs = deps.clock.now();
  const now = new Date(nowMs);
  const expired = await repo.expireUnsentCallbacks(deps.db, now);
  if (expired.length > 0) deps.log.warn({ callbackIds: expired }, 'workflow callbacks expired before they could be completed');
  let timedOut = 0;
  for (;;) {
    // Decide and enqueue in one transaction: a decided callback always has a job on its way.
    const decided = await deps.db.transaction().execute(async (trx) => {
      const batch = await repo.decideExpiringCallbacks(trx, { expiringBefore: new Date(nowMs + EXPIRY_MARGIN_MS), now, limit: COMPLETION_BATCH_SIZE }, (callback) =>
        completionFields(callback, undefined, { state: 'FAIL_CONTINUE', errorCode: 'AI_TIMEOUT', aiResult: AI_TIMEOUT_MESSAGE }),
      );
      for (const organizationId of new Set(batch.map((c) => c.organizationId))) await deps.enqueueCompletion(trx, organizationId);
      return batch.length;
    });
    timedOut += decided;
    if (decided < COMPLETION_BATCH_SIZE) break;
  }
  if (timedOut > 0) deps.log.warn({ callbacks: timedOut }, 'Send to AI callbacks about to expire unanswered; completing them with AI_TIMEOUT');
  const stalled = await repo.findOrganizationsWithStalledCallbacks(deps.db, { now, quietSince: new Date(nowMs - STALLED_COMPLETION_MS) });
  for (const organizationId of stalled) await deps.db.transaction().execute((trx) => deps.enqueueCompletion(trx, organizationId));
  if (timedOut > 0 || stalled.length > 0) deps.wakeCompletion();
  return { timedOut, expired: expired.length, stalledOrganizations: stalled.length };
}

// The output fields of a completion: the decision, plus what later workflow steps can use.
function completionFields(
  callback: PendingCallback,
  aiState: string | undefined,
  decision: { state: 'SUCCESS' | 'FAIL_CONTINUE'; errorCode?: ActionErrorCode; aiResult: string },
): Record<string, string> {
  return {
    hs_execution_state: decision.state,
    ai_state: aiState ?? '',
    conversation_id: callback.conversationId,
    error_code: decision.errorCode ?? '',
    ai_result: decision.aiResult,
  };
}
