// Parking an event as dead: it stays in the inbox with its error, visible in the troubleshooting
// panel and `GET /api/v1/webhook-events?status=dead`, and is never processed again.
import { AppError } from '../../platform/errors.js';
import { interrupted, type ProcessingDeps } from './recovery.js';
import { webhooksRepository as repo } from './webhooks.repository.js';
import type { WebhooksDeps } from './webhooks.ports.js';

/**
 * After the last retry: parks the event as dead with its error.
 * @param error the last attempt's error
 */
export async function parkDead(deps: Pick<WebhooksDeps, 'db' | 'metrics'>, inboxId: number, error: unknown): Promise<void> {
  await repo.updateEventOutcome(deps.db, inboxId, { status: 'dead', outcome: 'retries exhausted', lastError: describeError(error), processed: true });
  deps.metrics.webhookEventsProcessed.inc({ outcome: 'dead' });
  deps.metrics.webhookDeadEvents.inc();
}

/**
 * Parks an event whose attempt failed in a way retrying cannot help (no connection, refused by
 * HubSpot): now, visibly, rather than after the whole retry schedule.
 * @param organizationId the organization it was routed to, so its troubleshooting panel shows it
 * @throws the database error when the outcome could not be stored (the event is then re-queued)
 */
export async function parkWithoutRetry(deps: ProcessingDeps, inboxId: number, err: AppError, organizationId: string | undefined): Promise<void> {
  await repo
    .updateEventOutcome(deps.db, inboxId, { status: 'dead', outcome: 'failed without retry', organizationId, lastError: describeError(err), processed: true })
    .catch(interrupted(deps, inboxId));
  deps.metrics.webhookEventsProcessed.inc({ outcome: 'dead' });
  deps.metrics.webhookDeadEvents.inc();
  deps.log.warn({ inboxId, code: err.code }, 'webhook event failed and cannot succeed on retry; parked as dead');
}

/**
 * The error text kept on the inbox row: the code and message of an AppError (safe by construction),
 * and the cause's message for our own diagnostics; never a stack.
 */
export function describeError(err: unknown): string {
  if (err instanceof AppError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.code}: ${err.message}${cause}`.slice(0, 1000);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
