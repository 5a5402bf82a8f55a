import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** `:id` of `/api/v1/conversations/:id/messages`. */
export const conversationMessagesParamsSchema = z.object({ id: z.string().uuid('must be a conversation id') }).strict();

/** `:id` and `:messageId` (HubSpot's id of an agent reply) of the delivery route. */
export const deliveryParamsSchema = z
  .object({ id: z.string().uuid('must be a conversation id'), messageId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a HubSpot message id') })
  .strict();

/** `POST /api/v1/conversations/:id/messages` body: one turn of the conversation. */
export const publishMessageSchema = z
  .object({
    // Who wrote it: the customer (an incoming message in HubSpot) or the vendor's AI (outgoing).
    author: z.enum(['customer', 'ai']),
    text: text().trim().min(1).max(10_000),
    // HTML HubSpot shows instead of `text` where it can.
    richText: text().max(50_000).optional(),
    // Who the customer is: HubSpot finds or creates the contact from the email or phone.
    customer: z
      .object({
        email: text().trim().max(320).email().optional(),
        phone: text().trim().regex(/^\+?[0-9 ()-]{3,30}$/, 'must be a phone number').optional(),
        name: text().trim().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
    // The same key on a retry answers the stored message instead of publishing it twice.
    idempotencyKey: text().trim().min(1).max(200).optional(),
  })
  .strict();

/** `POST /api/v1/conversations/:id/messages/:messageId/delivery` body. */
export const deliveryBodySchema = z
  .object({
    status: z.enum(['sent', 'failed', 'read']),
    // Shown in HubSpot on a failed message.
    errorMessage: text().trim().min(1).max(500).optional(),
  })
  .strict();

/** `POST /api/v1/helpdesk/connect` body: the inbox or help desk to connect the channel to. */
export const connectInboxSchema = z
  .object({
    inboxId: z.string().regex(/^\d{1,20}$/, 'must be an inbox id'),
    name: text().trim().min(1).max(100).optional(),
  })
  .strict();

/** `GET /hubspot/channel/connect` query of HubSpot's connect flow. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-203 */
export const hubspotConnectQuerySchema = z.object({
  accountToken: z.string().regex(/^[A-Za-z0-9._~-]{1,500}$/, 'must be an account token'),
  portalId: z.string().regex(/^[1-9]\d{0,15}$/, 'must be a portal id').transform(Number),
});
