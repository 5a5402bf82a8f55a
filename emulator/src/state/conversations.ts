// Conversation threads and messages (https://developers.hubspot.com/docs/api-reference/conversations-conversations-v3/guide). `assignedTo` is a user id, and the
// `conversation.propertyChange` event for it carries the user id too (empty when unassigned).
import { notFound, validationError } from '../http/errors.js';
import { findObject } from './crm-objects.js';
import { findUser, requirePortal } from './portals.js';
import type { StateContext } from './store.js';
import type { ChangeOrigin, Message, Recipient, Thread } from './types.js';

/** Default inbox and channel of seeded and control-created threads (1002 = email). */
export const defaultInbox = { inboxId: '147959634', channelId: '1002', channelAccountId: '240983' };

/** Input of {@link createThread}. */
export interface CreateThreadInput {
  inboxId?: string;
  channelId?: string;
  channelAccountId?: string;
  associatedContactId?: number | null;
  associatedTicketId?: number | null;
  assignedTo?: number | null;
  status?: 'OPEN' | 'CLOSED';
  /** The visitor's first message; a thread starts with one in HubSpot. */
  firstMessage?: { text: string; subject?: string };
}

/** Input of {@link postMessage}. */
export interface PostMessageInput {
  type: 'MESSAGE' | 'COMMENT';
  text: string;
  richText?: string;
  subject?: string;
  senderActorId: string;
  recipients?: Recipient[];
  channelId?: string;
  channelAccountId?: string;
  direction?: 'INCOMING' | 'OUTGOING';
  integrationAppId?: number | null;
}

/**
 * Creates a thread and publishes `conversation.creation` (and `newMessage` for its first message).
 * @throws HttpError 400 for an unknown contact, ticket or assignee
 */
export function createThread(ctx: StateContext, portalId: number, input: CreateThreadInput, origin: ChangeOrigin): Thread {
  requirePortal(ctx, portalId);
  const contactId = input.associatedContactId ?? null;
  if (contactId !== null && !findObject(ctx, portalId, 'contacts', contactId)) throw validationError(`contact ${contactId} does not exist`);
  const ticketId = input.associatedTicketId ?? null;
  if (ticketId !== null && !findObject(ctx, portalId, 'tickets', ticketId)) throw validationError(`ticket ${ticketId} does not exist`);
  const assignedTo = input.assignedTo ?? null;
  if (assignedTo !== null && !findUser(ctx, portalId, assignedTo)) throw validationError(`user ${assignedTo} is not a user of portal ${portalId}`);
  const at = ctx.now();
  const thread: Thread = {
    id: ctx.ids.next('thread'),
    portalId,
    inboxId: input.inboxId ?? defaultInbox.inboxId,
    status: input.status ?? 'OPEN',
    assignedTo,
    associatedContactId: contactId,
    associatedTicketId: ticketId,
    originalChannelId: input.channelId ?? defaultInbox.channelId,
    originalChannelAccountId: input.channelAccountId ?? defaultInbox.channelAccountId,
    createdAt: at,
    closedAt: input.status === 'CLOSED' ? at : null,
    archived: false,
  };
  ctx.data.threads.set(thread.id, thread);
  ctx.data.messages.set(thread.id, []);
  publishThreadEvent(ctx, thread, 'conversation.creation', origin);
  if (input.firstMessage) {
    postMessage(ctx, portalId, thread.id, {
      type: 'MESSAGE',
      text: input.firstMessage.text,
      subject: input.firstMessage.subject,
      senderActorId: contactId === null ? 'E-visitor@example.com' : `V-${contactId}`,
      direction: 'INCOMING',
    }, origin);
  }
  return thread;
}

/**
 * A live thread of that portal (archived ones only when asked).
 * @throws HttpError 404 when it does not exist
 */
export function requireThread(ctx: StateContext, portalId: number, threadId: number, includeArchived = false): Thread {
  const thread = ctx.data.threads.get(threadId);
  if (!thread || thread.portalId !== portalId || (thread.archived && !includeArchived)) {
    throw notFound(`Thread ${threadId} not found`);
  }
  return thread;
}

/** Threads of a portal in id order. */
export function listThreads(ctx: StateContext, portalId: number, archived = false): Thread[] {
  return [...ctx.data.threads.values()].filter((t) => t.portalId === portalId && t.archived === archived).sort((a, b) => a.id - b.id);
}

/**
 * Opens or closes a thread; publishes `conversation.propertyChange` for `status` when it changes.
 * @throws HttpError 404 for an unknown thread
 */
export function setThreadStatus(ctx: StateContext, portalId: number, threadId: number, status: 'OPEN' | 'CLOSED', origin: ChangeOrigin): Thread {
  const thread = requireThread(ctx, portalId, threadId);
  if (thread.status === status) return thread;
  thread.status = status;
  thread.closedAt = status === 'CLOSED' ? ctx.now() : null;
  publishThreadEvent(ctx, thread, 'conversation.propertyChange', origin, { propertyName: 'status', propertyValue: status });
  return thread;
}

/**
 * Assigns a thread to a user (null unassigns); publishes `assignedTo` with the user id.
 * @throws HttpError 404 for an unknown thread, 400 for a user outside the portal
 */
export function assignThread(ctx: StateContext, portalId: number, threadId: number, userId: number | null, origin: ChangeOrigin): Thread {
  const thread = requireThread(ctx, portalId, threadId);
  if (userId !== null && !findUser(ctx, portalId, userId)) throw validationError(`user ${userId} is not a user of portal ${portalId}`);
  if (thread.assignedTo === userId) return thread;
  thread.assignedTo = userId;
  publishThreadEvent(ctx, thread, 'conversation.propertyChange', origin, { propertyName: 'assignedTo', propertyValue: userId === null ? '' : String(userId) });
  return thread;
}

/**
 * Moves a thread to the trash (`conversation.deletion`) or restores it (`isArchived` = false).
 * @throws HttpError 404 for an unknown thread
 */
export function setThreadArchived(ctx: StateContext, portalId: number, threadId: number, archived: boolean, origin: ChangeOrigin): Thread {
  const thread = requireThread(ctx, portalId, threadId, true);
  if (thread.archived === archived) return thread;
  thread.archived = archived;
  if (archived) publishThreadEvent(ctx, thread, 'conversation.deletion', origin);
  else publishThreadEvent(ctx, thread, 'conversation.propertyChange', origin, { propertyName: 'isArchived', propertyValue: 'false' });
  return thread;
}

/**
 * Adds a message or comment and publishes `conversation.newMessage`. An incoming message reopens a
 * closed thread, as a customer reply does in HubSpot.
 * @throws HttpError 404 for an unknown thread, 400 for an agent sender outside the portal
 */
export function postMessage(ctx: StateContext, portalId: number, threadId: number, input: PostMessageInput, origin: ChangeOrigin): Message {
  const thread = requireThread(ctx, portalId, threadId);
  const agent = /^A-(\d+)$/.exec(input.senderActorId);
  if (agent?.[1] !== undefined && !findUser(ctx, portalId, Number(agent[1]))) {
    throw validationError(`senderActorId ${input.senderActorId} is not a user of portal ${portalId}`);
  }
  const message: Message = {
    id: ctx.unique.next().toString(16).padStart(32, '0'),
    threadId,
    portalId,
    type: input.type,
    text: input.text,
    richText: input.richText ?? `<p>${escapeHtml(input.text)}</p>`,
    subject: input.subject ?? null,
    senderActorId: input.senderActorId,
    recipients: input.recipients ?? [],
    direction: input.direction ?? 'OUTGOING',
    channelId: input.channelId ?? thread.originalChannelId,
    channelAccountId: input.channelAccountId ?? thread.originalChannelAccountId,
    createdAt: ctx.now(),
    integrationAppId: input.integrationAppId ?? null,
  };
  ctx.data.messages.get(threadId)?.push(message);
  publishThreadEvent(ctx, thread, 'conversation.newMessage', origin, { messageId: message.id, messageType: message.type });
  if (message.direction === 'INCOMING' && message.type === 'MESSAGE' && thread.status === 'CLOSED') {
    setThreadStatus(ctx, portalId, threadId, 'OPEN', origin);
  }
  return message;
}

/** Messages of a thread, oldest first. */
export function listMessages(ctx: StateContext, portalId: number, threadId: number): Message[] {
  requireThread(ctx, portalId, threadId);
  return ctx.data.messages.get(threadId) ?? [];
}

function publishThreadEvent(
  ctx: StateContext,
  thread: Thread,
  subscriptionType: string,
  origin: ChangeOrigin,
  extra: { propertyName?: string; propertyValue?: string; messageId?: string; messageType?: string } = {},
): void {
  ctx.publish({ portalId: thread.portalId, subscriptionType, objectId: thread.id, occurredAt: ctx.now(), ...origin, ...extra });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
