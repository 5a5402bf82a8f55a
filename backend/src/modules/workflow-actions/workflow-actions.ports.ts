// What the workflow-actions module needs from other modules, as slices of the types their owners
// export; the composition root passes the real services.
import type { HubSpotCallbacksApi } from '../../hubspot/callbacks-api.js';
import type { ConnectionsService } from '../connections/connections.service.js';
import type { Conversation, ConversationsService, TransitionInput } from '../conversations/conversations.service.js';
import type { EventsService } from '../events/events.service.js';
import type { Metrics } from '../metrics/metrics.service.js';

/** What this module needs from the conversations service (the same one the API and webhooks use). */
export type ConversationsPort = Pick<
  ConversationsService,
  'findByRecord' | 'getConversation' | 'getHistory' | 'upsertByExternalId' | 'transitionInTransaction' | 'lockByRecordInTransaction' | 'lockByRecordAfterInTransaction' | 'transitionLockedInTransaction' | 'afterCommit'
>;

/** The conversation fields this module reads. */
export type ConversationView = Pick<Conversation, 'id' | 'aiState' | 'updatedAt' | 'threadClosedAt'>;

/** A conversation as the conversations service returns it (what a locked-row transition takes back). */
export type LockedConversation = Conversation;

/** A transition as the conversations service reports it. */
export type TransitionView = Awaited<ReturnType<ConversationsService['transitionInTransaction']>>;

/** Who changed the AI state, for the conversations service's audit trail: always a workflow here. */
export type TransitionCause = TransitionInput & { source: 'workflow' };

/** What this module needs from the connections service. */
export type ConnectionsPort = Pick<ConnectionsService, 'findByPortalId'>;

/** What this module needs from the events service (the vendor outbox). */
export type EventsPort = Pick<EventsService, 'record' | 'afterCommit'>;

/** What this module needs from the HubSpot adapter: completing callbacks. */
export type HubSpotPort = Pick<HubSpotCallbacksApi, 'completeCallback' | 'completeCallbacks'>;

/** The metrics this module counts. */
export type MetricsPort = Pick<Metrics, 'hubspotRequestsInvalid'>;
