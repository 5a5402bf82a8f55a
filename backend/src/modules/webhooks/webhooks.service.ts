// The webhooks service (`services.webhooks`): intake on the request path (verify, validate, store
// in one statement shared by concurrent requests, wake the processors), processing by drains that claim whole portals from the
// inbox and apply their events in batches (one transaction each), recovery of lost wake-ups,
// retention, and the inbox for troubleshooting. Each use case lives in its own file; this one wires them.
import { createInboxWriter } from './inbox-group-commit.js';
import { acceptBatch, type IntakeResult, type ReadBatch } from './intake.js';
import { dedupeKeyOf, REFUSED_AT_INTAKE } from './inbox-rows.js';
import { registerInboxGauges } from './inbox-gauges.js';
import { DRAIN, drainInbox } from './inbox-drain.js';
import { createPriorityGate } from './priority-gate.js';
import { processEvent } from './process-events.js';
import { createUnrecordedRequeue, recoverPending, sweepInbox, wakeProcessors, type ProcessingDeps } from './recovery.js';
import { webhooksRepository as repo, type InboxEntry, type InboxEvent } from './webhooks.repository.js';
import type { WebhooksDeps } from './webhooks.ports.js';
import type { InboxStatus } from './webhooks.table.js';

export type { InboxEntry, InboxEvent, IntakeResult, WebhooksDeps };
export { dedupeKeyOf, REFUSED_AT_INTAKE };

/** The webhooks service. */
export interface WebhooksService {
  /**
   * Stores a batch, atomically: each valid event (duplicates skipped), each refused event as a dead
   * row with its reason and text, then wakes the processors (intake.ts).
   * @throws AppError service_unavailable when they could not be stored (HubSpot will retry)
   */
  acceptBatch(batch: ReadBatch): Promise<IntakeResult>;
  /** Job body: claims and processes due events, portal by portal, until none is due (inbox-drain.ts). */
  drainInbox(): Promise<number>;
  /** Processes one inbox event now, exactly once (skipped when already finished). */
  processEvent(inboxId: number): Promise<void>;
  /** Wakes a drain when pending events are due; at start-up. */
  recoverPending(olderThanMs?: number): Promise<number>;
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
  const priority = deps.priority ?? createPriorityGate({ maxWaitMs: DRAIN.yieldMaxMs });
  const processing: ProcessingDeps = { ...deps, unrecorded: createUnrecordedRequeue(deps), priority };
  const intake = { ...processing, inbox: createInboxWriter(deps.db, () => wakeProcessors(processing)) };
  registerInboxGauges(deps);
  return Object.freeze({
    // An intake holds the process's priority gate while it stores: a drain of this process starts
    // its next step only once no intake is in flight, or once its bound is reached (priority-gate.ts).
    acceptBatch: (batch: ReadBatch) => priority.hold(() => acceptBatch(intake, batch)),
    drainInbox: () =>
      drainInbox(processing).catch((err: unknown) => {
        // The database went away mid-drain: pg-boss may not record this failure either, so a
        // wake-up is sent again as soon as the database answers.
        processing.unrecorded.add();
        throw err;
      }),
    processEvent: (inboxId: number) => processEvent(processing, inboxId),
    recoverPending: (olderThanMs?: number) => recoverPending(processing, olderThanMs),
    sweepInbox: () => sweepInbox(processing),
    listEvents: (organizationId: string, opts: { status?: InboxStatus; after?: number; limit?: number }) =>
      repo.findEventsByOrganization(deps.db, organizationId, { status: opts.status, afterId: opts.after, limit: opts.limit ?? 100 }),
    listRecentEvents: (organizationId: string, limit: number) => repo.findRecentEventsByOrganization(deps.db, organizationId, limit),
  });
}
