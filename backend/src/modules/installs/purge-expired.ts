import { revokeUnlessHeld } from './install-grants.js';
import { nowOf, type InstallsDeps } from './installs.deps.js';
import { installsRepository as repo } from './installs.repository.js';

/**
 * Deletes expired states, links and pending installs, revoking the pending grants at HubSpot (unless
 * a live connection holds their portal), so an abandoned consent leaves no live grant behind.
 * @returns how many of each were deleted
 */
export async function purgeExpired(deps: InstallsDeps): Promise<{ states: number; links: number; pendingInstalls: number }> {
  const { states, links, pending } = await repo.deleteExpired(deps.db, nowOf(deps));
  for (const p of pending) await revokeUnlessHeld(deps, p.portalId, deps.cipher.open(p.sealedRefreshToken));
  if (states + links + pending.length > 0) deps.log.info({ states, links, pendingInstalls: pending.length }, 'expired install data purged');
  return { states, links, pendingInstalls: pending.length };
}
