// Claiming a marketplace (HubSpot-initiated) install. Its callback carries no state, so it proves
// nothing about whose browser it lands in: anyone can send a victim to `/oauth/callback?code=…` with a
// code for their own portal, and the victim's browser then holds a claim cookie for the attacker's
// portal. A claim therefore never attaches the stored grant on the word of the cookie alone: it starts
// a normal state-bound round-trip for the same portal in this browser, and the install is attached only
// when HubSpot's answer to that round-trip is for the same hub id, i.e. when the person claiming
// administers that portal now.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { hashOpaqueToken } from '../../platform/crypto/opaque-token.js';
import { AppError } from '../../platform/errors.js';
import { openPending, revokeUnlessHeld, verifyGrant } from './install-grants.js';
import { resolveLink } from './install-links.js';
import { nowOf, toPendingView, type CallbackOutcome, type InstallsDeps, type PendingInstallView } from './installs.deps.js';
import { installsRepository as repo } from './installs.repository.js';
import { replaceAwaitingGrant } from './portal-change.js';
import { createOAuthAttempt, type OAuthAttempt } from './start-install.js';

/**
 * Starts claiming an unclaimed install for the link's organization: the proof round-trip for the
 * marketplace install this browser's claim cookie points to, locked to the install's portal
 * (completeInstall finishes it).
 * @returns HubSpot's authorize URL and the value of the browser-binding cookie to set
 * @throws AppError install_link_invalid | install_not_found (unknown or expired claim)
 */
export async function startClaim(deps: InstallsDeps, input: { linkToken: string; claimToken: string }): Promise<OAuthAttempt> {
  const { link, organization } = await resolveLink(deps, input.linkToken);
  const pending = await repo.findUnclaimedInstallByClaimHash(deps.db, hashOpaqueToken(input.claimToken), nowOf(deps));
  if (!pending) throw new AppError('install_not_found', 'There is no HubSpot installation waiting to be claimed (it may have expired). Install the app again.');
  deps.log.info({ organizationId: organization.id, portalId: pending.portalId }, 'marketplace install claim started; HubSpot must confirm the portal');
  return createOAuthAttempt(deps, { link, organization, linkToken: input.linkToken, claim: { pendingInstallId: pending.id, portalId: pending.portalId } });
}

/**
 * Finishes a claim when HubSpot redirects back with the claim attempt's state: the new grant must be
 * for the claimed install's portal. On a match the new grant connects the organization (the stored
 * one is dropped); otherwise nothing is connected.
 * @throws AppError forbidden (another portal approved) | install_not_found | portal_conflict | missing_scope | install_code_invalid
 */
export async function completeClaim(deps: InstallsDeps, input: { organizationId: string; linkToken: string; pendingInstallId: string; code: string }): Promise<CallbackOutcome> {
  const { db, log } = deps;
  const grant = await verifyGrant(deps, input.code);
  const pending = await repo.findUnclaimedInstallById(db, input.pendingInstallId, nowOf(deps));
  if (!pending || pending.portalId !== grant.portalId) {
    await revokeUnlessHeld(deps, grant.portalId, grant.refreshToken);
    if (!pending) throw new AppError('install_not_found', 'The HubSpot installation you were finishing has expired or was already claimed. Install the app again.');
    log.warn({ organizationId: input.organizationId, claimedPortalId: pending.portalId, approvedPortalId: grant.portalId }, 'marketplace install claim refused: HubSpot approved another portal');
    throw new AppError(
      'forbidden',
      `HubSpot confirmed portal ${grant.portalId}, but the installation waiting in this browser is for portal ${pending.portalId}. Nothing was connected: only an administrator of portal ${pending.portalId} can finish that installation.`,
    );
  }
  const dropClaimed = async (trx: Transaction<Database>) => {
    // Claimed at most once: the row is locked and deleted in the transaction that applies the grant.
    const still = await repo.lockUnclaimedInstallById(trx, pending.id, nowOf(deps));
    if (!still) throw new AppError('install_not_found', 'This HubSpot installation was already claimed.');
    await repo.deletePendingInstall(trx, pending.id);
  };
  const applied = await deps.connections.applyOAuthGrant({ organizationId: input.organizationId, grant, onApplied: dropClaimed });
  if (applied.result === 'needs_confirmation') {
    await db.transaction().execute(async (trx) => {
      await dropClaimed(trx);
      await replaceAwaitingGrant(deps, trx, input.organizationId, grant);
    });
    return { kind: 'needs_confirmation', linkToken: input.linkToken };
  }
  const stored = openPending(deps, pending).refreshToken;
  if (stored !== grant.refreshToken) await deps.oauth.revoke(stored).catch((err: unknown) => log.warn({ err }, 'could not revoke the superseded marketplace grant'));
  log.info({ organizationId: input.organizationId, portalId: pending.portalId }, 'marketplace install claimed after HubSpot confirmed the portal');
  return { kind: 'connected', linkToken: input.linkToken, result: applied.result };
}

/** The unclaimed install a claim token points to, if still valid. */
export async function findUnclaimed(deps: InstallsDeps, claimToken: string): Promise<PendingInstallView | undefined> {
  const p = await repo.findUnclaimedInstallByClaimHash(deps.db, hashOpaqueToken(claimToken), nowOf(deps));
  return p ? toPendingView(p) : undefined;
}
