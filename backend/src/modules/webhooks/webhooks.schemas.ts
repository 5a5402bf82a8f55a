import { z } from 'zod';

// HubSpot sends property values as strings; be lenient with scalars so a new event shape never
// fails intake (a value we cannot read is still stored, and handlers only read the ones they know).
const scalarAsString = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * One HubSpot webhook event (reference §5.1). Only the fields we key, route or handle on are
 * required; unknown subscription types and unknown fields are accepted (the stored payload is the
 * event exactly as received).
 */
export const webhookEventSchema = z
  .object({
    // Not unique on its own (reference §5.4): part of the dedupe key only.
    eventId: z.number().int().nonnegative(),
    subscriptionId: z.number().int().optional(),
    // The customer's hub id: what we route on.
    portalId: z.number().int().positive(),
    appId: z.number().int().optional(),
    // Epoch ms; what we order by.
    occurredAt: z.number().int().nonnegative(),
    // Payloads say subscriptionType; HubSpot's docs table says eventType. Either is accepted.
    subscriptionType: z.string().min(1).max(200).optional(),
    eventType: z.string().min(1).max(200).optional(),
    attemptNumber: z.number().int().optional(),
    // The record id; for conversation.* the thread id.
    objectId: z.number().int().nonnegative(),
    // Generic object.* events: 0-1 contact, 0-5 ticket, …
    objectTypeId: z.string().optional(),
    propertyName: z.string().max(500).optional(),
    propertyValue: scalarAsString.optional(),
    changeSource: z.string().optional(),
    sourceId: z.string().optional(),
    changeFlag: z.string().optional(),
    messageId: z.string().optional(),
    messageType: z.string().optional(),
  })
  .refine((e) => e.subscriptionType !== undefined || e.eventType !== undefined, { message: 'subscriptionType is required', path: ['subscriptionType'] })
  .transform(({ eventType, subscriptionType, ...rest }) => ({ ...rest, subscriptionType: (subscriptionType ?? eventType) as string }));
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/**
 * A delivery: a JSON array of at most 100 events. HubSpot sends "up to 100 events per request"
 * (reference §5.1); a bigger batch is not HubSpot's, even correctly signed, and is refused (400).
 */
export const WEBHOOK_MAX_BATCH = 100;
export const webhookBatchSchema = z.array(webhookEventSchema).max(WEBHOOK_MAX_BATCH);
export type WebhookBatch = z.infer<typeof webhookBatchSchema>;

/** `GET /api/v1/webhook-events` query. */
export const listWebhookEventsQuerySchema = z
  .object({
    // pending | processed | ignored | dead (unroutable events belong to no organization).
    status: z.enum(['pending', 'processed', 'ignored', 'dead']).optional(),
    // Cursor: the id of the last event already read.
    after: z.string().regex(/^\d{1,18}$/).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type ListWebhookEventsQuery = z.infer<typeof listWebhookEventsQuerySchema>;
