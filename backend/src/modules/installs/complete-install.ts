// HubSpot's redirect back to `/oauth/callback`. With our `state` it finishes a consent attempt this
// browser started; without one it is an install started from HubSpot (the marketplace), which proves
// nothing about whose browser it lands in. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-15
import { hashOpaqueToken, hashesEqual, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import { AppError } from '../../platform/errors.js';
import { completeClaim } from './claim-install.js';
import { sealedPending, verifyGrant } from './install-grants.js';
import { INSTALL_TTLS, inSeconds, nowOf, type CallbackOutcome, type InstallsDeps } from './installs.deps.js';
import { installsRepository as repo } from './installs.repository.js';
import { storeAwaitingConfirmation } from './portal-change.js';

const CLAIM_PREFIX = 'sb_claim';

/** HubSpot's redirect parameters and this browser's binding cookie. */
export interface CompleteInstallInput {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
  bindingCookie?: string;
}

/**
 * Handles HubSpot's redirect back. With a state: it must exist, be unused, unexpired, and come from
 * the browser that started it (the binding cookie); it is consumed before the code is exchanged.
 * A claim attempt's state connects only a grant for the claimed install's portal.
 * Without a state (a marketplace install): the grant is kept as an unclaimed install.
 * @throws AppError install_state_invalid | install_code_invalid | missing_scope | portal_conflict | forbidden (consent denied, or a claim approved for another portal) | hubspot_unavailable
 */
export async function completeInstall(deps: InstallsDeps, input: CompleteInstallInput): Promise<CallbackOutcome> {
  if (input.error) {
    deps.log.warn({ error: input.error.slice(0, 100) }, 'HubSpot consent not granted');
    throw new AppError('forbidden', `HubSpot did not grant access${input.errorDescription ? `: ${input.errorDescription.slice(0, 200).replace(/[.\s]+$/, '')}` : ''}. Start again from your connection link.`);
  }
  if (!input.code) throw new AppError('invalid_query', 'Query parameters are invalid', { details: [{ path: 'code', message: 'Required' }] });
  if (input.state === undefined) return completeUnboundInstall(deps, input.code);

  // The state is consumed before the code is exchanged, so a replayed callback never reaches HubSpot.
  const [nonce, linkToken] = splitBinding(input.bindingCookie);
  if (!nonce || !linkToken) throw stateInvalid();
  const consumed = await repo.consumeOAuthState(deps.db, { stateHash: hashOpaqueToken(input.state), bindingHash: hashOpaqueToken(nonce), now: nowOf(deps) });
  if (!consumed) throw stateInvalid();
  const link = await repo.findInstallLinkById(deps.db, consumed.installLinkId);
  if (!link || link.organizationId !== consumed.organizationId || !hashesEqual(link.tokenHash, hashOpaqueToken(linkToken))) throw stateInvalid();

  if (consumed.pendingInstallId) {
    return completeClaim(deps, { organizationId: consumed.organizationId, linkToken, pendingInstallId: consumed.pendingInstallId, code: input.code });
  }
  const grant = await verifyGrant(deps, input.code);
  const applied = await deps.connections.applyOAuthGrant({ organizationId: consumed.organizationId, grant });
  if (applied.result === 'needs_confirmation') {
    await storeAwaitingConfirmation(deps, consumed.organizationId, grant);
    return { kind: 'needs_confirmation', linkToken };
  }
  return { kind: 'connected', linkToken, result: applied.result };
}

/** A marketplace install: renew a known portal's connection, else keep it for a claim. */
async function completeUnboundInstall(deps: InstallsDeps, code: string): Promise<CallbackOutcome> {
  const grant = await verifyGrant(deps, code);
  const holder = await deps.connections.findByPortalId(grant.portalId);
  if (holder && holder.status !== 'disconnected') {
    // Whoever approved administers this very portal; renewing its owner's tokens moves nothing.
    const applied = await deps.connections.applyOAuthGrant({ organizationId: holder.organizationId, grant });
    const org = await deps.organizations.findById(holder.organizationId);
    deps.log.info({ organizationId: holder.organizationId, portalId: grant.portalId, result: applied.result }, 'HubSpot-initiated install renewed a connection');
    return { kind: 'reconnected', organizationName: org?.name ?? 'your organization', portalId: grant.portalId };
  }
  const claimToken = newOpaqueToken(CLAIM_PREFIX);
  await repo.insertPendingInstall(deps.db, { ...sealedPending(deps, grant), kind: 'unclaimed', organization_id: null, claim_token_hash: hashOpaqueToken(claimToken), expires_at: inSeconds(deps, INSTALL_TTLS.unclaimedSeconds) });
  deps.log.info({ portalId: grant.portalId }, 'HubSpot-initiated install stored, waiting to be claimed');
  return { kind: 'unclaimed', claimToken, portalId: grant.portalId, portalDomain: grant.portalDomain };
}

function stateInvalid(): AppError {
  return new AppError('install_state_invalid', 'This HubSpot sign-in attempt is invalid, expired or already used. Start again from your connection link.');
}

/** Splits the binding cookie `<nonce>.<linkToken>` (neither part contains a dot). */
function splitBinding(cookie: string | undefined): [string | undefined, string | undefined] {
  if (!cookie) return [undefined, undefined];
  const i = cookie.indexOf('.');
  if (i <= 0) return [undefined, undefined];
  return [cookie.slice(0, i), cookie.slice(i + 1)];
}
