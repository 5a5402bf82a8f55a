import type { z } from 'zod';
import type { AiState } from '../conversations/conversations.service.js';
import type { ActionErrorCode } from './workflow-actions.schemas.js';

// The shape every `<action>.action.ts` fills in: its zod input schema (mirroring the manifest's
// inputFields, checked by test/contract/workflow-action-inputs.int.test.ts) and a handler that reads
// like the action's story. Handlers never see HTTP, HubSpot or the database directly: they get the
// enrolled record and a few tools bound to the execution by the service.

/** The conversation fields a workflow action reads. */
export interface ActionConversation {
  id: string;
  aiState: AiState;
  updatedAt: Date;
}

/** The enrolled record, as HubSpot sent it. */
export interface EnrolledRecord {
  /** `TICKET` or `CONTACT` (upper case, as in the manifest's objectTypes). */
  objectType: string;
  objectId: number;
  /** Only the properties the manifest's objectRequestOptions asked for. */
  properties: Record<string, string>;
}

/**
 * Outcome of one AI-state change on one conversation: `changed` is false when it already was in the
 * target state (nothing recorded); `ok: false` when the state machine refused (e.g. pausing a pending handoff).
 */
export type TransitionOutcome =
  | { ok: true; changed: true; transitionId: number; conversation: ActionConversation }
  | { ok: true; changed: false; conversation: ActionConversation }
  | { ok: false; conversation: ActionConversation };

/** What the service lends a handler for one execution. */
export interface ActionTools {
  /** Conversations linked to the record: a ticket's conversations, or a contact's open ones; newest first. */
  linkedConversations(): Promise<ActionConversation[]>;
  /**
   * Pauses through the conversations service (source `workflow`, the workflow in the actor), inside
   * the execution's transaction: the change, its audit row and event commit with the stored answer.
   */
  pause(conversation: ActionConversation, reason: string | undefined): Promise<TransitionOutcome>;
  /** Resumes through the conversations service. */
  resume(conversation: ActionConversation, reason: string | undefined): Promise<TransitionOutcome>;
  /** Requests a human handoff through the conversations service. */
  requestHandoff(conversation: ActionConversation, handoff: { note?: string; team?: { id: string; name: string } }): Promise<TransitionOutcome>;
  /** The organization's handoff team with this id, if configured. */
  findHandoffTeam(teamId: string): Promise<{ id: string; name: string } | undefined>;
  /** Resumes the conversation at `resumeAt` unless its AI state changed after our pause (`pauseTransitionId`). */
  scheduleAutoResume(conversation: ActionConversation, pauseTransitionId: number, resumeAt: Date): Promise<void>;
  /** The newest linked conversation, or a new one linked to the record. */
  ensureConversation(): Promise<ActionConversation>;
  /**
   * Sends the record to the AI (`record.sent_to_ai` to the vendor) and stores the blocked callback.
   * @returns the ISO-8601 duration HubSpot should wait (`hs_expiration_duration`)
   */
  sendToAi(conversation: ActionConversation, request: { instructions: string; priority: string }): Promise<{ expirationDuration: string }>;
}

/** Everything a handler knows about one execution. */
export interface ActionContext {
  callbackId: string;
  workflowId?: number;
  record: EnrolledRecord;
  /** Epoch ms by the injected clock. */
  now: number;
  tools: ActionTools;
}

/** What a handler decides; the service turns it into HubSpot's `outputFields`. */
export type ActionAnswer =
  | { state: 'SUCCESS'; aiState: AiState; conversationId: string; outputs?: Record<string, string> }
  | { state: 'FAIL_CONTINUE'; errorCode: ActionErrorCode; aiState?: AiState; conversationId?: string }
  | { state: 'BLOCK'; expirationDuration: string; aiState: AiState; conversationId: string };

/** A workflow action: its path name, input schema, output fields and handler. */
export interface WorkflowAction<S extends z.ZodObject = z.ZodObject> {
  /** Last path segment of the manifest's actionUrl (`/hubspot/actions/<name>`). */
  name: string;
  /** Mirrors the manifest's inputFields: same names, same required-ness. */
  inputSchema: S;
  /** Output field names of the manifest besides hs_execution_state; unset ones are answered as "". */
  outputFields: readonly string[];
  handle(input: z.output<S>, ctx: ActionContext): Promise<ActionAnswer>;
}

/** Declares an action (identity function that keeps the input type). */
export function defineWorkflowAction<S extends z.ZodObject>(action: WorkflowAction<S>): WorkflowAction<S> {
  return action;
}

/** Output fields shared by all four actions. */
export const COMMON_OUTPUT_FIELDS = ['ai_state', 'conversation_id', 'error_code'] as const;

/**
 * Applies one AI-state change to every conversation linked to the record (a ticket can have several)
 * and reports the newest one: SUCCESS when at least one conversation took the change (or already was
 * in that state), INVALID_TRANSITION when none could, NO_CONVERSATION when none is linked.
 * @param ctx the execution
 * @param change the transition to apply to one conversation
 * @returns the action's answer
 */
export async function changeLinkedConversations(
  ctx: ActionContext,
  change: (conversation: ActionConversation) => Promise<TransitionOutcome>,
): Promise<ActionAnswer> {
  const linked = await ctx.tools.linkedConversations();
  if (linked.length === 0) return { state: 'FAIL_CONTINUE', errorCode: 'NO_CONVERSATION' };
  const outcomes: TransitionOutcome[] = [];
  // One at a time: each change is its own transaction in the conversations service.
  for (const conversation of linked) outcomes.push(await change(conversation));
  const changed = outcomes.filter((o) => o.ok);
  const reported = changed[0] ?? outcomes[0]!;
  if (changed.length === 0) {
    return { state: 'FAIL_CONTINUE', errorCode: 'INVALID_TRANSITION', aiState: reported.conversation.aiState, conversationId: reported.conversation.id };
  }
  return { state: 'SUCCESS', aiState: reported.conversation.aiState, conversationId: reported.conversation.id };
}
