// A HubSpot conversation thread's status (OPEN / CLOSED), followed from webhooks onto the conversations
// linked to the thread.
import type { ConversationsDeps, Trx } from './conversations.ports.js';
import { conversationsRepository as repo, type Conversation } from './conversations.repository.js';
import { conversationEventData } from './event-data.js';

/**
 * Records a thread's HubSpot status on its conversations, in the caller's transaction; a close also
 * emits `conversation.closed` for each.
 * @returns how many conversations changed
 */
export async function recordThreadStatusInTransaction(deps: Pick<ConversationsDeps, 'events'>, trx: Trx, organizationId: string, threadId: number, status: string, at: Date): Promise<number> {
  const linked = await repo.lockConversationsByRecord(trx, organizationId, { threadId });
  const closed: Conversation[] = [];
  for (const conversation of linked) {
    if (conversation.threadStatus === status) continue;
    const updated = await repo.updateThreadStatus(trx, conversation.id, status, status === 'CLOSED' ? at : null);
    if (status === 'CLOSED') closed.push(updated);
  }
  for (const conversation of closed) {
    await deps.events.record(trx, { organizationId, type: 'conversation.closed', data: { ...conversationEventData(conversation), closedAt: at.toISOString() } });
  }
  return linked.filter((c) => c.threadStatus !== status).length;
}
