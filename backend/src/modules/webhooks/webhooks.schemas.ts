import { z } from 'zod';
import { text } from '../../platform/http/text.js';
import { HANDLED_SUBSCRIPTIONS, normalisedType } from './handle-event.js';

// Field shapes: https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide (the payload
// table). HubSpot is looser on the wire than its table: every leniency below has an entry in
// docs/HUBSPOT-ASSUMPTIONS.md (W-*). A field we do not read is never a reason to drop an event.

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-3
const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-4 (ids as JSON numbers or digit strings)
const id = (min: number) => z.union([z.number().int().min(min).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/).transform(Number).pipe(z.number().int().min(min))]);

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-6 (property values and most labels as scalars)
const scalarAsText = z.union([text(), z.number(), z.boolean()]).transform(String);

/** Largest epoch ms a JavaScript Date (and so a stored timestamp) can hold: 8.64e15 (year 275760). */
export const MAX_DATE_MS = 8.64e15;

/**
 * One HubSpot webhook event. Only the fields we key, route or handle on are required; unknown
 * subscription types and unknown fields are accepted (the stored payload is the event as received).
 */
export const webhookEventSchema = z
  .object({
    // Not unique on its own: part of the dedupe key only. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-5
    eventId: id(0),
    subscriptionId: nullish(id(0)).catch(undefined),
    // The customer's hub id: what we route on.
    portalId: id(1),
    appId: nullish(id(0)).catch(undefined),
    // Epoch ms; what we order by. A number past what a date can hold is not a time.
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-7
    occurredAt: z.number().int().nonnegative().max(MAX_DATE_MS, 'must be a time (epoch milliseconds a date can hold)'),
    // Payloads say subscriptionType; HubSpot's docs table says eventType. Either is accepted.
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-8
    subscriptionType: nullish(text().min(1).max(200)),
    eventType: nullish(text().min(1).max(200)),
    attemptNumber: nullish(id(0)).catch(undefined),
    // The record id; for conversation.* the thread id. Association events carry none.
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-9
    objectId: nullish(id(0)),
    // Generic object.* events: 0-1 contact, 0-5 ticket, …
    objectTypeId: nullish(scalarAsText),
    propertyName: nullish(scalarAsText.pipe(z.string().max(500))),
    propertyValue: nullish(scalarAsText),
    changeSource: nullish(scalarAsText),
    sourceId: nullish(scalarAsText),
    changeFlag: nullish(scalarAsText),
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-10
    messageId: nullish(scalarAsText),
    messageType: nullish(scalarAsText),
  })
  .refine((e) => e.subscriptionType !== undefined || e.eventType !== undefined, { message: 'subscriptionType is required', path: ['subscriptionType'] })
  .transform(({ eventType, subscriptionType, ...rest }) => ({ ...rest, subscriptionType: (subscriptionType ?? eventType) as string }))
  // An event we act on names its record; only events we never handle (associations) may omit it.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-17
  .refine((e) => e.objectId !== undefined || !(HANDLED_SUBSCRIPTIONS as readonly string[]).includes(normalisedType({ subscriptionType: e.subscriptionType, payload: { objectTypeId: e.objectTypeId } })), {
    message: 'objectId is required for this subscription type',
    path: ['objectId'],
  });
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/**
 * A delivery: a JSON array of at most 100 events. HubSpot sends "up to 100 events per request"
 * (https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide); a bigger batch is not
 * HubSpot's, even correctly signed, and is refused (400) whole.
 */
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-2
export const WEBHOOK_MAX_BATCH = 100;
export const webhookBatchSchema = z.array(z.unknown()).max(WEBHOOK_MAX_BATCH);

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
