// A ticket or contact deleted in HubSpot: the conversations that pointed at it lose the link.
import type { Trx } from './conversations.ports.js';
import { conversationsRepository as repo } from './conversations.repository.js';

/**
 * Clears a deleted ticket's or contact's link, in the caller's transaction (an unlinked contact is
 * remembered for a privacy deletion that may follow).
 * @returns how many conversations changed
 */
export async function unlinkInTransaction(trx: Trx, organizationId: string, link: 'ticket' | 'contact', objectId: number): Promise<number> {
  const changed = await repo.clearLink(trx, organizationId, link === 'ticket' ? 'ticket_id' : 'contact_id', objectId);
  return changed.length;
}
