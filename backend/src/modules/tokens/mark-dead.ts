import { lockedTransaction, type TokensDeps } from './tokens.deps.js';
import { tokensRepository as repo } from './tokens.repository.js';

/**
 * Marks the organization's tokens dead and the connection `needs_reauth`, once: under the row lock,
 * so of two callers that find the same dead credential only the first records the change.
 * @returns true when this call made the change
 */
export async function markDead(deps: TokensDeps, organizationId: string, reason: string): Promise<boolean> {
  const changed = await lockedTransaction(deps, async (trx) => {
    const row = await repo.lockTokenByOrganization(trx, organizationId);
    if (!row || row.invalidatedAt) return false;
    const at = new Date(deps.clock.now());
    await repo.updateToken(trx, organizationId, { invalidated_at: at, invalidated_reason: reason, last_error: reason, last_error_at: at, updated_at: at });
    await deps.connections.markNeedsReauth(trx, organizationId, reason);
    deps.log.warn({ organizationId, portalId: row.portalId }, 'HubSpot credential is dead; connection needs re-authorization');
    return true;
  });
  if (changed) deps.afterReauthCommitted?.();
  return changed;
}
