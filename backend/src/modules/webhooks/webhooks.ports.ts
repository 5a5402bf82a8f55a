// What the webhooks module needs from the rest of the backend, each type taken from the module that
// owns it: routing a portal to its organization (connections), pausing and unlinking conversations
// (conversations), the organization's pause setting (settings), the HubSpot reads a handler makes
// before its transaction (the HubSpot adapter), and the metrics it counts.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotRecordsApi } from '../../hubspot/records-api.js';
import type { Clock } from '../../platform/clock.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { ConnectionsService } from '../connections/connections.service.js';
import type { ConversationsService, TransitionResult } from '../conversations/conversations.service.js';
import type { Metrics } from '../metrics/metrics.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { PriorityGate } from './priority-gate.js';

export type { TransitionResult } from '../conversations/conversations.service.js';

/** A transaction on the backend's database. */
export type Trx = Transaction<Database>;

/** Routing an event's portal to the organization connected to it. */
export type ConnectionsPort = Pick<ConnectionsService, 'findByPortalId'>;

/**
 * The conversation transitions webhooks cause: pauses on a human takeover, unlinks on deletions,
 * erasure on a privacy deletion, thread status, and the wake-up after commit.
 */
export type ConversationsPort = Pick<
  ConversationsService,
  'findByRecord' | 'findByRecords' | 'activeLinks' | 'pauseLinkedInTransaction' | 'unlinkInTransaction' | 'recordThreadStatusInTransaction' | 'eraseContactInTransaction' | 'afterCommit'
>;

/** The organization's settings (whether an owner change pauses the AI). */
export type SettingsPort = Pick<SettingsService, 'getSettings' | 'getSettingsMany'>;

/** What handlers read from HubSpot, before their transaction. */
export type HubSpotPort = Pick<HubSpotRecordsApi, 'readTicketOwner' | 'readThread' | 'readThreadMessage'>;

/** The metrics this module counts and the inbox gauges it registers. */
export type MetricsPort = Pick<Metrics, 'webhookEventsProcessed' | 'webhookDeadEvents' | 'ownerChangeToPauseSeconds' | 'addScrapeGauge'>;

/** Dependencies of the webhooks module. */
export interface WebhooksDeps {
  db: Db;
  /** Sends the processors' wake-ups (the module's job definitions run the service; see webhooks.jobs.ts). */
  jobs: Pick<Jobs, 'send'>;
  clock: Clock;
  log: Logger;
  metrics: MetricsPort;
  connections: ConnectionsPort;
  conversations: ConversationsPort;
  settings: SettingsPort;
  hubspot: HubSpotPort;
  /** The help desk's handling of its threads' assignee changes. */
  threadAssignee?: ThreadAssigneePort;
  /** The process's priority of intake and takeovers over drains (the service makes one when not given). */
  priority?: PriorityGate;
}

/**
 * A module that owns some threads (the help desk) and decides what their assignee changes do.
 * @returns undefined when the thread is not the module's: the generic takeover rule applies
 */
export interface ThreadAssigneePort {
  onAssigneeChanged(trx: Trx, organizationId: string, change: { threadId: number; userId: string; occurredAt: Date }): Promise<{ outcome: string; transitions: TransitionResult[] } | undefined>;
}
