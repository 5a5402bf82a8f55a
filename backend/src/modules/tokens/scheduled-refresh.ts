// The scheduled refresh keeps idle grants alive and finds dead ones early: HubSpot documents no
// lifetime for refresh tokens (https://developers.hubspot.com/docs/api-reference/latest/authentication/manage-oauth-tokens),
// and they are reported to die after long inactivity.
import { refreshUnderLock, unwrapOutcome } from './refresh-under-lock.js';
import type { TokensDeps } from './tokens.deps.js';
import { tokensRepository as repo } from './tokens.repository.js';

/**
 * Refreshes an OAuth token not refreshed in the last `minAgeMs`.
 * @throws AppError reinstall_required (marked) | hubspot_unavailable (retry later)
 */
export async function refreshIfOlderThan(deps: TokensDeps, organizationId: string, minAgeMs: number): Promise<'refreshed' | 'skipped'> {
  const outcome = await refreshUnderLock(deps, organizationId, { kind: 'scheduled', minAgeMs });
  if (outcome.kind === 'skipped') return 'skipped';
  unwrapOutcome(deps, outcome);
  return 'refreshed';
}

/** Organizations whose live OAuth token was not refreshed in the last `minAgeMs`. */
export async function listDueForRefresh(deps: TokensDeps, minAgeMs: number): Promise<string[]> {
  return repo.findOAuthOrganizationsRefreshedBefore(deps.db, new Date(deps.clock.now() - minAgeMs));
}
