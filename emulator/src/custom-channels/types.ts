// Records of HubSpot's custom channels API as the emulator keeps them: channels registered by the app,
// channel accounts connecting a channel to a portal's inbox, staging tokens of HubSpot's own
// "connect channel" flow, and what the channel adds to a thread message (senders, status, ids).
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide

/** `PublicDeliveryIdentifier`. */
export interface DeliveryIdentifier {
  type: 'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'HS_SHORT_CODE' | 'CHANNEL_SPECIFIC_OPAQUE_ID';
  value: string;
}

/** A channel registered by the app (developer-level). */
export interface Channel {
  id: number;
  appId: number;
  name: string;
  webhookUrl: string | null;
  channelAccountConnectionRedirectUrl: string | null;
  channelDescription: string | null;
  channelLogoUrl: string | null;
  /** Stored as given; the emulator reads `threadingModel` and `allowOutgoingMessages`. */
  capabilities: Record<string, unknown>;
  createdAt: number;
  archived: boolean;
}

/** A channel connected to one inbox of one portal. */
export interface ChannelAccount {
  id: number;
  channelId: number;
  portalId: number;
  inboxId: string;
  name: string;
  deliveryIdentifier: DeliveryIdentifier | null;
  authorized: boolean;
  createdAt: number;
  archived: boolean;
  archivedAt: number | null;
}

/** A staging token of HubSpot's connect flow: created when an admin starts connecting in HubSpot. */
export interface StagingToken {
  accountToken: string;
  channelId: number;
  portalId: number;
  inboxId: string;
  userId: number;
  createdAt: number;
  accountName: string | null;
  deliveryIdentifier: DeliveryIdentifier | null;
  /** The channel account the token became, once the integration completed it. */
  channelAccountId: number | null;
}

/** A participant of a channel message (`ChannelIntegrationParticipant` / `PublicSender`). */
export interface Participant {
  actorId: string;
  name: string | null;
  deliveryIdentifier: DeliveryIdentifier | null;
}

/** Delivery status of a channel message. */
export type StatusType = 'RECEIVED' | 'SENT' | 'FAILED' | 'READ';

/** What a custom channel adds to a thread message (keyed by message id). */
export interface ChannelMessage {
  messageId: string;
  threadId: number;
  portalId: number;
  channelId: number;
  channelAccountId: number;
  senders: Participant[];
  recipients: Participant[];
  /** Null until the integration reports one for a message an agent wrote in HubSpot. */
  status: StatusType | null;
  errorMessage: string | null;
  integrationThreadId: string | null;
  integrationIdempotencyId: string | null;
  inReplyToId: string | null;
  updatedAt: number;
}

/** The custom channels part of the emulator's data. */
export interface ChannelData {
  channels: Map<number, Channel>;
  accounts: Map<number, ChannelAccount>;
  stagingTokens: Map<string, StagingToken>;
  messages: Map<string, ChannelMessage>;
  /** `<channelAccountId>:<thread key>` → conversations thread id. */
  threadKeys: Map<string, number>;
  /** `<channelId>:<integrationIdempotencyId>` → message id. */
  idempotency: Map<string, string>;
}

/** Fresh, empty channel data. */
export function emptyChannelData(): ChannelData {
  return { channels: new Map(), accounts: new Map(), stagingTokens: new Map(), messages: new Map(), threadKeys: new Map(), idempotency: new Map() };
}

/** Channel data as JSON-friendly entry lists (for the saved state). */
export function serializeChannelData(data: ChannelData): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([key, map]) => [key, [...(map as Map<unknown, unknown>).entries()]]));
}

/**
 * Rebuilds channel data from {@link serializeChannelData}'s output.
 * @throws Error when a part is not an entry list
 */
export function deserializeChannelData(saved: unknown): ChannelData {
  const data = emptyChannelData();
  if (saved === undefined || saved === null) return data;
  if (typeof saved !== 'object') throw new Error('saved emulator state: expected the custom channels object');
  const parts = saved as Record<string, unknown>;
  for (const key of Object.keys(data) as (keyof ChannelData)[]) {
    const value = parts[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) throw new Error(`saved emulator state: customChannels.${key} must be a list of entries`);
    (data[key] as Map<unknown, unknown>) = new Map(value as [unknown, unknown][]);
  }
  return data;
}
