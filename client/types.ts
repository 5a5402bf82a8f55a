// The client's types, inferred from the zod schemas the OpenAPI document is generated from (type-only
// imports: the client loads no backend code at run time).
import type { z } from 'zod';
import type { privateAppTokenBodySchema } from '../backend/src/modules/connections/connections.schemas.js';
import type { handoffBodySchema, transitionBodySchema, upsertConversationSchema } from '../backend/src/modules/conversations/conversations.schemas.js';
import type { createInstallLinkBodySchema } from '../backend/src/modules/installs/installs.schemas.js';
import type { createOrganizationBodySchema } from '../backend/src/modules/organizations/organizations.schemas.js';
import type { patchSettingsSchema } from '../backend/src/modules/settings/settings.schemas.js';
import type { aiResultBodySchema, putHandoffTeamsBodySchema } from '../backend/src/modules/workflow-actions/workflow-actions.schemas.js';
import type { connectInboxSchema, deliveryBodySchema, publishMessageSchema } from '../backend/src/modules/helpdesk/helpdesk.schemas.js';
import type * as R from '../backend/src/openapi/api-responses.schemas.js';
import type * as H from '../backend/src/openapi/helpdesk-responses.schemas.js';

import type { TypedVendorEvent } from '../backend/src/openapi/event-catalogue.js';

export type { TypedVendorEvent as VendorEvent, VendorEventType } from '../backend/src/openapi/event-catalogue.js';

export type CreateOrganizationBody = z.input<typeof createOrganizationBodySchema>;
export type CreateInstallLinkBody = z.input<typeof createInstallLinkBodySchema>;
export type PrivateAppTokenBody = z.input<typeof privateAppTokenBodySchema>;
export type UpsertConversationBody = z.input<typeof upsertConversationSchema>;
// Query parameters travel as text; the client takes numbers too.
export type ListConversationsQuery = { ticketId?: string | number; contactId?: string | number; threadId?: string | number; limit?: number };
export type TransitionBody = z.input<typeof transitionBodySchema>;
export type HandoffBody = z.input<typeof handoffBodySchema>;
export type AiResultBody = z.input<typeof aiResultBodySchema>;
export type PutHandoffTeamsBody = z.input<typeof putHandoffTeamsBodySchema>;
export type ListEventsQuery = { after?: string; limit?: number };
export type ListDeliveriesQuery = { eventId?: string; limit?: number };
export type ListWebhookEventsQuery = { status?: 'pending' | 'processed' | 'ignored' | 'dead'; after?: string; limit?: number };
export type PatchSettingsBody = z.input<typeof patchSettingsSchema>;

export type ErrorBody = z.output<typeof R.errorBodySchema>;
export type OrganizationCreated = z.output<typeof R.organizationCreatedSchema>;
export type Organization = z.output<typeof R.organizationSchema>;
export type InstallLink = z.output<typeof R.installLinkSchema>;
export type ConnectionStatus = z.output<typeof R.connectionStatusSchema>;
export type ConnectionHistory = z.output<typeof R.connectionHistorySchema>;
export type DisconnectResult = z.output<typeof R.disconnectResultSchema>;
export type Conversation = z.output<typeof R.conversationSchema>;
export type ConversationList = z.output<typeof R.conversationListSchema>;
export type TransitionResult = z.output<typeof R.transitionResultSchema>;
export type TransitionList = z.output<typeof R.transitionListSchema>;
export type AiResultReport = z.output<typeof R.aiResultReportSchema>;
export type HandoffTeams = z.output<typeof R.handoffTeamsSchema>;
export type Settings = z.output<typeof R.settingsSchema>;
export type EventFeed = { events: TypedVendorEvent[]; nextCursor: string };
export type EventDestinationCreated = z.output<typeof R.eventDestinationCreatedSchema>;
export type EventDestinationView = z.output<typeof R.eventDestinationViewSchema>;
export type EventDeliveries = z.output<typeof R.eventDeliveriesSchema>;
export type WebhookEventList = z.output<typeof R.webhookEventListSchema>;
export type ConnectInboxBody = z.input<typeof connectInboxSchema>;
export type PublishMessageBody = z.input<typeof publishMessageSchema>;
export type DeliveryBody = z.input<typeof deliveryBodySchema>;
export type HelpdeskStatus = z.output<typeof H.helpdeskStatusSchema>;
export type HelpdeskInboxes = z.output<typeof H.helpdeskInboxesSchema>;
export type HelpdeskAccount = z.output<typeof H.helpdeskAccountSchema>;
export type HelpdeskMessage = z.output<typeof H.helpdeskMessageSchema>;
export type HelpdeskMessageList = z.output<typeof H.helpdeskMessageListSchema>;
export type HelpdeskDelivery = z.output<typeof H.helpdeskDeliverySchema>;
