// Channel registration (developer level) and the inboxes a channel account can connect to.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { notFound, validationError } from '../http/errors.js';
import { requirePortal } from '../state/portals.js';
import type { StateContext } from '../state/store.js';
import { defaultInbox } from '../state/conversations.js';
import type { Channel } from './types.js';

/** Input of {@link registerChannel} and {@link updateChannel} (`PublicChannelIntegrationChannelCreate`). */
export interface ChannelInput {
  name: string;
  capabilities: Record<string, unknown>;
  webhookUrl?: string | undefined;
  channelAccountConnectionRedirectUrl?: string | undefined;
  channelDescription?: string | undefined;
  channelLogoUrl?: string | undefined;
}

/** An inbox or the help desk of a portal (`PublicInbox`). */
export interface Inbox {
  id: string;
  name: string;
  type: 'INBOX' | 'HELP_DESK';
  portalId: number;
  createdAt: number;
}

// Every emulated portal has one conversations inbox (the one seeded threads use) and a help desk.
const HELP_DESK_ID = String(Number(defaultInbox.inboxId) + 1);

/** The inboxes of a portal: its conversations inbox and its help desk. */
export function listInboxes(ctx: StateContext, portalId: number): Inbox[] {
  const portal = requirePortal(ctx, portalId);
  return [
    { id: defaultInbox.inboxId, name: 'Inbox', type: 'INBOX', portalId, createdAt: portal.createdAt },
    { id: HELP_DESK_ID, name: 'Help Desk', type: 'HELP_DESK', portalId, createdAt: portal.createdAt },
  ];
}

/**
 * An inbox of the portal.
 * @throws HttpError 404 when the portal has no such inbox
 */
export function requireInbox(ctx: StateContext, portalId: number, inboxId: string): Inbox {
  const inbox = listInboxes(ctx, portalId).find((i) => i.id === inboxId);
  if (!inbox) throw notFound(`Inbox ${inboxId} not found`);
  return inbox;
}

/** Registers a channel for the app. */
export function registerChannel(ctx: StateContext, appId: number, input: ChannelInput): Channel {
  const channel: Channel = {
    id: ctx.ids.next('channel'),
    appId,
    name: input.name,
    capabilities: input.capabilities,
    webhookUrl: input.webhookUrl ?? null,
    channelAccountConnectionRedirectUrl: input.channelAccountConnectionRedirectUrl ?? null,
    channelDescription: input.channelDescription ?? null,
    channelLogoUrl: input.channelLogoUrl ?? null,
    createdAt: ctx.now(),
    archived: false,
  };
  ctx.data.customChannels.channels.set(channel.id, channel);
  return channel;
}

/** The app's live channels, oldest first. */
export function listChannels(ctx: StateContext, appId: number): Channel[] {
  return [...ctx.data.customChannels.channels.values()].filter((c) => c.appId === appId && !c.archived).sort((a, b) => a.id - b.id);
}

/**
 * A live channel of the app.
 * @throws HttpError 404 when it does not exist, is archived or belongs to another app
 */
export function requireChannel(ctx: StateContext, appId: number, channelId: number): Channel {
  const channel = ctx.data.customChannels.channels.get(channelId);
  if (!channel || channel.appId !== appId || channel.archived) throw notFound(`Channel ${channelId} not found`);
  return channel;
}

/** Replaces a channel's settings (the reference's PATCH model lists every field as required). */
export function updateChannel(ctx: StateContext, appId: number, channelId: number, input: Partial<ChannelInput>): Channel {
  const channel = requireChannel(ctx, appId, channelId);
  if (input.name !== undefined) channel.name = input.name;
  if (input.capabilities !== undefined) channel.capabilities = input.capabilities;
  if (input.webhookUrl !== undefined) channel.webhookUrl = input.webhookUrl;
  if (input.channelAccountConnectionRedirectUrl !== undefined) channel.channelAccountConnectionRedirectUrl = input.channelAccountConnectionRedirectUrl;
  if (input.channelDescription !== undefined) channel.channelDescription = input.channelDescription;
  if (input.channelLogoUrl !== undefined) channel.channelLogoUrl = input.channelLogoUrl;
  return channel;
}

/** Archives a channel; its accounts stop accepting messages. */
export function archiveChannel(ctx: StateContext, appId: number, channelId: number): void {
  requireChannel(ctx, appId, channelId).archived = true;
}

/** The channel's threading model: `INTEGRATION_THREAD_ID` or `DELIVERY_IDENTIFIER` (the default). */
export function threadingModel(channel: Channel): 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER' {
  return channel.capabilities.threadingModel === 'INTEGRATION_THREAD_ID' ? 'INTEGRATION_THREAD_ID' : 'DELIVERY_IDENTIFIER';
}

/**
 * Checks a URL field of a channel.
 * @throws HttpError 400 when it is not an absolute http(s) URL
 */
export function assertHttpUrl(value: string | undefined, field: string): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationError(`${field} must be an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw validationError(`${field} must be an http(s) URL`);
}
