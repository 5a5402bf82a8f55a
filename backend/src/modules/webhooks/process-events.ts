// Processing given events outside the claim loop: one event by id (a tool for operators and tests),
// or the takeovers of a batch just stored (takeover-fast-path.ts). They go through the same batch
// processing as the claim loop, which locks each event row and skips events already finished, so
// an event is applied exactly once whichever path reaches it first.
import { processBatch, type BatchOutcome } from './process-batch.js';
import { wakeProcessors, type ProcessingDeps } from './recovery.js';
import { webhooksRepository as repo, type InboxEvent } from './webhooks.repository.js';

/**
 * Processes one inbox event now, exactly once; an event already finished is skipped.
 * @throws a database error when its transaction could not run (the event stays pending and due)
 */
export async function processEvent(deps: ProcessingDeps, inboxId: number): Promise<void> {
  const stored = await repo.findEventById(deps.db, inboxId);
  if (!stored || stored.status !== 'pending') {
    deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
    return;
  }
  await processEvents(deps, [stored]);
}

/**
 * Processes these pending events now, as one batch, in id order.
 * @returns what the batch did; a failed event's retry is scheduled (a drain is woken when it is due)
 */
export async function processEvents(deps: ProcessingDeps, events: readonly InboxEvent[]): Promise<BatchOutcome> {
  const outcome = await processBatch(deps, [...events].sort((a, b) => a.id - b.id));
  if (outcome.retryInMs !== undefined) wakeProcessors(deps, outcome.retryInMs);
  return outcome;
}
