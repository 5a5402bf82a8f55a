// A Send to AI callback row is a workflow step HubSpot is blocked on. An open one (pending: waiting
// for the vendor's AI result; completing: decided, HubSpot has not taken the completion yet) is never
// deleted, however old: deleting it would lose the completion and leave the workflow waiting until
// HubSpot gives up on its own. (The minutely workflow-action sweep closes an open callback as expired
// once HubSpot stops waiting, so none stays open for long.) A finished one (completed, expired,
// rejected) is troubleshooting data, shown by the connection page's panel next to its execution: kept
// 30 days after it finished. Its execution's stored answer goes 30 days after the execution, which
// came first, so the panel never lists an execution whose callback is already gone.
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** How long a finished Send to AI callback is kept, counted from when it finished. */
export const CALLBACKS_RETENTION_DAYS = 30;

/** Deletes finished Send to AI callbacks past retention. @returns rows deleted */
export async function expireCallbacks(deps: RetentionDeps): Promise<number> {
  const deleted = await repo.deleteCallbacksBefore(deps.db, new Date(deps.clock.now() - CALLBACKS_RETENTION_DAYS * DAY_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'finished Send to AI callbacks past retention deleted');
  return deleted;
}
