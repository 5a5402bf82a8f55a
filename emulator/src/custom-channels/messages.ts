// Messages published over a custom channel: each lands in a conversations thread of the channel
// account's inbox (found by integration thread id or by the customer's delivery identifier, per the
// channel's threading model), deduplicated on `integrationIdempotencyId`; and the delivery status the
// integration reports for the messages agents write. https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { notFound, validationError } from '../http/errors.js';
import { createObject, findObject } from '../state/crm-objects.js';
import { createThread, postMessage } from '../state/conversations.js';
import { findUser } from '../state/portals.js';
import type { StateContext } from '../state/store.js';
import type { ChangeOrigin, Message } from '../state/types.js';
import { requireAccount } from './accounts.js';
import { requireChannel, threadingModel } from './channels.js';
import type { ChannelDeps } from './deps.js';
import type { ChannelAccount, ChannelMessage, DeliveryIdentifier, Participant, StatusType } from './types.js';

/** A participant as the publish body gives it (`ChannelIntegrationParticipant`). */
export interface ParticipantInput {
  deliveryIdentifier: DeliveryIdentifier;
  name?: string | undefined;
  senderActorId?: string | undefined;
}

/** Input of {@link publishMessage} (`ChannelIntegrationMessageEgg`). */
export interface PublishInput {
  channelAccountId: string;
  messageDirection: 'INCOMING' | 'OUTGOING';
  text: string;
  richText?: string | undefined;
  senders: ParticipantInput[];
  recipients: ParticipantInput[];
  integrationThreadId?: string | undefined;
  integrationIdempotencyId?: string | undefined;
  inReplyToId?: string | undefined;
  associateWithContactId?: number | undefined;
}

/** The caller of a portal-level endpoint. */
export interface Caller {
  portalId: number;
  scopes: string[];
}

const origin: ChangeOrigin = { changeSource: 'INTEGRATION' };

/**
 * Publishes a message; a repeated `integrationIdempotencyId` returns the first message unchanged.
 * @returns the message, its channel data and whether it was a repeat
 * @throws HttpError 400 for input HubSpot refuses, 404 for an unknown channel, account or contact
 */
export function publishMessage(deps: ChannelDeps, caller: Caller, channelId: number, input: PublishInput): { message: Message; meta: ChannelMessage; repeat: boolean } {
  const ctx = deps.state.ctx;
  const channel = requireChannel(ctx, deps.appId, channelId);
  const accountId = /^\d+$/.test(input.channelAccountId) ? Number(input.channelAccountId) : Number.NaN;
  const account = requireAccount(deps, caller.portalId, channelId, accountId);
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-201
  const idemKey = input.integrationIdempotencyId === undefined ? undefined : `${channelId}:${input.integrationIdempotencyId}`;
  const earlier = idemKey === undefined ? undefined : ctx.data.customChannels.idempotency.get(idemKey);
  if (earlier !== undefined) {
    const found = findChannelMessage(ctx, caller.portalId, channelId, earlier);
    if (found) return { ...found, repeat: true };
  }
  if (!account.authorized) throw validationError(`channel account ${account.id} is not authorized`);
  if (input.senders.length === 0) throw validationError('senders must name at least one sender');
  const customer = input.messageDirection === 'INCOMING' ? input.senders[0] : input.recipients[0];
  const threadKey = threadKeyOf(threadingModel(channel), input, customer);
  const contactId = input.associateWithContactId ?? null;
  if (contactId !== null && !findObject(ctx, caller.portalId, 'contacts', contactId)) throw notFound(`contact ${contactId} does not exist`);
  for (const p of [...input.senders, ...input.recipients]) assertActor(ctx, caller.portalId, p.senderActorId);

  const threadId = findOrCreateThread(deps, caller, account, threadKey, contactId, customer);
  const thread = ctx.data.threads.get(threadId);
  const senders = input.senders.map((p) => toParticipant(p, input.messageDirection === 'INCOMING' ? visitorActor(thread?.associatedContactId ?? null, p) : `I-${deps.appId}`));
  const recipients = input.recipients.map((p) => toParticipant(p, input.messageDirection === 'OUTGOING' ? visitorActor(thread?.associatedContactId ?? null, p) : `I-${deps.appId}`));
  const message = postMessage(ctx, caller.portalId, threadId, {
    type: 'MESSAGE',
    text: input.text,
    ...(input.richText !== undefined ? { richText: input.richText } : {}),
    senderActorId: senders[0]?.actorId ?? `I-${deps.appId}`,
    recipients: recipients.map((r) => ({ actorId: r.actorId, ...(r.deliveryIdentifier ? { deliveryIdentifiers: [r.deliveryIdentifier] } : {}) })),
    channelId: String(channelId),
    channelAccountId: String(account.id),
    direction: input.messageDirection,
    integrationAppId: deps.appId,
  }, origin);
  const meta: ChannelMessage = {
    messageId: message.id,
    threadId,
    portalId: caller.portalId,
    channelId,
    channelAccountId: account.id,
    senders,
    recipients,
    status: input.messageDirection === 'INCOMING' ? 'RECEIVED' : 'SENT',
    errorMessage: null,
    integrationThreadId: input.integrationThreadId ?? null,
    integrationIdempotencyId: input.integrationIdempotencyId ?? null,
    inReplyToId: input.inReplyToId ?? null,
    updatedAt: ctx.now(),
  };
  ctx.data.customChannels.messages.set(message.id, meta);
  if (idemKey !== undefined) ctx.data.customChannels.idempotency.set(idemKey, message.id);
  return { message, meta, repeat: false };
}

/** A channel message of the portal, or undefined. */
export function findChannelMessage(ctx: StateContext, portalId: number, channelId: number, messageId: string): { message: Message; meta: ChannelMessage } | undefined {
  const meta = ctx.data.customChannels.messages.get(messageId);
  if (!meta || meta.portalId !== portalId || meta.channelId !== channelId) return undefined;
  const message = ctx.data.messages.get(meta.threadId)?.find((m) => m.id === messageId);
  return message ? { message, meta } : undefined;
}

/**
 * Records the delivery status the integration reports (`SENT`, `FAILED` with an error, `READ`).
 * @throws HttpError 404 for a message that is not on this channel of the portal
 */
export function updateMessageStatus(deps: ChannelDeps, portalId: number, channelId: number, messageId: string, input: { statusType: Exclude<StatusType, 'RECEIVED'>; errorMessage?: string | undefined }): { message: Message; meta: ChannelMessage } {
  requireChannel(deps.state.ctx, deps.appId, channelId);
  const found = findChannelMessage(deps.state.ctx, portalId, channelId, messageId);
  if (!found) throw notFound(`Message ${messageId} not found`);
  found.meta.status = input.statusType;
  found.meta.errorMessage = input.statusType === 'FAILED' ? (input.errorMessage ?? null) : null;
  found.meta.updatedAt = deps.state.ctx.now();
  return found;
}

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-202
function threadKeyOf(model: 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER', input: PublishInput, customer: ParticipantInput | undefined): string {
  if (model === 'INTEGRATION_THREAD_ID') {
    if (input.integrationThreadId === undefined || input.integrationThreadId === '') {
      throw validationError('integrationThreadId is required: the channel threads by INTEGRATION_THREAD_ID');
    }
    return `it:${input.integrationThreadId}`;
  }
  if (!customer) throw validationError(`${input.messageDirection === 'INCOMING' ? 'senders' : 'recipients'} must name the customer to thread by delivery identifier`);
  return `di:${customer.deliveryIdentifier.type}:${customer.deliveryIdentifier.value}`;
}

function findOrCreateThread(deps: ChannelDeps, caller: Caller, account: ChannelAccount, key: string, contactId: number | null, customer: ParticipantInput | undefined): number {
  const ctx = deps.state.ctx;
  const mapKey = `${account.id}:${key}`;
  const existing = ctx.data.customChannels.threadKeys.get(mapKey);
  const thread = existing === undefined ? undefined : ctx.data.threads.get(existing);
  if (thread && !thread.archived) {
    if (contactId !== null && thread.associatedContactId === null) thread.associatedContactId = contactId;
    return thread.id;
  }
  const associatedContactId = contactId ?? resolveContact(ctx, caller, customer);
  const created = createThread(ctx, caller.portalId, { inboxId: account.inboxId, channelId: String(account.channelId), channelAccountId: String(account.id), associatedContactId }, origin);
  ctx.data.customChannels.threadKeys.set(mapKey, created.id);
  return created.id;
}

// HubSpot matches an email delivery identifier to a contact, and creates one when the app may write
// contacts. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-203
function resolveContact(ctx: StateContext, caller: Caller, customer: ParticipantInput | undefined): number | null {
  const id = customer?.deliveryIdentifier;
  if (id?.type !== 'HS_EMAIL_ADDRESS') return null;
  const email = id.value.toLowerCase();
  const match = [...ctx.data.objects.contacts.values()].find((c) => c.portalId === caller.portalId && !c.archived && c.properties.email?.toLowerCase() === email);
  if (match) return match.id;
  if (!caller.scopes.includes('crm.objects.contacts.write')) return null;
  const [first, ...rest] = (customer?.name ?? '').trim().split(/\s+/).filter((s) => s !== '');
  const properties: Record<string, string> = { email };
  if (first !== undefined) properties.firstname = first;
  if (rest.length > 0) properties.lastname = rest.join(' ');
  return createObject(ctx, caller.portalId, 'contacts', { properties }, origin).id;
}

function assertActor(ctx: StateContext, portalId: number, actorId: string | undefined): void {
  if (actorId === undefined) return;
  const agent = /^A-(\d+)$/.exec(actorId);
  if (agent?.[1] !== undefined && !findUser(ctx, portalId, Number(agent[1]))) throw validationError(`senderActorId ${actorId} is not a user of portal ${portalId}`);
  if (!/^[A-Z]-\S+$/.test(actorId)) throw validationError(`senderActorId ${actorId} is not an actor id`);
}

function visitorActor(contactId: number | null, p: ParticipantInput): string {
  if (contactId !== null) return `V-${contactId}`;
  return p.deliveryIdentifier.type === 'HS_EMAIL_ADDRESS' ? `E-${p.deliveryIdentifier.value}` : `V-${p.deliveryIdentifier.value}`;
}

function toParticipant(p: ParticipantInput, defaultActor: string): Participant {
  return { actorId: p.senderActorId ?? defaultActor, name: p.name ?? null, deliveryIdentifier: p.deliveryIdentifier };
}
