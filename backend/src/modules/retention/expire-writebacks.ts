// Note write-backs are troubleshooting data once finished (written, or given up): kept 30 days after
// they finished. Pending and waiting ones are kept however old (they will still be sent).
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** How long a finished note write-back is kept. */
export const WRITEBACKS_RETENTION_DAYS = 30;

/** Deletes finished note write-backs past retention. @returns rows deleted */
export async function expireWritebacks(deps: RetentionDeps): Promise<number> {
  const deleted = await repo.deleteWritebacksBefore(deps.db, new Date(deps.clock.now() - WRITEBACKS_RETENTION_DAYS * DAY_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'finished note write-backs past retention deleted');
  return deleted;
}
