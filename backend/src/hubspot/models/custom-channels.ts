import { z } from 'zod';

// Request bodies of HubSpot's custom channels API (2026-03), written from HubSpot's API reference
// (https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide).
// The adapter builds every body through these models, so a body that breaks the reference fails here.

/** `PublicDeliveryIdentifier`: both fields required. */
export const deliveryIdentifierModel = z.strictObject({
  type: z.enum(['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER', 'HS_SHORT_CODE']),
  value: z.string().min(1),
});
export type DeliveryIdentifier = z.infer<typeof deliveryIdentifierModel>;

/**
 * `PublicChannelIntegrationChannelCreate` (`name` and `capabilities` required; capabilities is a map
 * the reference leaves open, its keys come from the guide). We always send every field, because the
 * same body goes to `PublicChannelIntegrationChannelPatch`, which requires all six.
 */
export const channelCreateModel = z.strictObject({
  name: z.string().min(1),
  capabilities: z.record(z.string(), z.unknown()),
  webhookUrl: z.string().url(),
  channelAccountConnectionRedirectUrl: z.string().url(),
  channelDescription: z.string(),
  channelLogoUrl: z.string().url(),
});
export type ChannelCreate = z.infer<typeof channelCreateModel>;

/** `PublicChannelAccountEgg`: `inboxId`, `name` and `authorized` required. */
export const channelAccountEggModel = z.strictObject({
  inboxId: z.string().min(1),
  name: z.string().min(1),
  authorized: z.boolean(),
  deliveryIdentifier: deliveryIdentifierModel.optional(),
});
export type ChannelAccountEgg = z.infer<typeof channelAccountEggModel>;

/** `PublicChannelAccountStagingTokenUpdateRequest`: both fields optional. */
export const stagingTokenUpdateModel = z.strictObject({
  accountName: z.string().min(1).optional(),
  deliveryIdentifier: deliveryIdentifierModel.optional(),
});

/** `ChannelIntegrationParticipant`: `deliveryIdentifier` required. */
export const participantModel = z.strictObject({
  deliveryIdentifier: deliveryIdentifierModel,
  name: z.string().optional(),
  senderActorId: z.string().optional(),
});
export type Participant = z.infer<typeof participantModel>;

/**
 * `ChannelIntegrationMessageEgg`: `text`, `messageDirection`, `senders`, `recipients`,
 * `channelAccountId`, `attachments` and `timestamp` required.
 */
export const messageEggModel = z.strictObject({
  text: z.string(),
  richText: z.string().optional(),
  messageDirection: z.enum(['INCOMING', 'OUTGOING']),
  senders: z.array(participantModel).min(1),
  recipients: z.array(participantModel).min(1),
  channelAccountId: z.string().min(1),
  integrationThreadId: z.string().min(1),
  integrationIdempotencyId: z.string().min(1),
  associateWithContactId: z.number().int().positive().optional(),
  attachments: z.array(z.never()),
  timestamp: z.string().datetime(),
});
export type MessageEgg = z.infer<typeof messageEggModel>;

/** `PublicChannelIntegrationMessageUpdateRequest`: `statusType` required. */
export const messageUpdateModel = z.strictObject({
  statusType: z.enum(['SENT', 'FAILED', 'READ']),
  errorMessage: z.string().optional(),
});
