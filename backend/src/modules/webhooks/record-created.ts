// Records created already owned. A ticket created with an owner, or a thread created assigned, sends
// no owner or assignee propertyChange, and HubSpot does not guarantee the order of events
// (https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide): when a conversation is
// linked, the owner or assignee is re-read from HubSpot, and a human owner pauses its AI.
import { pauseLinked, type Handler } from './handler.js';

/** `ticket.creation`: a ticket created with an owner pauses the linked active conversations. */
export const ticketCreation: Handler = {
  async read(event, organizationId, deps) {
    const linked = await deps.conversations.findByRecord(organizationId, { ticketId: event.objectId });
    if (!linked.some((c) => c.aiState === 'active')) return { final: { status: 'processed', outcome: 'no active linked conversation' } };
    // Saves the HubSpot read when the setting is off; `pauseLinked` decides in the transaction.
    if (!(await deps.settings.getSettings(organizationId)).pauseOnOwnerChange) return { final: { status: 'processed', outcome: 'pause on owner change is off' } };
    const owner = await deps.hubspot.readTicketOwner(organizationId, event.objectId);
    if (owner === '') return { final: { status: 'processed', outcome: 'ticket has no owner' } };
    return { facts: { owner } };
  },
  async apply(trx, event, organizationId, deps, facts) {
    return pauseLinked(trx, deps, organizationId, { ticketId: event.objectId }, {
      source: 'owner_change',
      actor: `hubspot-owner:${facts.owner}`,
      reason: 'The linked ticket was created with an owner',
      occurredAt: event.occurredAt,
      details: { hubspotOwnerId: facts.owner },
    });
  },
};

/** `conversation.creation`: records the thread's status; a thread created assigned pauses its conversations. */
export const conversationCreation: Handler = {
  async read(event, organizationId, deps) {
    const linked = await deps.conversations.findByRecord(organizationId, { threadId: event.objectId });
    if (linked.length === 0) return { final: { status: 'processed', outcome: 'no linked conversation' } };
    const thread = await deps.hubspot.readThread(organizationId, event.objectId);
    const assignee = thread.assigneeUserId;
    const pause = assignee !== '' && (await deps.settings.getSettings(organizationId)).pauseOnOwnerChange;
    return { facts: { status: thread.status, assignee: pause ? assignee : '' } };
  },
  async apply(trx, event, organizationId, deps, facts) {
    await deps.conversations.recordThreadStatusInTransaction(trx, organizationId, event.objectId, facts.status ?? 'OPEN', event.occurredAt);
    if (!facts.assignee) return { status: 'processed', outcome: `thread status ${facts.status} recorded` };
    // A help-desk thread's assignee follows the help-desk rule, whichever of its creation or its
    // assignment event is handled first, so the pause names the same source either way.
    const delegated = await deps.threadAssignee?.onAssigneeChanged(trx, organizationId, { threadId: event.objectId, userId: facts.assignee, occurredAt: event.occurredAt });
    if (delegated) return { status: 'processed', outcome: delegated.outcome, transitions: delegated.transitions, takeover: delegated.transitions.length > 0 };
    return pauseLinked(trx, deps, organizationId, { threadId: event.objectId }, {
      source: 'assignment',
      actor: `hubspot-user:${facts.assignee}`,
      reason: 'The linked HubSpot conversation was created assigned to a user',
      occurredAt: event.occurredAt,
      details: { hubspotUserId: facts.assignee },
    });
  },
};
