// Deletions in HubSpot: a deleted ticket or contact is unlinked from its conversations; a privacy
// (GDPR) deletion of a contact also erases what we hold about it.
import { webhooksRepository as repo } from './webhooks.repository.js';
import { applyOnly, type Handler } from './handler.js';

/** `ticket.deletion`: unlink the ticket. */
export const ticketDeletion: Handler = applyOnly(async (trx, event, organizationId, deps) => {
  const count = await deps.conversations.unlinkInTransaction(trx, organizationId, 'ticket', event.objectId);
  return { status: 'processed', outcome: `ticket unlinked from ${count} conversation(s)` };
});

/** `contact.deletion`: unlink the contact, keep what the vendor gave us. */
export const contactDeletion: Handler = applyOnly(async (trx, event, organizationId, deps) => {
  // A plain deletion can be undone in HubSpot for a while. A GDPR deletion also sends
  // contact.privacyDeletion, which erases (https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide).
  const count = await deps.conversations.unlinkInTransaction(trx, organizationId, 'contact', event.objectId);
  return { status: 'processed', outcome: `contact unlinked from ${count} conversation(s)` };
});

/** `contact.privacyDeletion`: erase the contact from conversations and from the stored events. */
export const contactPrivacyDeletion: Handler = applyOnly(async (trx, event, organizationId, deps) => {
  const { conversationsUnlinked } = await deps.conversations.eraseContactInTransaction(trx, organizationId, event.portalId, event.objectId);
  const scrubbed = await repo.scrubContactEvents(trx, event.portalId, event.objectId);
  return { status: 'processed', outcome: `contact erased: ${conversationsUnlinked} conversation(s), ${scrubbed} stored event(s) scrubbed` };
});
