// Claiming a marketplace (HubSpot-initiated) install. Its callback carries no state, so it proves
// nothing about whose browser it lands in: anyone can send a victim to `/oauth/callback?code=…` with a
// code for their own portal, and the victim's browser then holds a claim cookie for the attacker's
// portal. A claim therefore never attaches the stored grant on the word of the cookie alone: it starts
// a normal state-bound round-trip for the same portal in this browser, and the install is attached only
// when HubSpot's answer to that round-trip is for the same hub id, i.e. when the person claiming
// administers that portal now.
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { hashOpaqueToken, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import { AppError } from '../../platform/errors.js';
import type { Organization } from '../organizations/organizations.service.js';
import type { GrantTools } from './install-grants.js';
import { installsRepository as repo, type InstallLink } from './installs.repository.js';
import { INSTALL_TTLS, type CallbackOutcome, type InstallsDeps } from './installs.service.js';

const STATE_PREFIX = 'sb_state';

/** One consent attempt: what the browser is sent to and the binding cookie to set there. */
export interface OAuthAttempt {
  authorizeUrl: string;
  bindingCookie: string;
}

/**
 * Stores a random state bound to the organization, the link and this browser (the nonce in the
 * binding cookie); with `claim`, also to the marketplace install it claims, and HubSpot's consent page
 * is locked to that install's portal.
 */
export async function createOAuthAttempt(
  deps: InstallsDeps,
  input: { link: InstallLink; organization: Organization; linkToken: string; claim?: { pendingInstallId: string; portalId: number } },
): Promise<OAuthAttempt> {
  const state = newOpaqueToken(STATE_PREFIX);
  const nonce = crypto.randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await repo.insertOAuthState(deps.db, {
    state_hash: hashOpaqueToken(state),
    organization_id: input.organization.id,
    install_link_id: input.link.id,
    browser_binding_hash: hashOpaqueToken(nonce),
    pending_install_id: input.claim?.pendingInstallId ?? null,
    expires_at: new Date(now + INSTALL_TTLS.stateSeconds * 1000),
    created_at: new Date(now),
  });
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-90
  const authorizeUrl = deps.oauth.authorizeUrl(state, input.claim ? { portalId: input.claim.portalId } : {});
  return { authorizeUrl, bindingCookie: `${nonce}.${input.linkToken}` };
}

/**
 * Starts the proof round-trip for the marketplace install this browser's claim cookie points to.
 * @throws AppError install_not_found (unknown or expired claim)
 */
export async function startClaim(deps: InstallsDeps, input: { link: InstallLink; organization: Organization; linkToken: string; claimToken: string }): Promise<OAuthAttempt> {
  const pending = await repo.findUnclaimedInstallByClaimHash(deps.db, hashOpaqueToken(input.claimToken), new Date(deps.clock.now()));
  if (!pending) throw new AppError('install_not_found', 'There is no HubSpot installation waiting to be claimed (it may have expired). Install the app again.');
  deps.log.info({ organizationId: input.organization.id, portalId: pending.portalId }, 'marketplace install claim started; HubSpot must confirm the portal');
  return createOAuthAttempt(deps, { ...input, claim: { pendingInstallId: pending.id, portalId: pending.portalId } });
}

/**
 * Finishes a claim when HubSpot redirects back with the claim attempt's state: the new grant must be
 * for the claimed install's portal. On a match the new grant connects the organization (the stored
 * one is dropped); otherwise nothing is connected.
 * @throws AppError forbidden (another portal approved) | install_not_found | portal_conflict | missing_scope | install_code_invalid
 */
export async function completeClaim(deps: InstallsDeps, tools: GrantTools, input: { organizationId: string; linkToken: string; pendingInstallId: string; code: string }): Promise<CallbackOutcome> {
  const { db, log } = deps;
  const now = () => new Date(deps.clock.now());
  const grant = await tools.verifyGrant(input.code);
  const pending = await repo.findUnclaimedInstallById(db, input.pendingInstallId, now());
  if (!pending || pending.portalId !== grant.portalId) {
    await tools.revokeUnlessHeld(grant.portalId, grant.refreshToken);
    if (!pending) throw new AppError('install_not_found', 'The HubSpot installation you were finishing has expired or was already claimed. Install the app again.');
    log.warn({ organizationId: input.organizationId, claimedPortalId: pending.portalId, approvedPortalId: grant.portalId }, 'marketplace install claim refused: HubSpot approved another portal');
    throw new AppError(
      'forbidden',
      `HubSpot confirmed portal ${grant.portalId}, but the installation waiting in this browser is for portal ${pending.portalId}. Nothing was connected: only an administrator of portal ${pending.portalId} can finish that installation.`,
    );
  }
  const dropClaimed = async (trx: Transaction<Database>) => {
    // Claimed at most once: the row is locked and deleted in the transaction that applies the grant.
    const still = await repo.lockUnclaimedInstallById(trx, pending.id, now());
    if (!still) throw new AppError('install_not_found', 'This HubSpot installation was already claimed.');
    await repo.deletePendingInstall(trx, pending.id);
  };
  const applied = await deps.connections.applyOAuthGrant({ organizationId: input.organizationId, grant, onApplied: dropClaimed });
  if (applied.result === 'needs_confirmation') {
    await db.transaction().execute(async (trx) => {
      await dropClaimed(trx);
      await repo.deleteAwaitingInstallsByOrganization(trx, input.organizationId);
      await repo.insertPendingInstall(trx, {
        ...tools.sealedPending(grant),
        kind: 'awaiting_confirmation',
        organization_id: input.organizationId,
        claim_token_hash: null,
        expires_at: new Date(deps.clock.now() + INSTALL_TTLS.awaitingConfirmationSeconds * 1000),
      });
    });
    return { kind: 'needs_confirmation', linkToken: input.linkToken };
  }
  const stored = tools.openPending(pending).refreshToken;
  if (stored !== grant.refreshToken) await deps.oauth.revoke(stored).catch((err: unknown) => log.warn({ err }, 'could not revoke the superseded marketplace grant'));
  log.info({ organizationId: input.organizationId, portalId: pending.portalId }, 'marketplace install claimed after HubSpot confirmed the portal');
  return { kind: 'connected', linkToken: input.linkToken, result: applied.result };
}
