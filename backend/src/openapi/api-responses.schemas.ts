// What the vendor API answers, as zod schemas. The routes present their answers with the `present*`
// functions of each module; these schemas describe those shapes for the OpenAPI document, and in test
// runs every /api/v1 answer is checked against them (openapi/response-check.ts), so a drift fails a test.
import { z } from 'zod';
import { helpdeskResponseSchemas } from './helpdesk-responses.schemas.js';

const isoDate = z.string().datetime({ offset: true }).describe('ISO 8601 timestamp');
const hubspotId = z.string().regex(/^\d+$/).describe('A HubSpot record id, as a string');
const aiState = z.enum(['active', 'paused', 'handoff_requested']).describe('Whether the AI may answer: active, paused, or waiting for a human (handoff_requested)');
const transitionSource = z.enum(['owner_change', 'assignment', 'workflow', 'card', 'api', 'hubspot-thread-assignee']).describe('What caused the change');
const connectionAuth = z.enum(['oauth', 'private_app']);

/** The error body every failure answers. */
export const errorBodySchema = z
  .object({
    error: z.strictObject({
      code: z.string().describe('Stable machine-readable code (`invalid_body`, `unauthorized`, `not_found`, `invalid_transition`, …)'),
      message: z.string().describe('What went wrong, safe to show'),
      details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional().describe('One entry per invalid field'),
    }),
  })
  .describe('Every error answer');

/** `POST /api/v1/organizations` answer (the API key is shown only here). */
export const organizationCreatedSchema = z.strictObject({
  id: z.string().uuid(),
  name: z.string(),
  oauthOnly: z.boolean(),
  apiKey: z.string().describe('The organization API key; shown once, store it'),
});

/** `GET /api/v1/organization` answer. */
export const organizationSchema = z.strictObject({ id: z.string().uuid(), name: z.string(), oauthOnly: z.boolean(), createdAt: isoDate });

/** `POST /api/v1/install-links` answer. */
export const installLinkSchema = z.strictObject({
  url: z.string().url().describe('Connection page to send to the HubSpot admin'),
  expiresAt: isoDate,
});

/** The organization's HubSpot connection. */
export const connectionStatusSchema = z.strictObject({
  status: z.enum(['not_connected', 'connected', 'needs_reauth', 'disconnected']),
  auth: connectionAuth.nullable(),
  portalId: z.number().int().nullable().describe('HubSpot portal (account) id'),
  portalDomain: z.string().nullable(),
  scopes: z.array(z.string()),
  features: z.strictObject({ companyContext: z.boolean(), dealContext: z.boolean(), conversationHandoff: z.boolean() }).describe('Optional features the granted scopes allow'),
  actionRecommended: z.boolean(),
  recommendedAction: z.enum(['connect', 'migrate_to_oauth', 'reconnect']).nullable(),
  connectedBy: z.string().nullable(),
  connectedAt: isoDate.nullable(),
  lastRefreshAt: isoDate.nullable(),
  lastError: z.strictObject({ message: z.string(), at: isoDate }).nullable(),
});

/** `GET /api/v1/connection/history` answer. */
export const connectionHistorySchema = z.strictObject({
  history: z.array(z.strictObject({ event: z.string(), auth: connectionAuth.nullable(), portalId: z.number().int().nullable(), detail: z.string().nullable(), at: isoDate })),
});

/** `DELETE /api/v1/connection` answer. */
export const disconnectResultSchema = z.strictObject({
  connection: connectionStatusSchema,
  tokenRevoked: z.boolean().describe('The OAuth refresh token was revoked'),
  appUninstalled: z.boolean().describe('The app was removed from the portal'),
});

/** One conversation. */
export const conversationSchema = z.strictObject({
  id: z.string().uuid(),
  externalId: z.string().describe("The vendor's id for the chat session"),
  ticketId: hubspotId.nullable(),
  contactId: hubspotId.nullable(),
  threadId: hubspotId.nullable(),
  aiState,
  updatedAt: isoDate,
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  threadStatus: z.string().nullable().describe('Last status HubSpot reported for the thread (OPEN / CLOSED)'),
  createdAt: isoDate,
});

/** `GET /api/v1/conversations` answer. */
export const conversationListSchema = z.strictObject({ conversations: z.array(conversationSchema) });

/** Answer of pause / resume / handoff: the conversation and whether this call changed it. */
export const transitionResultSchema = conversationSchema.extend({ changed: z.boolean().describe('false when the AI was already in that state') });

/** `GET /api/v1/conversations/{id}/transitions` answer. */
export const transitionListSchema = z.strictObject({
  transitions: z.array(
    z.strictObject({
      id: z.string(),
      from: aiState,
      to: aiState,
      source: transitionSource,
      actor: z.string().nullable(),
      reason: z.string().nullable(),
      occurredAt: isoDate,
      recordedAt: isoDate,
      note: z
        .object({
          status: z.enum(['pending', 'done', 'failed', 'waiting_connection']).describe('`waiting_connection`: HubSpot refused the write because the connection needs a reconnect; it is sent once after the reconnect'),
          attempts: z.number().int(), lastError: z.string().nullable(), hubspotNoteId: z.string().nullable() })
        .nullable()
        .describe('The HubSpot note written for this change, if any'),
    }),
  ),
});

/** `POST /api/v1/conversations/{id}/ai-result` answer. */
export const aiResultReportSchema = z.strictObject({
  conversationId: z.string(),
  callbacks: z.array(z.strictObject({ callbackId: z.string(), executionState: z.enum(['SUCCESS', 'FAIL_CONTINUE']) })).describe('Waiting Send to AI executions this result completes'),
});

/** `GET|PUT /api/v1/handoff-teams` answer. */
export const handoffTeamsSchema = z.strictObject({ teams: z.array(z.strictObject({ id: z.string(), name: z.string() })) });

/** `GET|PATCH /api/v1/settings` answer. */
export const settingsSchema = z.strictObject({ pauseOnOwnerChange: z.boolean(), updatedAt: isoDate.nullable() });

/** One vendor event, as the feed lists it and a push sends it. */
export const vendorEventSchema = z.strictObject({
  id: z.string().regex(/^\d+$/).describe('Event id; increasing, also the feed cursor'),
  organizationId: z.string().uuid(),
  type: z.string().describe('Event type; see the webhooks section'),
  createdAt: isoDate,
  data: z.record(z.string(), z.unknown()).describe('Payload; its shape depends on `type`'),
});

/** `GET /api/v1/events` answer. */
export const eventFeedSchema = z.strictObject({
  events: z.array(vendorEventSchema),
  nextCursor: z.string().describe('Pass as `after` for the next page (unchanged when nothing was new)'),
});

/** The push destination (never its secret). */
export const eventDestinationSchema = z.strictObject({ url: z.string().url(), createdAt: isoDate, updatedAt: isoDate });

/** `PUT /api/v1/event-destination` answer: the destination and its signing secret, shown only here. */
export const eventDestinationCreatedSchema = eventDestinationSchema.extend({
  secret: z.string().describe('HMAC key of the push signature; shown only in this answer'),
});

/** `GET /api/v1/event-destination` answer. */
export const eventDestinationViewSchema = z.strictObject({ destination: eventDestinationSchema.nullable() });

/** `GET /api/v1/event-destination/deliveries` answer. */
export const eventDeliveriesSchema = z.strictObject({
  deliveries: z.array(
    z.strictObject({
      id: z.string(),
      eventId: z.string(),
      url: z.string(),
      attempt: z.number().int(),
      status: z.enum(['delivered', 'failed']),
      responseStatus: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
      createdAt: isoDate,
    }),
  ),
});

/** `GET /api/v1/webhook-events` answer: HubSpot webhook deliveries, for troubleshooting. */
export const webhookEventListSchema = z.strictObject({
  events: z.array(
    z.strictObject({
      id: z.string(),
      // An event refused at intake keeps null wherever a field could not be read.
      portalId: z.string().nullable(),
      subscriptionType: z.string().nullable(),
      objectId: z.string().nullable(),
      eventId: z.string().nullable(),
      occurredAt: isoDate.nullable(),
      propertyName: z.string().nullable(),
      status: z.enum(['pending', 'processed', 'ignored', 'unroutable', 'dead']),
      outcome: z.string().nullable(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      receivedAt: isoDate,
      processedAt: isoDate.nullable(),
      rawEvent: z.string().nullable().describe('For an event refused at intake: its text exactly as HubSpot sent it; otherwise null'),
    }),
  ),
});

/** The document's named schemas (components/schemas), by name. */
export const namedResponseSchemas = {
  Error: errorBodySchema,
  OrganizationCreated: organizationCreatedSchema,
  Organization: organizationSchema,
  InstallLink: installLinkSchema,
  ConnectionStatus: connectionStatusSchema,
  ConnectionHistory: connectionHistorySchema,
  DisconnectResult: disconnectResultSchema,
  Conversation: conversationSchema,
  ConversationList: conversationListSchema,
  TransitionResult: transitionResultSchema,
  TransitionList: transitionListSchema,
  AiResultReport: aiResultReportSchema,
  HandoffTeams: handoffTeamsSchema,
  Settings: settingsSchema,
  VendorEvent: vendorEventSchema,
  EventFeed: eventFeedSchema,
  EventDestination: eventDestinationSchema,
  EventDestinationCreated: eventDestinationCreatedSchema,
  EventDestinationView: eventDestinationViewSchema,
  EventDeliveries: eventDeliveriesSchema,
  WebhookEventList: webhookEventListSchema,
  ...helpdeskResponseSchemas,
} as const;
