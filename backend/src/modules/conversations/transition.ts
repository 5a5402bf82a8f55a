// AI-state transitions (pause, resume, handoff). Each runs in one transaction with its audit row, its
// outbox event and (for handoffs and workflow/card pauses and resumes) a queued note write-back, so
// either all of it happened or none did. Webhook handlers and workflow actions call the
// *InTransaction functions inside their own transaction (which also marks their work done), then
// afterTransitionsCommitted once it committed.
import { AppError } from '../../platform/errors.js';
import { decideAiTransition, type AiAction } from './ai-state.js';
import type { ConversationsDeps, Trx } from './conversations.ports.js';
import { conversationsRepository as repo, type Conversation, type RecordFilter } from './conversations.repository.js';
import type { AiState, TransitionSource } from './conversations.table.js';
import { conversationEventData } from './event-data.js';
import { conversationNotFound } from './read-conversation.js';
import { transitionsRepository as transitions, type Transition } from './transitions.repository.js';
import { writeNoteQueue } from './write-note.js';

/** Who asks for a transition, and why. */
export interface TransitionInput {
  source: TransitionSource;
  /** Who: a HubSpot owner/user (`hubspot-owner:123`), a workflow (`workflow:456`), a vendor user, … */
  actor?: string | null;
  /** Free text shown in the audit trail and the HubSpot note. */
  reason?: string | null;
  /** When the cause happened (HubSpot's `occurredAt` for webhooks); default: now. */
  occurredAt?: Date;
  /** Handoffs only: the team humans are asked from. */
  team?: { id: string; name: string } | null;
  /** Extra facts kept in the audit row (not sent to the vendor). */
  details?: Record<string, unknown>;
}

/** Outcome of one transition request. `changed` is false when the state already was the target. */
export interface TransitionResult {
  conversation: Conversation;
  changed: boolean;
  transition: Transition | null;
  /**
   * What the transition queued for after its commit: a push of its vendor event (only when the
   * organization has a destination) and a note write-back. Unset means unknown (both are woken).
   */
  queued?: { push: boolean; writeNote: boolean };
}

const EVENT_BY_STATE: Record<AiState, string> = { paused: 'ai.paused', active: 'ai.resumed', handoff_requested: 'ai.handoff_requested' };

/**
 * One transition in its own transaction, followed by {@link afterTransitionsCommitted}.
 * @throws AppError not_found | invalid_transition (a pause while a handoff is pending)
 */
export async function transition(deps: ConversationsDeps, organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
  const result = await deps.db.transaction().execute((trx) => transitionInTransaction(deps, trx, organizationId, conversationId, action, input));
  afterTransitionsCommitted(deps, [result]);
  return result;
}

/**
 * One transition inside the caller's transaction (the conversation row is locked until it commits).
 * @throws AppError not_found | invalid_transition
 */
export async function transitionInTransaction(deps: ConversationsDeps, trx: Trx, organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
  const conversation = await repo.lockConversationById(trx, organizationId, conversationId);
  if (!conversation) throw conversationNotFound();
  return applyLocked(deps, trx, conversation, action, input);
}

/**
 * One transition of a conversation the caller already locked in this transaction (no re-read).
 * @throws AppError invalid_transition
 */
export function transitionLockedInTransaction(deps: ConversationsDeps, trx: Trx, conversation: Conversation, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
  return applyLocked(deps, trx, conversation, action, input);
}

/**
 * Pauses every *active* conversation linked to the record (a paused one stays as it is; a pending
 * handoff is left alone: humans are already asked to take over).
 */
export async function pauseLinkedInTransaction(deps: ConversationsDeps, trx: Trx, organizationId: string, filter: RecordFilter, input: TransitionInput): Promise<TransitionResult[]> {
  // Lock them all first, in id order, so two handlers pausing overlapping conversations cannot
  // deadlock.
  const linked = await repo.lockConversationsByRecord(trx, organizationId, filter);
  const results: TransitionResult[] = [];
  for (const conversation of linked) {
    if (conversation.aiState !== 'active') continue;
    results.push(await applyLocked(deps, trx, conversation, 'pause', input));
  }
  return results;
}

/**
 * After a commit: counts the transitions and wakes the push and write-back workers. With `wake`
 * 'queued' (for a caller whose transaction queued nothing else), each only when a transition queued
 * work for it: a wake-up costs each process's idle worker a fetch of its queue, a wasted round trip
 * per transition when nothing was queued (most organizations have no push destination).
 */
export function afterTransitionsCommitted(deps: Pick<ConversationsDeps, 'metrics' | 'events' | 'jobs'>, results: readonly TransitionResult[] = [], wake: 'all' | 'queued' = 'all'): void {
  let push = wake === 'all';
  let writeNote = wake === 'all';
  for (const r of results) {
    if (r.changed && r.transition) deps.metrics.aiTransitions.inc({ source: r.transition.source, to: r.transition.toState });
    push ||= r.queued?.push ?? true;
    writeNote ||= r.queued?.writeNote ?? true;
  }
  if (push) deps.events.afterCommit();
  if (writeNote) deps.jobs.wake(writeNoteQueue.queue);
}

// The conversation row is locked by the caller.
async function applyLocked(deps: ConversationsDeps, trx: Trx, conversation: Conversation, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
  const decision = decideAiTransition(conversation.aiState, action);
  if (decision.kind === 'unchanged') return { conversation, changed: false, transition: null, queued: { push: false, writeNote: false } };
  if (decision.kind === 'invalid') {
    throw new AppError('invalid_transition', decision.message, { details: [{ path: 'aiState', message: `is ${conversation.aiState}` }] });
  }
  const occurredAt = input.occurredAt ?? new Date(deps.clock.now());
  const details = { ...input.details, ...(input.team ? { team: input.team } : {}) };
  const wantsNote = action === 'handoff' || input.source === 'workflow' || input.source === 'card';
  // State, audit row, note write-back and its job, and vendor event in one statement; only the push job follows.
  const applied = await transitions.applyTransition(trx, {
    conversationId: conversation.id,
    fromState: conversation.aiState,
    toState: decision.to,
    source: input.source,
    actor: input.actor ?? null,
    reason: input.reason ?? null,
    details: Object.keys(details).length > 0 ? details : null,
    occurredAt,
    // The write-note job is enqueued by the same statement (no pg-boss round trip); woken after commit.
    writeback: wantsNote ? { job: writeNoteQueue } : null,
    event: {
      type: EVENT_BY_STATE[decision.to],
      // `transitionId` is added by the statement (the audit row's id).
      data: {
        ...conversationEventData(conversation),
        aiState: decision.to,
        previousAiState: conversation.aiState,
        source: input.source,
        actor: input.actor ?? null,
        reason: input.reason ?? null,
        occurredAt: occurredAt.toISOString(),
        ...(input.team ? { team: input.team } : {}),
      },
    },
  });
  const { transition } = applied;
  const updated: Conversation = { ...conversation, aiState: decision.to, updatedAt: applied.updatedAt };
  await deps.events.queuePush(trx, applied.event);
  if (decision.to === 'handoff_requested' && deps.onHandoffRequested) {
    await deps.onHandoffRequested(trx, { organizationId: updated.organizationId, conversationId: updated.id, transitionId: transition.id });
  }
  return { conversation: updated, changed: true, transition, queued: { push: applied.event.pushed, writeNote: applied.writebackId !== null } };
}
