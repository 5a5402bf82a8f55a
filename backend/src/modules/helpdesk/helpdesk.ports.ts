// What the help-desk module needs from other modules, typed from their owners, so the module never
// reaches into another module's internals and tests can see every dependency at a glance.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Config } from '../../config.js';
import type { HubSpotChannelRegistry, HubSpotCustomChannelsApi } from '../../hubspot/custom-channels-api.js';
import type { HubSpotThreadCommentsApi } from '../../hubspot/thread-comments-api.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { ConnectionsService } from '../connections/connections.service.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { EventsService } from '../events/events.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { HandoffCommentPayload } from './helpdesk.jobs.js';
import type { InboxCache } from './inbox-cache.js';

/** A transaction on the backend's database. */
export type Trx = Transaction<Database>;

/** Conversations: read one and its audit trail, link its thread, change its AI state, record the thread's status. */
export type ConversationsPort = Pick<
  ConversationsService,
  'getConversation' | 'getHistory' | 'upsertByExternalId' | 'transitionInTransaction' | 'lastTransitions' | 'afterCommit'
>;

/** Connections: which organization holds a portal, and which scopes it granted. */
export type ConnectionsPort = Pick<ConnectionsService, 'findByPortalId' | 'findByOrganization'>;

/** Events: the vendor outbox (`message.agent_reply`). */
export type EventsPort = Pick<EventsService, 'record' | 'afterCommit'>;

/** Settings: whether an unassigned thread lets the AI resume. */
export type SettingsPort = Pick<SettingsService, 'getSettings'>;

/** The HubSpot custom channels calls and thread comments, made with a portal's token. */
export type HubSpotChannelsPort = HubSpotCustomChannelsApi & HubSpotThreadCommentsApi;

/** Dependencies of the help-desk module. */
export interface HelpdeskDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  conversations: ConversationsPort;
  connections: ConnectionsPort;
  events: EventsPort;
  settings: SettingsPort;
  hubspot: HubSpotChannelsPort;
  registry: HubSpotChannelRegistry;
  /** Branding, public URL and the app's HubSpot identity. */
  config: Pick<Config, 'publicBaseUrl' | 'branding' | 'hubspot'>;
}

/** Dependencies of the use cases, with the outbox job hook the module adds. */
export interface HelpdeskUseCaseDeps extends HelpdeskDeps {
  /** Enqueues the send job of a conversation inside `trx` (a rollback drops it too). */
  enqueueSend(trx: Trx, conversationId: string): Promise<void>;
  /** Wakes this process's send workers after the transaction that enqueued committed. */
  wakeSend(): void;
  /** The portal inbox lists, kept a minute per organization. */
  inboxCache: InboxCache;
  /** Enqueues the handoff comment job inside `trx`. */
  enqueueHandoffComment(trx: Trx, payload: HandoffCommentPayload): Promise<void>;
}
