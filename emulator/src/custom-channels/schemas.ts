// What the custom channel routes refuse. Looser than the conformance models (conformance/
// custom-channels.models.ts): HubSpot ignores fields it does not know and, as third-party clients
// show, accepts a publish without `timestamp`, `attachments` or `recipients`; a wrong type or a
// missing field HubSpot cannot do without is a 400. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-208
import { z } from 'zod';

const url = z.string().min(1).max(2048);

/** A delivery identifier. */
export const deliveryIdentifierSchema = z.object({
  type: z.enum(['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER', 'HS_SHORT_CODE']),
  value: z.string().min(1).max(1024),
});

/** Channel registration. */
export const channelCreateSchema = z.object({
  name: z.string().min(1).max(256),
  capabilities: z.record(z.string(), z.unknown()),
  webhookUrl: url.optional(),
  channelAccountConnectionRedirectUrl: url.optional(),
  channelDescription: z.string().max(4096).optional(),
  channelLogoUrl: url.optional(),
});

/** Channel update: any subset. */
export const channelPatchSchema = channelCreateSchema.partial();

/** Channel account creation. */
export const accountCreateSchema = z.object({
  inboxId: z.string().regex(/^\d+$/, 'inboxId must be a numeric id'),
  name: z.string().min(1).max(256),
  authorized: z.boolean(),
  deliveryIdentifier: deliveryIdentifierSchema.optional(),
});

/** Channel account update. */
export const accountUpdateSchema = z.object({ name: z.string().min(1).max(256).optional(), authorized: z.boolean().optional() });

/** Staging token completion. */
export const stagingTokenSchema = z.object({ accountName: z.string().min(1).max(256).optional(), deliveryIdentifier: deliveryIdentifierSchema.optional() });

const participantSchema = z.object({
  deliveryIdentifier: deliveryIdentifierSchema,
  name: z.string().max(256).optional(),
  senderActorId: z.string().max(256).optional(),
});

/** Message publish. */
export const publishSchema = z.object({
  channelAccountId: z.string().regex(/^\d+$/, 'channelAccountId must be a numeric id'),
  messageDirection: z.enum(['INCOMING', 'OUTGOING']),
  text: z.string().max(65_536),
  richText: z.string().max(262_144).optional(),
  senders: z.array(participantSchema).min(1).max(20),
  recipients: z.array(participantSchema).max(20).default([]),
  attachments: z.array(z.unknown()).max(0, 'the emulator stores no attachments').optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  integrationThreadId: z.string().min(1).max(1024).optional(),
  integrationIdempotencyId: z.string().min(1).max(1024).optional(),
  inReplyToId: z.string().max(256).optional(),
  associateWithContactId: z.number().int().positive().optional(),
});

/** Delivery status report. */
export const statusSchema = z.object({ statusType: z.enum(['FAILED', 'READ', 'SENT']), errorMessage: z.string().max(4096).optional() });
