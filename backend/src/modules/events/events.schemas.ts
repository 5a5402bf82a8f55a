import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** `GET /api/v1/events` query. */
export const listEventsQuerySchema = z
  .object({
    // Cursor: the id of the last event already read (from `nextCursor`); absent = from the start.
    after: z.string().regex(/^\d{1,18}$/, 'after must be a cursor returned by this API').optional(),
    // Page size.
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

/** `PUT /api/v1/event-destination` body. */
export const putEventDestinationSchema = z
  .object({
    // Where events are POSTed; https (plain http only while the backend itself runs on http locally).
    url: text().max(2048).url(),
  })
  .strict();
export type PutEventDestination = z.infer<typeof putEventDestinationSchema>;

/** `GET /api/v1/event-destination/deliveries` query. */
export const listDeliveriesQuerySchema = z
  .object({
    // Only the attempts for this event id.
    eventId: z.string().regex(/^\d{1,18}$/).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;
