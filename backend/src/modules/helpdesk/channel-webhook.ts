// The channel's webhook: HubSpot posts agent replies (`OUTGOING_CHANNEL_MESSAGE_CREATED`) and channel
// accounts created through its own connect flow (`CHANNEL_ACCOUNT_CREATED`), v3-signed. Each reply is
// stored and its vendor event recorded in one transaction before we answer 200 (durable intake), and
// the stored HubSpot message id makes a redelivery a no-op: one `message.agent_reply` per message.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { recordHubSpotCreatedAccount } from './connect-channel.js';
import type { HelpdeskDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo } from './helpdesk.repository.js';

const id = z.union([z.string().min(1).max(100), z.number().int().nonnegative()]).transform(String);

// Only the fields we read; HubSpot may send more. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-204
const senderSchema = z.object({
  actorId: z.string().max(100).optional(),
  name: z.string().max(500).optional(),
  deliveryIdentifier: z.object({ type: z.string(), value: z.string().max(500) }).optional(),
});
const outgoingSchema = z.object({
  type: z.literal('OUTGOING_CHANNEL_MESSAGE_CREATED'),
  portalId: id,
  message: z.object({
    id,
    conversationsThreadId: id,
    integrationThreadId: z.string().max(200).nullish(),
    text: z.string().max(100_000).default(''),
    richText: z.string().max(200_000).nullish(),
    senders: z.array(senderSchema).max(20).default([]),
    client: z.object({ clientType: z.string() }).partial().nullish(),
  }),
});
// The account comes as `channelAccount` (HubSpot's PublicChannelAccount); top-level ids are accepted too.
const accountCreatedSchema = z
  .object({
    type: z.literal('CHANNEL_ACCOUNT_CREATED'),
    portalId: id,
    channelId: id,
    channelAccountId: id,
    inboxId: id.optional(),
    name: z.string().max(500).optional(),
    channelAccount: z.object({ inboxId: id, name: z.string().max(500).optional() }).optional(),
  })
  .refine((e) => e.inboxId !== undefined || e.channelAccount !== undefined, { message: 'names no inbox' });
const anyEventSchema = z.object({ type: z.string().max(100) });

/** What one webhook request did. */
export interface ChannelWebhookResult {
  received: number;
  agentReplies: number;
  duplicates: number;
  ignored: number;
}

/**
 * Handles one webhook body (an event or an array of events).
 * @throws AppError invalid_body when the body holds no events we can read
 */
export async function receiveChannelWebhook(deps: HelpdeskDeps, body: unknown): Promise<ChannelWebhookResult> {
  const events = Array.isArray(body) ? body : [body];
  if (events.length === 0 || events.length > 100 || !events.every((e) => anyEventSchema.safeParse(e).success)) {
    throw new AppError('invalid_body', 'Expected a custom channel event or an array of up to 100 events');
  }
  const result: ChannelWebhookResult = { received: events.length, agentReplies: 0, duplicates: 0, ignored: 0 };
  for (const event of events) {
    const outgoing = outgoingSchema.safeParse(event);
    if (outgoing.success) {
      const outcome = await recordAgentReply(deps, outgoing.data);
      result[outcome === 'recorded' ? 'agentReplies' : outcome === 'duplicate' ? 'duplicates' : 'ignored'] += 1;
      continue;
    }
    const account = accountCreatedSchema.safeParse(event);
    if (account.success) {
      const a = account.data;
      const inboxId = a.channelAccount?.inboxId ?? a.inboxId!;
      const name = a.channelAccount?.name ?? a.name ?? `${deps.config.branding.productName} AI`;
      const stored = await recordHubSpotCreatedAccount(deps, { portalId: Number(a.portalId), channelId: a.channelId, channelAccountId: a.channelAccountId, inboxId, name });
      if (!stored) result.ignored += 1;
      continue;
    }
    if ((event as { type: string }).type === 'OUTGOING_CHANNEL_MESSAGE_CREATED' || (event as { type: string }).type === 'CHANNEL_ACCOUNT_CREATED') {
      throw new AppError('invalid_body', `A ${(event as { type: string }).type} event lacks fields we need`);
    }
    result.ignored += 1;
  }
  return result;
}

async function recordAgentReply(deps: HelpdeskDeps, event: z.infer<typeof outgoingSchema>): Promise<'recorded' | 'duplicate' | 'ignored'> {
  const { message } = event;
  // Our own published AI turns are not agent replies.
  if (message.client?.clientType === 'INTEGRATION') return 'ignored';
  const connection = await deps.connections.findByPortalId(Number(event.portalId));
  if (!connection) return 'ignored';
  const organizationId = connection.organizationId;
  const conversationId = await repo.findConversationByThread(deps.db, organizationId, message.conversationsThreadId);
  if (!conversationId) return 'ignored';
  const sender = message.senders[0];
  const userId = sender?.actorId?.replace(/^A-/, '') ?? null;
  const email = sender?.deliveryIdentifier?.type === 'HS_EMAIL_ADDRESS' ? sender.deliveryIdentifier.value : null;
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const fresh = await repo.insertAgentReply(trx, { organizationId, hubspotMessageId: message.id, conversationId, hubspotThreadId: message.conversationsThreadId });
    if (!fresh) return false;
    await deps.events.record(trx, {
      organizationId,
      type: 'message.agent_reply',
      data: {
        conversationId,
        threadId: message.conversationsThreadId,
        messageId: message.id,
        text: message.text,
        richText: message.richText ?? null,
        agent: { userId, email, name: sender?.name ?? null },
      },
    });
    return true;
  });
  if (recorded) deps.events.afterCommit();
  return recorded ? 'recorded' : 'duplicate';
}
