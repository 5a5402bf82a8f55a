// Property changes: an owner set on a ticket or a thread assigned to a user is a human taking over,
// which pauses the AI of the linked conversations; a thread's status is recorded on them.
import { webhooksRepository as repo, type WatermarkKey } from './webhooks.repository.js';
import { applyOnly, type HandledEvent, type Handler, type HandlerDeps, type HandlerResult } from './handler.js';
import type { ThreadAssigneePort, Trx } from './webhooks.ports.js';

/**
 * The watermark an event of this (legacy-form) type advances, and the value stored with it; none
 * for the properties the handlers ignore. The handlers and the batch's set-based pre-pass
 * (batch-view.ts) both use it, so both guard the same key.
 */
export function watermarkOf(type: string, event: HandledEvent): { key: WatermarkKey; value: string | null } | undefined {
  const key = (objectType: string, propertyName: string) => ({ portalId: event.portalId, objectType, objectId: event.objectId, propertyName });
  if (type === 'ticket.propertyChange' && event.propertyName === 'hubspot_owner_id') return { key: key('ticket', 'hubspot_owner_id'), value: event.propertyValue ?? '' };
  if (type === 'conversation.propertyChange' && event.propertyName === 'assignedTo') return { key: key('conversation', 'assignedTo'), value: event.propertyValue ?? '' };
  if (type === 'conversation.propertyChange' && event.propertyName === 'status') return { key: key('conversation', 'status'), value: event.propertyValue };
  return undefined;
}

// The stale-event guard of one event: decided for the whole batch at its start when it runs
// set-based (deps.batch), else one upsert here.
async function isFresh(trx: Trx, type: string, event: HandledEvent, deps: HandlerDeps): Promise<boolean> {
  const decided = deps.batch?.fresh(event.id);
  if (decided !== undefined) return decided;
  const mark = watermarkOf(type, event)!;
  return repo.advanceWatermark(trx, mark.key, event.occurredAt, mark.value);
}

/** `ticket.propertyChange`: only the owner matters. */
export const ticketPropertyChange: Handler = applyOnly(async (trx, event, organizationId, deps) => {
  if (event.propertyName !== 'hubspot_owner_id') return { status: 'ignored', outcome: `property ${event.propertyName ?? '(none)'} not handled` };
  return takeover(trx, event, organizationId, deps, {
    type: 'ticket.propertyChange',
    filter: { ticketId: event.objectId },
    source: 'owner_change',
    // hubspot_owner_id holds an owner id, not a user id:
    // https://developers.hubspot.com/docs/api-reference/latest/crm/owners/guide
    actor: (value) => `hubspot-owner:${value}`,
    reason: 'A HubSpot user took ownership of the linked ticket',
  });
});

/** `conversation.propertyChange`: the assignee (a takeover) and the thread's status. */
export const conversationPropertyChange: Handler = applyOnly(async (trx, event, organizationId, deps) => {
  if (event.propertyName === 'assignedTo') {
    return takeover(trx, event, organizationId, deps, {
      type: 'conversation.propertyChange',
      filter: { threadId: event.objectId },
      source: 'assignment',
      // assignedTo holds a user id, not an owner id (conversation events:
      // https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide).
      actor: (value) => `hubspot-user:${value}`,
      reason: 'The linked HubSpot conversation was assigned to a user',
      delegate: deps.threadAssignee && ((value) => deps.threadAssignee!.onAssigneeChanged(trx, organizationId, { threadId: event.objectId, userId: value, occurredAt: event.occurredAt })),
    });
  }
  if (event.propertyName === 'status') {
    if (!(await isFresh(trx, 'conversation.propertyChange', event, deps))) return { status: 'ignored', outcome: 'stale: a newer status change was already applied' };
    const status = (event.propertyValue ?? '').toUpperCase();
    // A thread no conversation is linked to (known when the batch locked its linked conversations) changes nothing.
    const changed = deps.batch?.linked(organizationId, { threadId: event.objectId }) === false ? 0 : await deps.conversations.recordThreadStatusInTransaction(trx, organizationId, event.objectId, status, event.occurredAt);
    return { status: 'processed', outcome: `thread status ${status} recorded on ${changed} conversation(s)` };
  }
  return { status: 'ignored', outcome: `property ${event.propertyName ?? '(none)'} not handled` };
});

interface TakeoverRule {
  /** The event's legacy-form type (which watermark it advances). */
  type: string;
  filter: { ticketId: number } | { threadId: number };
  source: 'owner_change' | 'assignment';
  actor(value: string): string;
  reason: string;
  /** Asked first (after the staleness check); its answer replaces the rule when it owns the record. */
  delegate?: ((value: string) => ReturnType<ThreadAssigneePort['onAssigneeChanged']>) | undefined;
}

// An owner set on a ticket, or an assignee on a thread: a human took over. Stale events (older than
// the last one applied for that object) are ignored; clearing the owner pauses nothing (only an
// explicit resume re-activates the AI).
async function takeover(trx: Trx, event: HandledEvent, organizationId: string, deps: HandlerDeps, rule: TakeoverRule): Promise<HandlerResult> {
  const value = event.propertyValue ?? '';
  if (!(await isFresh(trx, rule.type, event, deps))) return { status: 'ignored', outcome: 'stale: a newer change was already applied' };
  const delegated = await rule.delegate?.(value);
  if (delegated) return { status: 'processed', outcome: delegated.outcome, transitions: delegated.transitions, takeover: delegated.transitions.length > 0 };
  if (value === '') return { status: 'processed', outcome: 'cleared: nothing to pause' };
  if (!(await deps.settings.getSettings(organizationId, trx)).pauseOnOwnerChange) return { status: 'processed', outcome: 'pause on owner change is off' };
  // No conversation linked to the record (known when the batch locked its linked conversations): nothing to lock or pause.
  if (deps.batch?.linked(organizationId, rule.filter) === false) return { status: 'processed', outcome: 'no active linked conversation', transitions: [], takeover: true };
  const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, rule.filter, {
    source: rule.source,
    actor: rule.actor(value),
    reason: rule.reason,
    occurredAt: event.occurredAt,
    details: { [rule.source === 'owner_change' ? 'hubspotOwnerId' : 'hubspotUserId']: value, changeSource: event.payload.changeSource ?? null, sourceId: event.payload.sourceId ?? null },
  });
  return { status: 'processed', outcome: transitions.length > 0 ? `paused ${transitions.length} conversation(s)` : 'no active linked conversation', transitions, takeover: true };
}
