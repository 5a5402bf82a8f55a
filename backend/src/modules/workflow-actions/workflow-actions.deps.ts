import type { Db, Trx } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { ConnectionsPort, ConversationsPort, EventsPort, HubSpotPort, MetricsPort } from './workflow-actions.ports.js';

/** Dependencies of the workflow-actions service. */
export interface WorkflowActionsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  conversations: ConversationsPort;
  connections: ConnectionsPort;
  events: EventsPort;
  hubspot: HubSpotPort;
  metrics: MetricsPort;
  /** Enqueues the completion job for an organization inside `trx` (so a rollback drops it too). */
  enqueueCompletion(trx: Trx, organizationId: string): Promise<void>;
  /** Wakes this process's completion workers after a transaction that enqueued a completion committed. */
  wakeCompletion(): void;
}

/** The audit-trail actor of a workflow: HubSpot sends no user for workflow executions, only the workflow id. */
export function workflowActorOf(workflowId: number | null | undefined): string {
  return workflowId === null || workflowId === undefined ? 'workflow' : `workflow:${workflowId}`;
}
