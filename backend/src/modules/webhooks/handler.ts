// What a subscription handler is. A handler has two steps: `read` (optional) runs before any
// transaction and is where HubSpot is called, so an HTTP call never holds a pooled connection or a
// row lock; `apply` runs inside the transaction that also marks the inbox event done, so its effects
// and the "processed" mark commit together (a crash in between re-runs the handler on a clean slate).
// Handlers are idempotent: pauses skip conversations that are not active (re-checked under the row
// lock in `apply`), unlinks and erasures are no-ops the second time.
import type { InboxEvent } from './webhooks.repository.js';
import type { ConversationsPort, HubSpotPort, SettingsPort, ThreadAssigneePort, TransitionResult, Trx } from './webhooks.ports.js';

/** What a handler did, for the inbox row and the metrics. */
export interface HandlerResult {
  status: 'processed' | 'ignored';
  outcome: string;
  /** Transitions made (counted and woken after commit). */
  transitions?: TransitionResult[];
  /** The transitions were a human takeover seen in HubSpot: measure occurredAt → pause. */
  takeover?: boolean;
}

/** What handlers use. */
export interface HandlerDeps {
  conversations: ConversationsPort;
  settings: SettingsPort;
  hubspot: HubSpotPort;
  threadAssignee?: ThreadAssigneePort | undefined;
  /** What a batch's set-based pre-pass decided for its events (first try only; see batch-view.ts). */
  batch?: BatchView | undefined;
}

/** A batch's pre-pass, made in its transaction before its first event is applied. */
export interface BatchView {
  /** Whether the event's watermark advanced (undefined: not decided by the pre-pass). */
  fresh(inboxId: number): boolean | undefined;
  /**
   * False when no conversation is linked to the record: every linked one was locked by the
   * pre-pass, and a batch only ever removes links. Undefined when the record was not looked up.
   */
  linked(organizationId: string, filter: { ticketId: number } | { threadId: number }): boolean | undefined;
}

/** What `read` found: facts for `apply`, or already the final result (nothing to write but the mark). */
export type Prepared = { final: HandlerResult } | { facts: Record<string, string> } | undefined;

/** An event of a handled subscription: it always names its record (the intake refuses it without one). */
export type HandledEvent = InboxEvent & { objectId: number };

/** The handler of one subscription type. */
export interface Handler {
  read?(event: HandledEvent, organizationId: string, deps: HandlerDeps): Promise<Prepared>;
  apply(trx: Trx, event: HandledEvent, organizationId: string, deps: HandlerDeps, facts: Record<string, string>): Promise<HandlerResult>;
}

/** A handler with no HubSpot read. */
export const applyOnly = (apply: Handler['apply']): Handler => ({ apply });

type PauseLinked = ConversationsPort['pauseLinkedInTransaction'];

/**
 * Pauses the active conversations linked to a record, as a human takeover seen in HubSpot, unless
 * the organization turned pause_on_owner_change off.
 * @returns the handler's result, with the transitions made
 */
export async function pauseLinked(trx: Trx, deps: HandlerDeps, organizationId: string, filter: Parameters<PauseLinked>[2], cause: Parameters<PauseLinked>[3]): Promise<HandlerResult> {
  // Read again here, in the transaction: `read` checked the setting before its HubSpot call, and an
  // owner that call found may have been set after the organization turned the setting off.
  if (!(await deps.settings.getSettings(organizationId, trx)).pauseOnOwnerChange) return { status: 'processed', outcome: 'pause on owner change is off' };
  const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, filter, cause);
  return { status: 'processed', outcome: `paused ${transitions.length} conversation(s)`, transitions, takeover: true };
}
