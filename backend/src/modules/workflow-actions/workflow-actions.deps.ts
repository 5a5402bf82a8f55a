import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { HubSpotCallbacksApi } from '../../hubspot/callbacks-api.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { AiState } from './workflow-actions.schemas.js';

/** A transaction on the backend's database. */
export type Trx = Transaction<Database>;

/** The conversation fields this module reads from the conversations service. */
export interface ConversationView {
  id: string;
  aiState: AiState;
  updatedAt: Date;
  threadClosedAt: Date | null;
}

/** A transition as the conversations service reports it. */
export interface TransitionView {
  conversation: ConversationView;
  changed: boolean;
  transition: { id: number } | null;
}

/** Who changed the AI state, for the conversations service's audit trail. */
export interface TransitionCause {
  source: 'workflow';
  actor: string;
  reason?: string;
  team?: { id: string; name: string };
}

/** What this module needs from the conversations service (the same one the API and webhooks use). */
export interface ConversationsPort {
  /** Inside the execution's transaction pass it as `trx` (one pool connection per request). */
  findByRecord(organizationId: string, filter: { ticketId?: number; contactId?: number }, opts?: { trx?: Trx }): Promise<ConversationView[]>;
  /** @throws AppError not_found */
  getConversation(organizationId: string, conversationId: string): Promise<ConversationView>;
  /** @throws AppError not_found */
  getHistory(organizationId: string, conversationId: string): Promise<{ transitions: { id: number }[] }>;
  upsertByExternalId(organizationId: string, input: { externalId: string; ticketId?: number; contactId?: number }): Promise<{ conversation: ConversationView }>;
  /** @throws AppError not_found | invalid_transition */
  transitionInTransaction(trx: Trx, organizationId: string, conversationId: string, action: 'pause' | 'resume' | 'handoff', input: TransitionCause): Promise<TransitionView>;
  /** Wakes push and write-back workers after a transaction with transitions committed. */
  afterCommit(results?: readonly TransitionView[]): void;
}

/** What this module needs from the connections service. */
export interface ConnectionsPort {
  findByPortalId(portalId: number): Promise<{ organizationId: string; portalId: number; status: string; auth: string } | undefined>;
}

/** What this module needs from the events service (the vendor outbox). */
export interface EventsPort {
  record(trx: Trx, event: { organizationId: string; type: string; data: Record<string, unknown> }): Promise<unknown>;
  /** Wakes this process's push workers after a transaction that recorded events committed. */
  afterCommit(): void;
}

/** What this module needs from the HubSpot adapter: completing callbacks. */
export type HubSpotPort = Pick<HubSpotCallbacksApi, 'completeCallback' | 'completeCallbacks'>;

/** The metrics this module counts. */
export interface MetricsPort {
  /** HubSpot 4xx answers naming a field of our request, by endpoint (each is a bug on our side). */
  hubspotRequestsInvalid: { inc(labels: { endpoint: string }): void };
}

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
