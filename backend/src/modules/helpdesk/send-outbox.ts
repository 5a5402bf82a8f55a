// Delivers a conversation's outbox to its HubSpot thread, one message at a time in `seq` order, while
// holding the thread row's lock (a second worker for the same conversation waits, so order holds).
// The message id is HubSpot's integrationIdempotencyId, so a repeat after a lost answer (a 5xx or a
// timeout after HubSpot stored it) answers the first message: each message reaches HubSpot once.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-202
import type { MessageEgg, Participant } from '../../hubspot/models/custom-channels.js';
import { AppError } from '../../platform/errors.js';
import { findChannel } from './connect-channel.js';
import type { HelpdeskUseCaseDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo, type ChannelAccount, type OutboxMessage } from './helpdesk.repository.js';
import type { CustomerIdentity } from './helpdesk.table.js';

/** The customer as a channel participant: by email, else phone, else an id of the conversation. */
export function customerParticipant(conversationId: string, customer: CustomerIdentity): Participant {
  const deliveryIdentifier = customer.email
    ? { type: 'HS_EMAIL_ADDRESS' as const, value: customer.email }
    : customer.phone
      ? { type: 'HS_PHONE_NUMBER' as const, value: customer.phone }
      : { type: 'CHANNEL_SPECIFIC_OPAQUE_ID' as const, value: `customer-${conversationId}` };
  return { deliveryIdentifier, ...(customer.name ? { name: customer.name } : {}) };
}

/** Builds HubSpot's message body: a customer turn is INCOMING, an AI turn OUTGOING from the account. */
export function messageEgg(m: OutboxMessage, account: ChannelAccount, contactId: number | null): MessageEgg {
  const customer = customerParticipant(m.conversationId, m.customer);
  const ai: Participant = { deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: account.deliveryIdentifier }, name: account.name };
  const incoming = m.author === 'customer';
  return {
    text: m.text,
    ...(m.richText ? { richText: m.richText } : {}),
    messageDirection: incoming ? 'INCOMING' : 'OUTGOING',
    senders: [incoming ? customer : ai],
    recipients: [incoming ? ai : customer],
    channelAccountId: account.channelAccountId,
    integrationThreadId: m.conversationId,
    integrationIdempotencyId: m.id,
    ...(contactId !== null ? { associateWithContactId: contactId } : {}),
    attachments: [],
    timestamp: m.createdAt.toISOString(),
  };
}

/**
 * Job body: sends every pending message of the conversation, oldest first.
 * @throws AppError hubspot_unavailable (429/5xx after the client's own waits: the job retries later)
 */
export async function sendPending(deps: HelpdeskUseCaseDeps, conversationId: string): Promise<void> {
  for (;;) {
    const step = await sendNext(deps, conversationId);
    if (step.linkThread) await linkThread(deps, step.linkThread);
    if (!step.more) return;
  }
}

interface Step {
  more: boolean;
  linkThread?: { organizationId: string; conversationId: string; threadId: string };
}

async function sendNext(deps: HelpdeskUseCaseDeps, conversationId: string): Promise<Step> {
  let failure: { id: string; error: unknown } | undefined;
  const step = await deps.db
    .transaction()
    .execute(async (trx): Promise<Step> => {
      const thread = await trx.selectFrom('helpdesk_threads').select('hubspot_thread_id').where('conversation_id', '=', conversationId).forUpdate().executeTakeFirst();
      if (!thread) return { more: false };
      const message = await repo.nextPending(trx, conversationId);
      if (!message) return { more: false };
      const account = await repo.findAccount(trx, message.organizationId);
      const channel = await findChannel(deps);
      if (!account || !channel || account.channelId !== channel.channelId) {
        await repo.markAttempt(trx, message.id, 'The help-desk channel is not connected to an inbox', true);
        return { more: true };
      }
      const conversation = await deps.conversations.getConversation(message.organizationId, conversationId);
      try {
        const sent = await deps.hubspot.publishMessage(message.organizationId, channel.channelId, messageEgg(message, account, conversation.contactId));
        await repo.markSent(trx, message.id, sent.messageId, new Date(deps.clock.now()));
        const first = thread.hubspot_thread_id === null;
        if (first) await repo.setThreadId(trx, conversationId, sent.threadId);
        return { more: true, ...(first ? { linkThread: { organizationId: message.organizationId, conversationId, threadId: sent.threadId } } : {}) };
      } catch (error) {
        // HubSpot refused this message for good (a 4xx): it fails on its own; the next ones still go.
        if (error instanceof AppError && error.code === 'hubspot_upstream_error') {
          await repo.markAttempt(trx, message.id, error.message, true);
          deps.log.warn({ err: error, messageId: message.id }, 'help-desk message refused by HubSpot');
          return { more: true };
        }
        failure = { id: message.id, error };
        return { more: false };
      }
    });
  if (failure) {
    // Recorded outside the rolled-back work so the attempt shows in the API; the job retries.
    await repo.markAttempt(deps.db, failure.id, failure.error instanceof AppError ? failure.error.message : 'HubSpot could not be reached', false);
    throw failure.error;
  }
  return step;
}

// The conversation shows its HubSpot thread, and the thread webhooks (assignment, close) find it.
async function linkThread(deps: HelpdeskUseCaseDeps, link: { organizationId: string; conversationId: string; threadId: string }): Promise<void> {
  if (!/^\d+$/.test(link.threadId)) return;
  const conversation = await deps.conversations.getConversation(link.organizationId, link.conversationId);
  if (conversation.threadId !== null) return;
  await deps.conversations.upsertByExternalId(link.organizationId, { externalId: conversation.externalId, threadId: Number(link.threadId) });
}

/**
 * After the job's last retry: the oldest pending message fails visibly (the API and the connection page
 * show it), and the outbox moves on: the messages queued behind it get a fresh send job now rather than
 * waiting for the conversation's next publish. Each message stands alone in the thread, so a gap is
 * better than holding every later turn back; the failed one keeps its reason (as a 4xx refusal does above).
 */
export async function failOldestPending(deps: HelpdeskUseCaseDeps, conversationId: string, error: unknown): Promise<void> {
  const more = await deps.db.transaction().execute(async (trx) => {
    const message = await repo.nextPending(trx, conversationId);
    if (!message) return false;
    await repo.markAttempt(trx, message.id, error instanceof AppError ? error.message : 'HubSpot could not be reached', true);
    if (!(await repo.nextPending(trx, conversationId))) return false;
    await deps.enqueueSend(trx, conversationId);
    return true;
  });
  if (more) deps.wakeSend();
}
