// A workflow action's stored answer is what HubSpot gets again when it retries the same callbackId.
// HubSpot retries an execution answered with a 5xx or 429 for up to three days
// (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference),
// timeouts likely the same way (Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-11). 30 days keeps every
// answer well past the last retry, and leaves the history for troubleshooting.
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** How long a finished execution's answer is kept. */
export const EXECUTIONS_RETENTION_DAYS = 30;

/** Deletes finished workflow-action executions past retention. @returns rows deleted */
export async function expireExecutions(deps: RetentionDeps): Promise<number> {
  const deleted = await repo.deleteExecutionsBefore(deps.db, new Date(deps.clock.now() - EXECUTIONS_RETENTION_DAYS * DAY_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'workflow action executions past retention deleted');
  return deleted;
}
