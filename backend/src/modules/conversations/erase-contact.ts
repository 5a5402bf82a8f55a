// A HubSpot privacy deletion of a contact (the `contact.privacyDeletion` webhook): the contact's
// personal data leaves this module's tables and the stored vendor events, in the handler's transaction.
import type { ConversationsDeps, Trx } from './conversations.ports.js';
import { conversationsRepository as repo } from './conversations.repository.js';
import { noteWritebacksRepository as writebacks } from './note-writebacks.repository.js';
import { transitionsRepository as transitions } from './transitions.repository.js';

/**
 * Erases a contact's personal data from conversations (link, name, email), their audit trail (the
 * free-text reasons, which may quote the customer), note write-backs (pending ones for the contact
 * alone are dropped) and stored events; records the erasure and emits `contact.erased`.
 * @returns how many conversations lost the contact
 */
export async function eraseContactInTransaction(deps: Pick<ConversationsDeps, 'events'>, trx: Trx, organizationId: string, portalId: number, contactId: number): Promise<{ conversationsUnlinked: number }> {
  const conversations = await repo.lockConversationsOfContact(trx, organizationId, contactId);
  const ids = conversations.map((c) => c.id);
  await transitions.clearTransitionReasons(trx, ids);
  await repo.eraseContactFields(trx, ids);
  await writebacks.eraseContactFromWritebacks(trx, organizationId, contactId);
  await deps.events.scrubContact(trx, organizationId, contactId);
  await repo.insertErasure(trx, { organizationId, portalId, contactId, conversationsUnlinked: conversations.length });
  // The vendor needs the HubSpot contact id to erase its own copy; the event carries no other data.
  await deps.events.record(trx, {
    organizationId,
    type: 'contact.erased',
    data: { portalId: String(portalId), hubspotContactId: String(contactId), conversations: conversations.map((c) => ({ conversationId: c.id, externalId: c.externalId })) },
  });
  return { conversationsUnlinked: conversations.length };
}
