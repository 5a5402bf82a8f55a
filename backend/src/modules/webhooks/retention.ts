// Retention of the inbox: finished events are kept for troubleshooting, then deleted. Dead events are
// not deleted here.
import { webhooksRepository as repo } from './webhooks.repository.js';
import type { WebhooksDeps } from './webhooks.ports.js';

/** How long finished events are kept. */
export const RETENTION_MS = 14 * 24 * 60 * 60_000;

/**
 * Deletes finished events (processed, ignored, unroutable) received longer ago than the retention.
 * @returns how many were deleted
 */
export async function deleteExpiredEvents(deps: Pick<WebhooksDeps, 'db' | 'clock' | 'log'>): Promise<number> {
  const deleted = await repo.deleteFinishedBefore(deps.db, new Date(deps.clock.now() - RETENTION_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'finished webhook events past retention deleted');
  return deleted;
}
