// Request bodies of HubSpot's custom channels API (2026-03) and the conversations inbox list, written
// from the reference as strict zod models (a field the reference does not define is a violation).
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { z } from 'zod';

/** `PublicDeliveryIdentifier`. */
export const deliveryIdentifier = z.strictObject({
  type: z.enum(['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER', 'HS_SHORT_CODE']),
  value: z.string(),
});

/** `PublicChannelIntegrationChannelCreate`: `name` and `capabilities` required. */
export const channelCreate = z.strictObject({
  name: z.string(),
  capabilities: z.record(z.string(), z.unknown()),
  webhookUrl: z.string().optional(),
  channelAccountConnectionRedirectUrl: z.string().optional(),
  channelDescription: z.string().optional(),
  channelLogoUrl: z.string().optional(),
});

/**
 * `PublicChannelIntegrationChannelPatch`: the reference marks every field required, so a backend
 * sends the whole configuration. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-209
 */
export const channelPatch = z.strictObject({
  name: z.string(),
  capabilities: z.record(z.string(), z.unknown()),
  webhookUrl: z.string(),
  channelAccountConnectionRedirectUrl: z.string(),
  channelDescription: z.string(),
  channelLogoUrl: z.string(),
});

/** `PublicChannelAccountEgg`: `inboxId`, `name`, `authorized` required. */
export const channelAccountEgg = z.strictObject({
  inboxId: z.string(),
  name: z.string(),
  authorized: z.boolean(),
  deliveryIdentifier: deliveryIdentifier.optional(),
});

/** `PublicChannelAccountUpdateRequest`. */
export const channelAccountUpdate = z.strictObject({ name: z.string().optional(), authorized: z.boolean().optional() });

/** `PublicChannelAccountStagingTokenUpdateRequest`. */
export const stagingTokenUpdate = z.strictObject({ accountName: z.string().optional(), deliveryIdentifier: deliveryIdentifier.optional() });

/** `ChannelIntegrationParticipant`: `deliveryIdentifier` required. */
export const participant = z.strictObject({ deliveryIdentifier, name: z.string().optional(), senderActorId: z.string().optional() });

/**
 * `ChannelIntegrationMessageEgg`: `attachments`, `channelAccountId`, `messageDirection`, `recipients`,
 * `senders`, `text`, `timestamp` required. Attachments are checked only as a list (the emulator
 * stores none).
 */
export const channelMessageEgg = z.strictObject({
  channelAccountId: z.string(),
  messageDirection: z.enum(['INCOMING', 'OUTGOING']),
  text: z.string(),
  richText: z.string().optional(),
  senders: z.array(participant),
  recipients: z.array(participant),
  attachments: z.array(z.unknown()),
  timestamp: z.iso.datetime({ offset: true }),
  integrationThreadId: z.string().optional(),
  integrationIdempotencyId: z.string().optional(),
  inReplyToId: z.string().optional(),
  associateWithContactId: z.number().int().optional(),
  preResolvedContacts: z.unknown().optional(),
});

/** `PublicChannelIntegrationMessageUpdateRequest`. */
export const channelMessageUpdate = z.strictObject({ statusType: z.enum(['FAILED', 'READ', 'SENT']), errorMessage: z.string().optional() });
