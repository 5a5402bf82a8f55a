import { z } from 'zod';
import { text } from '../../platform/http/text.js';

// HubSpot record ids: numbers in webhooks, strings in the CRM API; we accept both and answer strings.
const hubspotIdSchema = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a HubSpot record id')
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), 'must be a HubSpot record id'),
]);
const hubspotIdQuerySchema = z.string().regex(/^[1-9]\d{0,15}$/, 'must be a HubSpot record id').transform(Number);

/** `POST /api/v1/conversations` body. `null` clears a link; an absent field keeps it. */
export const upsertConversationSchema = z
  .object({
    // The vendor's id for the chat session (upsert key).
    externalId: text().trim().min(1).max(200),
    // Linked HubSpot ticket.
    ticketId: hubspotIdSchema.nullable().optional(),
    // Linked HubSpot contact.
    contactId: hubspotIdSchema.nullable().optional(),
    // Linked HubSpot conversations thread.
    threadId: hubspotIdSchema.nullable().optional(),
    // The customer's name, if the vendor wants it on notes; erased on privacy deletion.
    contactName: text().trim().min(1).max(200).nullable().optional(),
    // The customer's email; erased on privacy deletion.
    contactEmail: text().trim().max(320).email().nullable().optional(),
  })
  .strict();
export type UpsertConversation = z.infer<typeof upsertConversationSchema>;

/** `GET /api/v1/conversations` query: every given link must match. */
export const listConversationsQuerySchema = z
  .object({
    ticketId: hubspotIdQuerySchema.optional(),
    contactId: hubspotIdQuerySchema.optional(),
    threadId: hubspotIdQuerySchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

/** `:id` of the conversation routes. */
export const conversationParamsSchema = z.object({ id: z.string().uuid('must be a conversation id') }).strict();

/** `POST /api/v1/conversations/:id/pause|resume` body (optional). */
export const transitionBodySchema = z
  .object({
    // Who asks (a vendor user or system name), for the audit trail and HubSpot notes.
    actor: text().trim().min(1).max(200).optional(),
    // Why, for the audit trail and HubSpot notes.
    reason: text().trim().min(1).max(1000).optional(),
  })
  .strict();
export type TransitionBody = z.infer<typeof transitionBodySchema>;

/** `POST /api/v1/conversations/:id/handoff` body (optional). */
export const handoffBodySchema = transitionBodySchema
  .extend({
    // The team humans are asked from.
    team: z.object({ id: text().trim().min(1).max(100), name: text().trim().min(1).max(200) }).strict().optional(),
  })
  .strict();
export type HandoffBody = z.infer<typeof handoffBodySchema>;
