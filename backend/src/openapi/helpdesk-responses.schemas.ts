// What the help-desk routes answer (modules/helpdesk/helpdesk.routes.ts presents them), for the
// OpenAPI document and the test-run response check.
import { z } from 'zod';

const isoDate = z.string().datetime({ offset: true }).describe('ISO 8601 timestamp');

const account = z.strictObject({
  channelAccountId: z.string(),
  inboxId: z.string(),
  name: z.string(),
  connectedVia: z.enum(['api', 'hubspot']).describe('Our API / connection page, or HubSpot\'s own "connect channel" flow'),
  connectedAt: isoDate,
});

/** `GET /api/v1/helpdesk`. */
export const helpdeskStatusSchema = z.strictObject({
  state: z
    .enum(['not_connected', 'needs_scopes', 'channel_not_registered', 'ready_to_connect', 'connected'])
    .describe('`needs_scopes`: reconnect HubSpot granting `missingScopes`; nothing is sent until then'),
  missingScopes: z.array(z.string()),
  channelId: z.string().nullable(),
  account: account.nullable(),
  failedMessages: z.number().int().describe('Messages HubSpot refused or that could not be sent after every retry'),
});

/** `GET /api/v1/helpdesk/inboxes`. */
export const helpdeskInboxesSchema = z.strictObject({ inboxes: z.array(z.strictObject({ id: z.string(), name: z.string() })) });

/** `POST /api/v1/helpdesk/connect`. */
export const helpdeskAccountSchema = z.strictObject({ account });

const message = z.strictObject({
  id: z.string().uuid().describe("Our id; HubSpot's integrationIdempotencyId"),
  author: z.enum(['customer', 'ai']),
  text: z.string(),
  richText: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  status: z.enum(['pending', 'sent', 'failed']).describe('`pending` until HubSpot stored it; `failed` with `lastError` when it never will'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  hubspotMessageId: z.string().nullable(),
  createdAt: isoDate,
  sentAt: isoDate.nullable(),
});

/** `POST /api/v1/conversations/:id/messages`. */
export const helpdeskMessageSchema = z.strictObject({ message });

/** `GET /api/v1/conversations/:id/messages`. */
export const helpdeskMessageListSchema = z.strictObject({
  threadId: z.string().nullable().describe("The conversation's HubSpot thread, once the first message created it"),
  messages: z.array(message),
});

/** `POST /api/v1/conversations/:id/messages/:messageId/delivery`. */
export const helpdeskDeliverySchema = z.strictObject({ messageId: z.string(), status: z.enum(['sent', 'failed', 'read']) });

/** The help-desk named schemas. */
export const helpdeskResponseSchemas = {
  HelpdeskStatus: helpdeskStatusSchema,
  HelpdeskInboxes: helpdeskInboxesSchema,
  HelpdeskAccount: helpdeskAccountSchema,
  HelpdeskMessage: helpdeskMessageSchema,
  HelpdeskMessageList: helpdeskMessageListSchema,
  HelpdeskDelivery: helpdeskDeliverySchema,
} as const;
