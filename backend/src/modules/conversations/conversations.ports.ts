// What the conversations module needs from the rest of the backend. Each port is a slice of a type the
// owning module declares, so a change there shows up here at compile time.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotRecordsApi } from '../../hubspot/records-api.js';
import type { Clock } from '../../platform/clock.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { readConnectionStatus } from '../connections/connection-status.js';
import type { EventsService } from '../events/events.service.js';
import type { Metrics } from '../metrics/metrics.service.js';

/** A transaction on the backend's database. */
export type Trx = Transaction<Database>;

/**
 * The vendor outbox: events recorded inside the caller's transaction (a transition's event is inserted
 * by the transition's own statement, its push queued with queuePush), a contact scrubbed from stored
 * events on a privacy deletion, push workers woken once the transaction committed.
 */
export type EventsPort = Pick<EventsService, 'record' | 'queuePush' | 'scrubContact' | 'afterCommit'>;

/** The typed HubSpot adapter (token vault, retries and rate budget underneath): notes on timelines. */
export type HubSpotPort = Pick<HubSpotRecordsApi, 'createNote'>;

/**
 * The organization's connection status (`connected`, `needs_reauth`, …), read after parking a
 * write-back. Read from the connection's row: the connections service is built after this module,
 * since a reconnect resumes this module's waiting write-backs.
 */
export type ConnectionStatusPort = (organizationId: string) => ReturnType<typeof readConnectionStatus>;

/** The counters this module moves. */
export type MetricsPort = Pick<Metrics, 'aiTransitions' | 'noteWritebacks'>;

/** The job system: write-note jobs are sent (inside a transaction or not) and their workers woken. */
export type JobsPort = Pick<Jobs, 'send' | 'wake'>;

/** A handoff just requested, inside its transition's transaction (the transition row is written). */
export interface HandoffRequested {
  organizationId: string;
  conversationId: string;
  transitionId: number;
}

/**
 * Called inside the transaction of every transition to `handoff_requested` (workflow action, card,
 * vendor API): other modules queue their own work there (the help desk comments on its thread), so a
 * rollback drops it too. Provided by the composition root; it must not call HubSpot.
 */
export type OnHandoffRequested = (trx: Trx, handoff: HandoffRequested) => Promise<void>;

/** Dependencies of the conversations use cases. */
export interface ConversationsDeps {
  db: Db;
  jobs: JobsPort;
  clock: Clock;
  log: Logger;
  metrics: MetricsPort;
  events: EventsPort;
  hubspot: HubSpotPort;
  connectionStatus: ConnectionStatusPort;
  /** Work other modules queue when a handoff is requested (none by default). */
  onHandoffRequested?: OnHandoffRequested;
  /** The vendor's product name on HubSpot notes (branding); default "Switchboard". */
  productName?: string;
}
