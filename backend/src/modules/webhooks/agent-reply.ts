// A human agent answering in HubSpot is a takeover too, even without an assignment. The event does
// not say who sent the message, so it is read, and only for threads whose AI is active.
import { pauseLinked, type Handler } from './handler.js';

/** `conversation.newMessage`: a reply by a human agent pauses the linked active conversations. */
export const conversationNewMessage: Handler = {
  async read(event, organizationId, deps) {
    const linked = await deps.conversations.findByRecord(organizationId, { threadId: event.objectId });
    if (!linked.some((c) => c.aiState === 'active')) return { final: { status: 'processed', outcome: 'no active linked conversation' } };
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-10 (a message id may come as a number)
    const rawMessageId = event.payload.messageId;
    const messageId = typeof rawMessageId === 'string' || typeof rawMessageId === 'number' ? String(rawMessageId) : undefined;
    if (event.payload.messageType !== 'MESSAGE' || !messageId) return { final: { status: 'processed', outcome: 'not a customer-facing message' } };
    if (!(await deps.settings.getSettings(organizationId)).pauseOnOwnerChange) return { final: { status: 'processed', outcome: 'pause on owner change is off' } };
    const message = await deps.hubspot.readThreadMessage(organizationId, event.objectId, messageId);
    // Messages posted through an app (the vendor's AI among them) are not a human taking over.
    if (message.clientType === 'INTEGRATION') return { final: { status: 'processed', outcome: 'message sent by an integration' } };
    const agent = /^A-(\d+)$/.exec(message.senderActorId ?? '');
    if (!agent?.[1]) return { final: { status: 'processed', outcome: 'message not sent by a human agent' } };
    return { facts: { userId: agent[1], messageId } };
  },
  async apply(trx, event, organizationId, deps, facts) {
    return pauseLinked(trx, deps, organizationId, { threadId: event.objectId }, {
      source: 'assignment',
      actor: `hubspot-user:${facts.userId}`,
      reason: 'A HubSpot user replied on the linked conversation',
      occurredAt: event.occurredAt,
      details: { hubspotUserId: facts.userId, messageId: facts.messageId },
    });
  },
};
