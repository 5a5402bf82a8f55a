// The agent's side of the help desk: what an agent sees in the inbox (threads with their messages in
// order), and what an agent does there (reply, assign, close). A reply on a custom channel thread goes
// to the channel's webhook as `OUTGOING_CHANNEL_MESSAGE_CREATED`; assigning and closing publish the
// usual `conversation.propertyChange` events through the app's webhook subscriptions.
import { apiError, validationError } from '../http/errors.js';
import { assignThread, listThreads, postMessage, requireThread, setThreadStatus } from '../state/conversations.js';
import { findUser } from '../state/portals.js';
import type { ChangeOrigin, Message, Thread } from '../state/types.js';
import { emitChannelEvent, type ChannelDeps } from './deps.js';
import { presentChannelMessage } from './present.js';
import type { Channel, ChannelMessage, Participant, StatusType } from './types.js';

/** How an agent sees a message. */
export interface InboxMessage {
  id: string;
  type: 'MESSAGE' | 'COMMENT' | 'WELCOME_MESSAGE';
  direction: 'INCOMING' | 'OUTGOING';
  sender: { actorId: string; type: 'VISITOR' | 'AGENT' | 'INTEGRATOR' | 'EMAIL' | 'BOT' | 'SYSTEM'; name: string | null };
  text: string;
  /** The delivery status on a custom channel (null until reported, and on other channels). */
  status: StatusType | null;
  createdAt: number;
}

/** How an agent sees a thread. `assignee` is a user id. */
export interface InboxThread {
  id: number;
  status: 'OPEN' | 'CLOSED';
  assignee: number | null;
  inboxId: string;
  channelId: string;
  channelAccountId: string;
  associatedContactId: number | null;
  messages: InboxMessage[];
}

const actorTypes: Record<string, InboxMessage['sender']['type']> = { V: 'VISITOR', A: 'AGENT', I: 'INTEGRATOR', E: 'EMAIL', B: 'BOT', S: 'SYSTEM' };

/** The portal's live threads, oldest first, each with its messages in order. */
export function inboxThreads(deps: ChannelDeps, portalId: number): InboxThread[] {
  return listThreads(deps.state.ctx, portalId).map((t) => inboxThread(deps, t));
}

/** One thread as the agent sees it. */
export function inboxThread(deps: ChannelDeps, thread: Thread): InboxThread {
  const ctx = deps.state.ctx;
  const messages = (ctx.data.messages.get(thread.id) ?? []).map((m): InboxMessage => {
    const meta = ctx.data.customChannels.messages.get(m.id);
    return { id: m.id, type: m.type, direction: m.direction, sender: senderOf(deps, thread.portalId, m, meta), text: m.text, status: meta?.status ?? null, createdAt: m.createdAt };
  });
  return {
    id: thread.id,
    status: thread.status,
    assignee: thread.assignedTo,
    inboxId: thread.inboxId,
    channelId: thread.originalChannelId,
    channelAccountId: thread.originalChannelAccountId,
    associatedContactId: thread.associatedContactId,
    messages,
  };
}

/**
 * An agent replies in a thread. On a custom channel thread the reply goes to the channel's webhook.
 * @throws HttpError 400 for a user outside the portal or an empty text, 404 for an unknown thread,
 *   409 when the channel does not allow outgoing messages
 */
export function agentReply(deps: ChannelDeps, portalId: number, threadId: number, input: { userId: number; text: string; richText?: string | undefined }): Message {
  const ctx = deps.state.ctx;
  const thread = requireThread(ctx, portalId, threadId);
  const user = findUser(ctx, portalId, input.userId);
  if (!user) throw validationError(`user ${input.userId} is not a user of portal ${portalId}`);
  if (input.text.trim() === '') throw validationError('text must not be empty');
  const channel = channelOf(deps, thread);
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-210
  if (channel && channel.capabilities.allowOutgoingMessages === false) throw apiError(409, 'CONFLICT', `channel ${channel.id} does not allow outgoing messages`);
  const origin: ChangeOrigin = { changeSource: 'CONVERSATIONS', sourceId: `userId:${user.id}` };
  const message = postMessage(ctx, portalId, threadId, { type: 'MESSAGE', text: input.text, richText: input.richText, senderActorId: `A-${user.id}`, direction: 'OUTGOING' }, origin);
  if (channel) sendToChannel(deps, channel, thread, message);
  return message;
}

/**
 * A message an agent or the app wrote in a custom channel thread (through the conversations API) goes
 * to the channel's webhook like a reply in the help desk. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-212
 */
export function forwardThreadMessage(deps: ChannelDeps, message: Message): void {
  if (message.type !== 'MESSAGE' || message.direction !== 'OUTGOING' || deps.state.ctx.data.customChannels.messages.has(message.id)) return;
  const thread = deps.state.ctx.data.threads.get(message.threadId);
  const channel = thread ? channelOf(deps, thread) : undefined;
  if (thread && channel && channel.capabilities.allowOutgoingMessages !== false) sendToChannel(deps, channel, thread, message);
}

function sendToChannel(deps: ChannelDeps, channel: Channel, thread: Thread, message: Message): void {
  const ctx = deps.state.ctx;
  const threadId = thread.id;
  const earlier = [...ctx.data.customChannels.messages.values()].filter((m) => m.threadId === threadId);
  const customer = earlier.find((m) => ctx.data.messages.get(threadId)?.find((x) => x.id === m.messageId)?.direction === 'INCOMING')?.senders[0] ?? earlier[0]?.recipients[0];
  const account = ctx.data.customChannels.accounts.get(Number(thread.originalChannelAccountId));
  const agentMatch = /^A-(\d+)$/.exec(message.senderActorId);
  const user = agentMatch?.[1] === undefined ? undefined : findUser(ctx, thread.portalId, Number(agentMatch[1]));
  const sender: Participant = { actorId: message.senderActorId, name: user ? `${user.firstName} ${user.lastName}`.trim() : null, deliveryIdentifier: account?.deliveryIdentifier ?? null };
  const meta: ChannelMessage = {
    messageId: message.id,
    threadId,
    portalId: thread.portalId,
    channelId: channel.id,
    channelAccountId: Number(thread.originalChannelAccountId),
    senders: [sender],
    recipients: customer ? [customer] : [],
    status: null,
    errorMessage: null,
    integrationThreadId: earlier.find((m) => m.integrationThreadId !== null)?.integrationThreadId ?? null,
    integrationIdempotencyId: null,
    inReplyToId: null,
    updatedAt: ctx.now(),
  };
  ctx.data.customChannels.messages.set(message.id, meta);
  emitChannelEvent(deps, channel, thread.portalId, 'OUTGOING_CHANNEL_MESSAGE_CREATED', {
    channelIntegrationThreadIds: meta.integrationThreadId === null ? [] : [meta.integrationThreadId],
    message: presentChannelMessage(message, meta),
  });
}

/** An agent (un)assigns a thread; publishes `conversation.propertyChange` for `assignedTo`. */
export function agentAssign(deps: ChannelDeps, portalId: number, threadId: number, userId: number | null): Thread {
  return assignThread(deps.state.ctx, portalId, threadId, userId, { changeSource: 'CONVERSATIONS' });
}

/** An agent closes or reopens a thread; publishes `conversation.propertyChange` for `status`. */
export function agentSetStatus(deps: ChannelDeps, portalId: number, threadId: number, status: 'OPEN' | 'CLOSED'): Thread {
  return setThreadStatus(deps.state.ctx, portalId, threadId, status, { changeSource: 'CONVERSATIONS' });
}

/** The app's custom channel a thread runs on, if any. */
export function channelOf(deps: ChannelDeps, thread: Thread): Channel | undefined {
  if (!/^\d+$/.test(thread.originalChannelId)) return undefined;
  const channel = deps.state.ctx.data.customChannels.channels.get(Number(thread.originalChannelId));
  return channel && channel.appId === deps.appId && !channel.archived ? channel : undefined;
}

function senderOf(deps: ChannelDeps, portalId: number, m: Message, meta: ChannelMessage | undefined): InboxMessage['sender'] {
  const type = actorTypes[m.senderActorId.charAt(0)] ?? 'SYSTEM';
  const agent = /^A-(\d+)$/.exec(m.senderActorId);
  const user = agent?.[1] === undefined ? undefined : findUser(deps.state.ctx, portalId, Number(agent[1]));
  const name = user ? `${user.firstName} ${user.lastName}`.trim() : (meta?.senders[0]?.name ?? null);
  return { actorId: m.senderActorId, type, name };
}
