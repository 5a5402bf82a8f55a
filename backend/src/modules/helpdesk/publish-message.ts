// The vendor publishes a conversation's turn: stored in the outbox in the same transaction as its
// send job, answered at once; the job delivers it to HubSpot (send-outbox.ts). A repeated
// idempotency key answers the stored message instead of adding another.
import { AppError } from '../../platform/errors.js';
import { requireChannelAccess } from './connect-channel.js';
import type { HelpdeskUseCaseDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo, type OutboxMessage } from './helpdesk.repository.js';
import type { CustomerIdentity, HelpdeskAuthor } from './helpdesk.table.js';

/** One turn as the vendor sends it. */
export interface PublishInput {
  author: HelpdeskAuthor;
  text: string;
  richText?: string;
  customer?: CustomerIdentity;
  idempotencyKey?: string;
}

/**
 * Queues a message for the conversation's HubSpot thread.
 * @returns the stored message and whether this call created it
 * @throws AppError not_found (conversation) | missing_scope | conflict (not connected, channel not connected to an inbox)
 */
export async function publishMessage(deps: HelpdeskUseCaseDeps, organizationId: string, conversationId: string, input: PublishInput): Promise<{ message: OutboxMessage; created: boolean }> {
  await deps.conversations.getConversation(organizationId, conversationId);
  await requireChannelAccess(deps, organizationId);
  if (!(await repo.findAccount(deps.db, organizationId))) throw new AppError('conflict', 'The help-desk channel is not connected to an inbox yet (POST /api/v1/helpdesk/connect)');
  const result = await deps.db.transaction().execute(async (trx) => {
    await repo.ensureThread(trx, organizationId, conversationId);
    const stored = await repo.insertMessage(trx, {
      organizationId,
      conversationId,
      author: input.author,
      text: input.text,
      richText: input.richText ?? null,
      customer: input.customer ?? {},
      idempotencyKey: input.idempotencyKey ?? null,
    });
    if (stored.created) await deps.enqueueSend(trx, conversationId);
    return stored;
  });
  if (result.created) deps.wakeSend();
  return result;
}

/** The conversation's published messages in order, with its HubSpot thread id. */
export async function listMessages(deps: HelpdeskUseCaseDeps, organizationId: string, conversationId: string): Promise<{ threadId: string | null; messages: OutboxMessage[] }> {
  await deps.conversations.getConversation(organizationId, conversationId);
  return { threadId: await repo.findThread(deps.db, conversationId), messages: await repo.listMessages(deps.db, organizationId, conversationId) };
}
