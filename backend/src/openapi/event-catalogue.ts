// The vendor events: every type the backend records, with its `data` payload, for the OpenAPI
// document's `webhooks` section and the typed client. Producers: conversations/transition.ts (ai.*),
// conversations/record-thread-status.ts (conversation.closed), conversations/erase-contact.ts
// (contact.erased), workflow-actions/execute-action.ts (record.sent_to_ai) and the connections module
// (connection.*). A privacy erasure later blanks personal fields of stored events
// (events.service.ts `scrubContact`), which is why those fields are nullable here.
import { z } from 'zod';
import { EVENT_PUSH_HEADERS } from '../modules/events/events.service.js';

const hubspotId = z.string().regex(/^\d+$/);
const aiState = z.enum(['active', 'paused', 'handoff_requested']);

const aiChangeData = z.strictObject({
  conversationId: z.string().uuid(),
  externalId: z.string(),
  ticketId: hubspotId.nullable(),
  contactId: hubspotId.nullable(),
  threadId: hubspotId.nullable(),
  aiState,
  previousAiState: aiState,
  source: z.enum(['owner_change', 'assignment', 'workflow', 'card', 'api', 'hubspot-thread-assignee']),
  actor: z.string().nullable().describe('Who asked: `api` callers name themselves, `workflow:<id>`, `user:<id>`, …'),
  reason: z.string().nullable(),
  occurredAt: z.string().describe('When the change happened (for owner changes: when HubSpot says it happened)'),
  transitionId: z.string().describe('Id of the audit-trail entry (GET /api/v1/conversations/{id}/transitions)'),
  team: z.strictObject({ id: z.string(), name: z.string() }).optional().describe('Handoff only: the team humans are asked from'),
});

const connectionData = z.strictObject({ portalId: hubspotId, auth: z.enum(['oauth', 'private_app']) });

/** Every vendor event type with a one-line meaning and its `data` schema. */
export const VENDOR_EVENTS = {
  'ai.paused': { summary: 'The AI must stop answering this conversation (a human took over, or someone paused it).', data: aiChangeData },
  'ai.resumed': { summary: 'The AI may answer this conversation again.', data: aiChangeData },
  'ai.handoff_requested': { summary: 'The AI asks for a human; it stays silent until resumed.', data: aiChangeData },
  'record.sent_to_ai': {
    summary: 'A HubSpot workflow handed a record to the AI (Send to AI). Report the result with POST /api/v1/conversations/{conversationId}/ai-result before `respondBy`.',
    data: z.strictObject({
      conversationId: z.string().uuid(),
      aiState,
      callbackId: z.string().describe("HubSpot's execution id the workflow waits on"),
      workflowId: hubspotId.nullable(),
      instructions: z.string().nullable(),
      priority: z.enum(['low', 'normal', 'high']),
      ticketId: hubspotId.optional().describe('Set when the enrolled record is a ticket'),
      contactId: hubspotId.nullable().optional().describe('Set when the enrolled record is a contact'),
      record: z
        .object({ objectType: z.string(), objectId: hubspotId, properties: z.record(z.string(), z.string()) })
        .nullable()
        .describe('The enrolled record and the properties the workflow action requested'),
      respondBy: z.string().describe('ISO 8601 time after which HubSpot stops waiting'),
    }),
  },
  'conversation.closed': {
    summary: 'HubSpot closed the conversation thread linked to this conversation.',
    data: z.strictObject({
      conversationId: z.string().uuid(),
      externalId: z.string(),
      ticketId: hubspotId.nullable(),
      contactId: hubspotId.nullable(),
      threadId: hubspotId.nullable(),
      closedAt: z.string(),
    }),
  },
  'contact.erased': {
    summary: "A HubSpot privacy deletion erased a contact: erase your own copy of that person's data.",
    data: z.strictObject({
      portalId: hubspotId,
      hubspotContactId: hubspotId,
      conversations: z.array(z.strictObject({ conversationId: z.string().uuid(), externalId: z.string() })).describe('Conversations that were linked to the contact'),
    }),
  },
  'connection.connected': {
    summary: 'The organization is connected to a HubSpot portal (first connection, reconnection, or switch).',
    data: connectionData.extend({
      previousPortalId: hubspotId.optional().describe('Set when the connection moved to another portal'),
      previousAuth: z.enum(['oauth', 'private_app']).optional().describe('Set when the connection changed kind (Private App ⇄ OAuth)'),
    }),
  },
  'connection.needs_reauth': {
    summary: 'HubSpot refused the stored authorization; the HubSpot admin must reconnect (send a new install link).',
    data: connectionData.extend({ reason: z.string() }),
  },
  'connection.disconnected': { summary: 'The connection was removed; tokens are forgotten.', data: connectionData },
  'message.agent_reply': {
    summary: 'A HubSpot agent answered in the help-desk thread: deliver it to the customer, then report delivery (POST /api/v1/conversations/{conversationId}/messages/{messageId}/delivery).',
    data: z.strictObject({
      conversationId: z.string().uuid(),
      threadId: hubspotId,
      messageId: z.string().describe("HubSpot's message id (for the delivery report)"),
      text: z.string(),
      richText: z.string().nullable(),
      agent: z.strictObject({ userId: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable() }).describe('The HubSpot user who wrote it'),
    }),
  },
} as const;

/** A vendor event type. */
export type VendorEventType = keyof typeof VENDOR_EVENTS;

/** Every vendor event type, in catalogue order. */
export const VENDOR_EVENT_TYPES = Object.keys(VENDOR_EVENTS) as VendorEventType[];

/** The zod schema of one whole event (envelope + typed data) for a type. */
export function vendorEventEnvelope<T extends VendorEventType>(type: T) {
  return z.strictObject({
    id: z.string().regex(/^\d+$/).describe('Event id; a retried push carries the same id'),
    organizationId: z.string().uuid(),
    type: z.literal(type),
    createdAt: z.string(),
    data: VENDOR_EVENTS[type].data as (typeof VENDOR_EVENTS)[T]['data'],
  });
}

/** One vendor event of any type, as the feed lists it and a push sends it (typed by `type`). */
export type TypedVendorEvent = { [T in VendorEventType]: z.output<ReturnType<typeof vendorEventEnvelope<T>>> }[VendorEventType];

/** How pushes are signed, for the document (markdown). */
export const PUSH_SIGNATURE_DESCRIPTION = [
  'When an event destination is set (`PUT /api/v1/event-destination`), every event is POSTed to it as JSON, one event per request.',
  '',
  'Headers:',
  `- \`${EVENT_PUSH_HEADERS.signature}\`: \`v1=\` followed by the lowercase hex HMAC-SHA256, keyed with the destination's secret, of \`<${EVENT_PUSH_HEADERS.timestamp}>.<raw body>\` (the timestamp, a dot, then the body bytes exactly as received).`,
  `- \`${EVENT_PUSH_HEADERS.timestamp}\`: when this attempt was signed, in milliseconds since the Unix epoch.`,
  `- \`${EVENT_PUSH_HEADERS.eventId}\`, \`${EVENT_PUSH_HEADERS.eventType}\`, \`${EVENT_PUSH_HEADERS.attempt}\`: the event id and type, and the attempt number (1, 2, …).`,
  '',
  'Verify before trusting a push: recompute the HMAC over the raw body, compare in constant time, and refuse timestamps older than 5 minutes. The typed client does this: `verifyPushSignature()`.',
  'Answer any 2xx within 10 seconds. Anything else (or a timeout) is retried up to 10 times with exponential backoff (about half an hour in all), each time with a new timestamp and signature and the same event id, so deduplicate on the event id.',
  'Redirects are not followed. Events also stay readable in order from `GET /api/v1/events`.',
].join('\n');
