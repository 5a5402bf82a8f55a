// The webhooks service (`services.webhooks`): intake on the request path (verify, validate, store
// with one job per new event), processing in pg-boss workers (route, handle, mark done in one
// transaction), recovery of lost jobs, retention, and the inbox for troubleshooting. Each use case
// lives in its own file; this one wires them.
import { acceptBatch, type IntakeResult, type ReadBatch } from './intake.js';
import { dedupeKeyOf, REFUSED_AT_INTAKE } from './inbox-rows.js';
import { registerInboxGauges } from './inbox-gauges.js';
import { parkDead } from './park-dead.js';
import { processEvent } from './process-events.js';
import { createUnrecordedRequeue, recoverPending, sweepInbox, type ProcessingDeps } from './recovery.js';
import { webhooksRepository as repo, type InboxEntry, type InboxEvent } from './webhooks.repository.js';
import type { WebhooksDeps } from './webhooks.ports.js';
import type { InboxStatus } from './webhooks.table.js';

export type { InboxEntry, InboxEvent, IntakeResult, WebhooksDeps };
export { dedupeKeyOf, REFUSED_AT_INTAKE };

/** The webhooks service. */
export interface WebhooksService {
  /**
   * Stores a batch, atomically: each valid event (duplicates skipped) with one job, each refused
   * event as a dead row with its reason and text (intake.ts).
   * @throws AppError service_unavailable when they could not be stored (HubSpot will retry)
   */
  acceptBatch(batch: ReadBatch): Promise<IntakeResult>;
  /** Job body: processes one inbox event exactly once. @throws on failure (the job retries) */
  processEvent(inboxId: number, attempt: number): Promise<void>;
  /** After the last retry: parks the event as dead with its error. */
  parkDead(inboxId: number, error: unknown): Promise<void>;
  /** Re-queues pending events received before `olderThanMs` ago (0 = all); at start-up and every minute. */
  recoverPending(olderThanMs: number): Promise<number>;
  /** The sweep job's body: recovery of stuck events and retention. */
  sweepInbox(): Promise<void>;
  /** An organization's inbox events (e.g. the dead ones), oldest first. */
  listEvents(organizationId: string, opts: { status?: InboxStatus; after?: number; limit?: number }): Promise<InboxEntry[]>;
  /** An organization's latest deliveries, newest first (the connection page's troubleshooting panel). */
  listRecentEvents(organizationId: string, limit: number): Promise<InboxEntry[]>;
}

/**
 * Builds the webhooks service and registers its inbox gauges.
 * @param deps database, job sender, clock, logger, metrics and the ports to the other modules
 * @returns the service
 */
export function createWebhooksService(deps: WebhooksDeps): WebhooksService {
  const processing: ProcessingDeps = { ...deps, unrecorded: createUnrecordedRequeue(deps) };
  registerInboxGauges(deps);
  return Object.freeze({
    acceptBatch: (batch: ReadBatch) => acceptBatch(processing, batch),
    processEvent: (inboxId: number, attempt: number) => processEvent(processing, inboxId, attempt),
    parkDead: (inboxId: number, error: unknown) => parkDead(deps, inboxId, error),
    recoverPending: (olderThanMs: number) => recoverPending(deps, olderThanMs),
    sweepInbox: () => sweepInbox(deps),
    listEvents: (organizationId: string, opts: { status?: InboxStatus; after?: number; limit?: number }) =>
      repo.findEventsByOrganization(deps.db, organizationId, { status: opts.status, afterId: opts.after, limit: opts.limit ?? 100 }),
    listRecentEvents: (organizationId: string, limit: number) => repo.findRecentEventsByOrganization(deps.db, organizationId, limit),
  });
}
