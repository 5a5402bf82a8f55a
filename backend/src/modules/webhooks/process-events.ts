// Processing one inbox event, in a pg-boss worker (or at once, by the takeover fast path): route its
// portal to an organization, run the handler, mark the event done, all in one transaction, so each
// stored event is handled exactly once whatever the number of jobs that carry it.
import { runWithContext } from '../../platform/context.js';
import { AppError, isRetryable } from '../../platform/errors.js';
import { applyEvent, prepareEvent, type HandlerResult, type Prepared } from './handle-event.js';
import { parkWithoutRetry, describeError } from './park-dead.js';
import { interrupted, type ProcessingDeps } from './recovery.js';
import { routePortal, type Route } from './route-portal.js';
import { webhooksRepository as repo, type InboxEvent } from './webhooks.repository.js';
import type { Trx } from './webhooks.ports.js';

type Finished = HandlerResult | { status: 'unroutable'; outcome: string };

/**
 * Processes one inbox event exactly once; an event already finished is skipped.
 * @param attempt the job's attempt number (1 for the first), for the log
 * @throws the attempt's error when a retry may succeed (the job retries; the failure is recorded on the event)
 */
export async function processEvent(deps: ProcessingDeps, inboxId: number, attempt: number): Promise<void> {
  const stored = await repo.findEventById(deps.db, inboxId).catch(interrupted(deps, inboxId));
  if (!stored || stored.status !== 'pending') {
    deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
    return;
  }
  // Routed before the handler's transaction, so a failure is still recorded against the organization
  // (its troubleshooting API shows the event, dead or retrying).
  const routed = await routePortal(deps, stored.portalId).catch(interrupted(deps, inboxId));
  const organizationId = 'organizationId' in routed ? routed.organizationId : undefined;
  let result: Finished | 'skipped';
  try {
    // HubSpot reads happen here, before the transaction: no connection or lock is held meanwhile.
    const prepared = organizationId ? await runWithContext({ portalId: stored.portalId, organizationId }, () => prepareEvent(stored, organizationId, deps)) : undefined;
    result = await deps.db.transaction().execute(async (trx) => {
      const event = await repo.lockEventById(trx, inboxId);
      // Already handled (a duplicate job, a recovery re-queue): exactly-once per stored event.
      if (!event || event.status !== 'pending') return 'skipped' as const;
      return runWithContext({ portalId: event.portalId, organizationId }, () => finish(deps, trx, event, routed, prepared));
    });
  } catch (err) {
    if (err instanceof AppError && !isRetryable(err)) {
      // Retrying cannot help (no connection, refused by HubSpot): park it now, visibly.
      await parkWithoutRetry(deps, inboxId, err, organizationId);
      return;
    }
    await repo.recordFailedAttempt(deps.db, inboxId, { error: describeError(err), organizationId }).catch(() => deps.unrecorded.add(inboxId));
    deps.metrics.webhookEventsProcessed.inc({ outcome: 'retry' });
    throw err;
  }
  if (result === 'skipped') {
    deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
    return;
  }
  deps.metrics.webhookEventsProcessed.inc({ outcome: result.outcome.startsWith('stale') ? 'stale' : result.status });
  afterCommit(deps, result);
  deps.log.debug({ inboxId, attempt, status: result.status, outcome: result.outcome }, 'webhook event processed');
}

// Inside the event's transaction: an unroutable event is marked so; a routed one runs its handler,
// and the handler's effects and the "processed" mark commit together.
async function finish(deps: ProcessingDeps, trx: Trx, event: InboxEvent, routed: Route, prepared: Prepared): Promise<Finished> {
  if ('unroutable' in routed) {
    await repo.updateEventOutcome(trx, event.id, { status: 'unroutable', outcome: routed.unroutable, processed: true });
    return { status: 'unroutable', outcome: routed.unroutable };
  }
  const result = await applyEvent(trx, event, routed.organizationId, deps, prepared);
  await repo.updateEventOutcome(trx, event.id, { status: result.status, outcome: result.outcome, organizationId: routed.organizationId, lastError: null, processed: true });
  return result;
}

// After commit: wakes the conversations' workers for the transitions made, and measures how long a
// human takeover took from HubSpot's occurredAt to our pause.
function afterCommit(deps: ProcessingDeps, result: Finished): void {
  if (!('transitions' in result) || !result.transitions) {
    deps.conversations.afterCommit();
    return;
  }
  deps.conversations.afterCommit(result.transitions);
  if (!result.takeover) return;
  const now = deps.clock.now();
  for (const t of result.transitions) {
    if (t.changed && t.transition) deps.metrics.ownerChangeToPauseSeconds.observe({ source: t.transition.source }, Math.max(0, now - t.transition.occurredAt.getTime()) / 1000);
  }
}
