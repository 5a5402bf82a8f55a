// The vendor API's operations: each /api/v1 route with the zod schemas it validates its input with
// (imported from the modules, so the document cannot drift from the validation) and the schemas of
// its answers (api-responses.schemas.ts). openapi-document.ts turns this table into OpenAPI 3.1.
import type { z } from 'zod';
import { disconnectQuerySchema, privateAppTokenBodySchema } from '../modules/connections/connections.schemas.js';
import {
  conversationParamsSchema,
  handoffBodySchema,
  listConversationsQuerySchema,
  transitionBodySchema,
  upsertConversationSchema,
} from '../modules/conversations/conversations.schemas.js';
import { listDeliveriesQuerySchema, listEventsQuerySchema, putEventDestinationSchema } from '../modules/events/events.schemas.js';
import { connectInboxSchema, conversationMessagesParamsSchema, deliveryBodySchema, deliveryParamsSchema, publishMessageSchema } from '../modules/helpdesk/helpdesk.schemas.js';
import { createInstallLinkBodySchema } from '../modules/installs/installs.schemas.js';
import { createOrganizationBodySchema } from '../modules/organizations/organizations.schemas.js';
import { patchSettingsSchema } from '../modules/settings/settings.schemas.js';
import { listWebhookEventsQuerySchema } from '../modules/webhooks/webhooks.schemas.js';
import { aiResultBodySchema, conversationParamsSchema as aiResultParamsSchema, putHandoffTeamsBodySchema } from '../modules/workflow-actions/workflow-actions.schemas.js';
import type { namedResponseSchemas } from './api-responses.schemas.js';

/** Name of a schema under components/schemas. */
export type SchemaName = keyof typeof namedResponseSchemas;

/** One documented answer: a named schema, `any` (HubSpot's own JSON), or no body. */
export interface ResponseSpec {
  description: string;
  schema?: SchemaName | 'any';
}

/** One vendor API operation. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path (`:id` style); the document shows it as `{id}`. */
  path: string;
  operationId: string;
  tag: 'Reference' | 'Organizations' | 'Connection' | 'Conversations' | 'Workflow actions' | 'Events' | 'Settings' | 'Troubleshooting' | 'HubSpot proxy' | 'Help desk';
  summary: string;
  description?: string;
  /** `admin` = ADMIN_API_KEY; `organization` = the organization's API key; `none` = public. */
  auth: 'admin' | 'organization' | 'none';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out entirely. */
  bodyOptional?: boolean;
  responses: Record<number, ResponseSpec>;
}

const PROXY_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every /api/v1 operation, in the order the reference shows them. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/api/v1/openapi.json', operationId: 'getOpenApiDocument', tag: 'Reference', auth: 'none', summary: 'This document (OpenAPI 3.1)', description: 'A human-readable rendering is served at `/docs/api`.', responses: { 200: { description: 'The document', schema: 'any' } } },
  { method: 'post', path: '/api/v1/organizations', operationId: 'createOrganization', tag: 'Organizations', auth: 'admin', summary: 'Create an organization (one per customer)', description: 'Answers the organization API key once. Use it as `Authorization: Bearer <key>` on every other route.', body: createOrganizationBodySchema, responses: { 201: { description: 'Created', schema: 'OrganizationCreated' } } },
  { method: 'get', path: '/api/v1/organization', operationId: 'getOrganization', tag: 'Organizations', auth: 'organization', summary: 'The calling organization', responses: { 200: { description: 'The organization', schema: 'Organization' } } },
  { method: 'post', path: '/api/v1/install-links', operationId: 'createInstallLink', tag: 'Connection', auth: 'organization', summary: "Create a connection link for the customer's HubSpot admin", description: 'The link opens the hosted connection page, which starts the OAuth install.', body: createInstallLinkBodySchema, bodyOptional: true, responses: { 201: { description: 'Created', schema: 'InstallLink' } } },
  { method: 'get', path: '/api/v1/connection', operationId: 'getConnection', tag: 'Connection', auth: 'organization', summary: 'Connection status', responses: { 200: { description: 'The connection', schema: 'ConnectionStatus' } } },
  { method: 'delete', path: '/api/v1/connection', operationId: 'disconnect', tag: 'Connection', auth: 'organization', summary: 'Disconnect HubSpot (optionally uninstall the app)', query: disconnectQuerySchema, responses: { 200: { description: 'Disconnected', schema: 'DisconnectResult' } } },
  { method: 'get', path: '/api/v1/connection/history', operationId: 'getConnectionHistory', tag: 'Connection', auth: 'organization', summary: 'Connection history', responses: { 200: { description: 'Newest first', schema: 'ConnectionHistory' } } },
  { method: 'put', path: '/api/v1/connection/private-app-token', operationId: 'setPrivateAppToken', tag: 'Connection', auth: 'organization', summary: 'Connect with a legacy Private App token (migration path)', body: privateAppTokenBodySchema, responses: { 200: { description: 'The connection', schema: 'ConnectionStatus' } } },
  { method: 'post', path: '/api/v1/conversations', operationId: 'upsertConversation', tag: 'Conversations', auth: 'organization', summary: 'Create or update a conversation by externalId', description: 'Links a chat session to HubSpot records. `null` clears a link; an absent field keeps it.', body: upsertConversationSchema, responses: { 200: { description: 'Updated', schema: 'Conversation' }, 201: { description: 'Created', schema: 'Conversation' } } },
  { method: 'get', path: '/api/v1/conversations', operationId: 'listConversations', tag: 'Conversations', auth: 'organization', summary: 'Find conversations by linked HubSpot record', query: listConversationsQuerySchema, responses: { 200: { description: 'Matching conversations', schema: 'ConversationList' } } },
  { method: 'get', path: '/api/v1/conversations/:id', operationId: 'getConversation', tag: 'Conversations', auth: 'organization', summary: 'One conversation', params: conversationParamsSchema, responses: { 200: { description: 'The conversation', schema: 'Conversation' } } },
  { method: 'get', path: '/api/v1/conversations/:id/transitions', operationId: 'listTransitions', tag: 'Conversations', auth: 'organization', summary: 'Audit trail of AI state changes, with HubSpot note status', params: conversationParamsSchema, responses: { 200: { description: 'Oldest first', schema: 'TransitionList' } } },
  { method: 'post', path: '/api/v1/conversations/:id/pause', operationId: 'pauseAi', tag: 'Conversations', auth: 'organization', summary: 'Pause the AI (idempotent)', params: conversationParamsSchema, body: transitionBodySchema, bodyOptional: true, responses: { 200: { description: 'The conversation', schema: 'TransitionResult' } } },
  { method: 'post', path: '/api/v1/conversations/:id/resume', operationId: 'resumeAi', tag: 'Conversations', auth: 'organization', summary: 'Resume the AI (idempotent)', params: conversationParamsSchema, body: transitionBodySchema, bodyOptional: true, responses: { 200: { description: 'The conversation', schema: 'TransitionResult' } } },
  { method: 'post', path: '/api/v1/conversations/:id/handoff', operationId: 'requestHandoff', tag: 'Conversations', auth: 'organization', summary: 'Ask for a human (idempotent)', params: conversationParamsSchema, body: handoffBodySchema, bodyOptional: true, responses: { 200: { description: 'The conversation', schema: 'TransitionResult' } } },
  { method: 'post', path: '/api/v1/conversations/:id/ai-result', operationId: 'reportAiResult', tag: 'Workflow actions', auth: 'organization', summary: 'Report the result of a Send to AI', description: 'Completes the HubSpot workflow executions waiting on this conversation (see the `record.sent_to_ai` event).', params: aiResultParamsSchema, body: aiResultBodySchema, responses: { 202: { description: 'Accepted; HubSpot is told right after', schema: 'AiResultReport' } } },
  { method: 'get', path: '/api/v1/handoff-teams', operationId: 'getHandoffTeams', tag: 'Workflow actions', auth: 'organization', summary: "Teams the Request handoff action's dropdown offers", responses: { 200: { description: 'The teams', schema: 'HandoffTeams' } } },
  { method: 'put', path: '/api/v1/handoff-teams', operationId: 'putHandoffTeams', tag: 'Workflow actions', auth: 'organization', summary: 'Replace the handoff teams', body: putHandoffTeamsBodySchema, responses: { 200: { description: 'The teams', schema: 'HandoffTeams' } } },
  { method: 'get', path: '/api/v1/events', operationId: 'listEvents', tag: 'Events', auth: 'organization', summary: 'The event feed, oldest first', description: 'Page with `after=<nextCursor>`. Each event type and its payload is listed under webhooks. The feed keeps 30 days of events (`EVENTS_RETENTION_DAYS`); after a cursor older than every event kept, it resumes at the oldest event kept.', query: listEventsQuerySchema, responses: { 200: { description: 'One page', schema: 'EventFeed' } } },
  { method: 'put', path: '/api/v1/event-destination', operationId: 'setEventDestination', tag: 'Events', auth: 'organization', summary: 'Set the URL events are pushed to', description: 'Answers a fresh signing secret, shown only here. See the webhooks section for the signature scheme.', body: putEventDestinationSchema, responses: { 200: { description: 'The destination and its secret', schema: 'EventDestinationCreated' } } },
  { method: 'get', path: '/api/v1/event-destination', operationId: 'getEventDestination', tag: 'Events', auth: 'organization', summary: 'The push destination', responses: { 200: { description: 'The destination, or null', schema: 'EventDestinationView' } } },
  { method: 'delete', path: '/api/v1/event-destination', operationId: 'deleteEventDestination', tag: 'Events', auth: 'organization', summary: 'Stop pushing events', responses: { 204: { description: 'Deleted' } } },
  { method: 'get', path: '/api/v1/event-destination/deliveries', operationId: 'listEventDeliveries', tag: 'Events', auth: 'organization', summary: 'Push attempts, newest first', query: listDeliveriesQuerySchema, responses: { 200: { description: 'The attempts', schema: 'EventDeliveries' } } },
  { method: 'get', path: '/api/v1/settings', operationId: 'getSettings', tag: 'Settings', auth: 'organization', summary: 'Organization settings', responses: { 200: { description: 'The settings', schema: 'Settings' } } },
  { method: 'patch', path: '/api/v1/settings', operationId: 'updateSettings', tag: 'Settings', auth: 'organization', summary: 'Change settings', body: patchSettingsSchema, responses: { 200: { description: 'The settings', schema: 'Settings' } } },
  { method: 'get', path: '/api/v1/webhook-events', operationId: 'listWebhookEvents', tag: 'Troubleshooting', auth: 'organization', summary: 'HubSpot webhook deliveries received for this organization', query: listWebhookEventsQuerySchema, responses: { 200: { description: 'The inbox', schema: 'WebhookEventList' } } },
  { method: 'get', path: '/api/v1/helpdesk', operationId: 'getHelpdesk', tag: 'Help desk', auth: 'organization', summary: 'Help-desk state: missing scopes, connected inbox, failed messages', responses: { 200: { description: 'The state', schema: 'HelpdeskStatus' } } },
  { method: 'get', path: '/api/v1/helpdesk/inboxes', operationId: 'listHelpdeskInboxes', tag: 'Help desk', auth: 'organization', summary: "The portal's inboxes and help desks", responses: { 200: { description: 'The inboxes', schema: 'HelpdeskInboxes' } } },
  { method: 'post', path: '/api/v1/helpdesk/connect', operationId: 'connectHelpdeskInbox', tag: 'Help desk', auth: 'organization', summary: 'Connect the channel to an inbox or help desk', description: 'Needs the `conversations.custom_channels.read/.write` scopes (403 `missing_scope` lists the missing ones).', body: connectInboxSchema, responses: { 200: { description: 'The channel account', schema: 'HelpdeskAccount' } } },
  { method: 'post', path: '/api/v1/conversations/:id/messages', operationId: 'publishMessage', tag: 'Help desk', auth: 'organization', summary: "Publish a turn into the conversation's HubSpot thread", description: 'Stored and answered at once (202), then delivered in order, exactly once, with retries. The first message creates the thread. The same `idempotencyKey` answers the stored message (200).', params: conversationMessagesParamsSchema, body: publishMessageSchema, responses: { 200: { description: 'Already published with this idempotency key', schema: 'HelpdeskMessage' }, 202: { description: 'Queued', schema: 'HelpdeskMessage' } } },
  { method: 'get', path: '/api/v1/conversations/:id/messages', operationId: 'listMessages', tag: 'Help desk', auth: 'organization', summary: 'Published turns with their delivery state, and the HubSpot thread id', params: conversationMessagesParamsSchema, responses: { 200: { description: 'Oldest first', schema: 'HelpdeskMessageList' } } },
  { method: 'post', path: '/api/v1/conversations/:id/messages/:messageId/delivery', operationId: 'reportDelivery', tag: 'Help desk', auth: 'organization', summary: 'Report delivery of an agent reply (see `message.agent_reply`)', params: deliveryParamsSchema, body: deliveryBodySchema, responses: { 200: { description: 'Reported to HubSpot', schema: 'HelpdeskDelivery' } } },
  ...PROXY_METHODS.map(
    (method): ApiOperation => ({
      method,
      path: '/api/v1/hubspot/:hubspotPath',
      operationId: `hubspotProxy${method[0]!.toUpperCase()}${method.slice(1)}`,
      tag: 'HubSpot proxy',
      auth: 'organization',
      summary: `${method.toUpperCase()} any HubSpot API path with the organization's token`,
      description:
        "`/api/v1/hubspot/crm/v3/objects/contacts?limit=1` calls HubSpot's `/crm/v3/objects/contacts?limit=1`. `hubspotPath` is the rest of the path and may contain slashes. The answer is HubSpot's, status included; your Authorization header is never forwarded.",
      ...(method === 'get' || method === 'delete' ? {} : { bodyOptional: true }),
      responses: { 200: { description: "HubSpot's answer (any status HubSpot gave)", schema: 'any' } },
    }),
  ),
];

/** OpenAPI path of an Express path (`/x/:id` → `/x/{id}`). */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}
