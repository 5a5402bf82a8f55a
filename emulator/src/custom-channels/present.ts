// Custom channel records in HubSpot's JSON shapes: `PublicChannelIntegrationChannel`,
// `PublicChannelAccount`, `PublicChannelAccountStagingToken`, `PublicConversationsMessage`, `PublicInbox`.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import type { Message } from '../state/types.js';
import type { Inbox } from './channels.js';
import type { Channel, ChannelAccount, ChannelMessage, Participant, StagingToken } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** `PublicChannelIntegrationChannel`. */
export function presentChannel(channel: Channel): Record<string, unknown> {
  const out: Record<string, unknown> = { id: String(channel.id), name: channel.name, capabilities: channel.capabilities, createdAt: iso(channel.createdAt) };
  if (channel.webhookUrl !== null) out.webhookUrl = channel.webhookUrl;
  if (channel.channelAccountConnectionRedirectUrl !== null) out.channelAccountConnectionRedirectUrl = channel.channelAccountConnectionRedirectUrl;
  if (channel.channelDescription !== null) out.channelDescription = channel.channelDescription;
  if (channel.channelLogoUrl !== null) out.channelLogoUrl = channel.channelLogoUrl;
  return out;
}

/** `PublicChannelAccount`. */
export function presentAccount(account: ChannelAccount): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(account.id),
    channelId: String(account.channelId),
    inboxId: account.inboxId,
    name: account.name,
    active: account.authorized && !account.archived,
    authorized: account.authorized,
    archived: account.archived,
    createdAt: iso(account.createdAt),
  };
  if (account.deliveryIdentifier !== null) out.deliveryIdentifier = account.deliveryIdentifier;
  if (account.archivedAt !== null) out.archivedAt = iso(account.archivedAt);
  return out;
}

/** `PublicChannelAccountStagingToken` (ids are integers in this model). */
export function presentStagingToken(token: StagingToken): Record<string, unknown> {
  const out: Record<string, unknown> = {
    accountToken: token.accountToken,
    createdAt: iso(token.createdAt),
    genericChannelId: token.channelId,
    inboxId: Number(token.inboxId),
    userId: token.userId,
  };
  if (token.accountName !== null) out.accountName = token.accountName;
  if (token.deliveryIdentifier !== null) out.deliveryIdentifier = token.deliveryIdentifier;
  return out;
}

function participant(p: Participant, field: 'senderField' | 'recipientField', value: string): Record<string, unknown> {
  const out: Record<string, unknown> = { actorId: p.actorId, [field]: value };
  if (p.name !== null) out.name = p.name;
  if (p.deliveryIdentifier !== null) out.deliveryIdentifier = p.deliveryIdentifier;
  return out;
}

/** `PublicConversationsMessage` of a message on a custom channel. */
export function presentChannelMessage(message: Message, meta: ChannelMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'MESSAGE',
    id: message.id,
    conversationsThreadId: String(message.threadId),
    channelId: String(meta.channelId),
    channelAccountId: String(meta.channelAccountId),
    createdAt: iso(message.createdAt),
    updatedAt: iso(meta.updatedAt),
    createdBy: message.senderActorId,
    client: message.integrationAppId !== null ? { clientType: 'INTEGRATION', integrationAppId: message.integrationAppId } : { clientType: 'HUBSPOT' },
    senders: meta.senders.map((s) => participant(s, 'senderField', 'FROM')),
    recipients: meta.recipients.map((r) => participant(r, 'recipientField', 'TO')),
    text: message.text,
    richText: message.richText,
    attachments: [],
    direction: message.direction,
    truncationStatus: 'NOT_TRUNCATED',
    archived: false,
  };
  if (meta.inReplyToId !== null) out.inReplyToId = meta.inReplyToId;
  if (meta.status !== null) {
    out.status = {
      statusType: meta.status,
      ...(meta.errorMessage !== null ? { failureDetails: { errorMessage: meta.errorMessage, errorMessageTokens: {} } } : {}),
    };
  }
  return out;
}

/** `PublicInbox`. */
export function presentInbox(inbox: Inbox): Record<string, unknown> {
  return { id: inbox.id, name: inbox.name, type: inbox.type, archived: false, createdAt: iso(inbox.createdAt), updatedAt: iso(inbox.createdAt) };
}
