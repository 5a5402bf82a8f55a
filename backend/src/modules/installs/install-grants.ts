// Checking a fresh grant and keeping it sealed while it waits (claim or confirmation). Shared by the
// install flow and the marketplace claim.
import type { HubSpotOAuthClient } from '../../hubspot/oauth-client.js';
import { missingRequiredScopes } from '../../hubspot/scopes.js';
import { AppError } from '../../platform/errors.js';
import type { VerifiedGrant } from '../connections/connections.service.js';
import type { InstallsDeps } from './installs.deps.js';
import type { PendingInstall } from './installs.repository.js';
import type { NewPendingInstallRow } from './installs.table.js';

/** The grant's columns of a pending install, tokens sealed. */
export type SealedPendingGrant = Pick<NewPendingInstallRow, 'portal_id' | 'portal_domain' | 'scopes' | 'approved_by' | 'access_token' | 'refresh_token' | 'access_expires_at' | 'created_at'>;

/**
 * Exchanges the code and checks the grant: hub id known, every required scope granted.
 * @throws AppError install_code_invalid | missing_scope | hubspot_upstream_error | hubspot_unavailable
 */
export async function verifyGrant(deps: InstallsDeps, code: string): Promise<VerifiedGrant> {
  const grant = await deps.oauth.exchangeCode(code);
  const issuedAt = deps.clock.now();
  // Introspection adds the portal domain and the approver's email; the token answer already has
  // hub_id and scopes since 2025-08-18, so an introspection outage only loses the domain.
  let info: Awaited<ReturnType<HubSpotOAuthClient['introspect']>> | undefined;
  try {
    info = await deps.oauth.introspect(grant.accessToken, 'access_token');
  } catch (err) {
    if (grant.hubId === undefined || grant.scopes === undefined) throw err;
    deps.log.warn({ err }, 'token introspection failed; continuing with the token answer');
  }
  const portalId = grant.hubId ?? info?.hubId;
  const scopes = grant.scopes ?? info?.scopes;
  if (portalId === undefined || scopes === undefined) {
    throw new AppError('hubspot_upstream_error', 'HubSpot did not say which portal approved the app', { cause: new Error('grant without hub_id or scopes') });
  }
  const missing = missingRequiredScopes(scopes);
  if (missing.length > 0) {
    await revokeUnlessHeld(deps, portalId, grant.refreshToken);
    deps.log.warn({ portalId, missing }, 'install refused: required scopes not granted');
    throw new AppError('missing_scope', `HubSpot granted fewer permissions than Switchboard needs (missing: ${missing.join(', ')}). Install again and approve every requested permission.`, {
      details: missing.map((scope) => ({ path: 'scope', message: `${scope} was not granted` })),
    });
  }
  return {
    portalId,
    portalDomain: info?.hubDomain ?? null,
    scopes,
    approvedBy: info?.user || (grant.userId !== undefined ? `user ${grant.userId}` : null),
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    accessExpiresAt: new Date(issuedAt + grant.expiresInSeconds * 1000),
  };
}

/** Revokes a grant at HubSpot unless a live connection holds that portal (HubSpot may have handed back its very refresh token). */
export async function revokeUnlessHeld(deps: InstallsDeps, portalId: number, refreshToken: string): Promise<void> {
  const holder = await deps.connections.findByPortalId(portalId);
  if (!holder || holder.status === 'disconnected') await deps.oauth.revoke(refreshToken).catch((err: unknown) => deps.log.warn({ err }, 'could not revoke an unused grant'));
}

/** The grant's columns of a pending install, tokens sealed. */
export function sealedPending(deps: InstallsDeps, grant: VerifiedGrant): SealedPendingGrant {
  return {
    portal_id: grant.portalId,
    portal_domain: grant.portalDomain,
    scopes: grant.scopes,
    approved_by: grant.approvedBy,
    access_token: deps.cipher.seal(grant.accessToken),
    refresh_token: deps.cipher.seal(grant.refreshToken),
    access_expires_at: grant.accessExpiresAt,
    created_at: new Date(deps.clock.now()),
  };
}

/** The grant of a pending install, tokens opened. */
export function openPending(deps: InstallsDeps, p: PendingInstall): VerifiedGrant {
  return {
    portalId: p.portalId,
    portalDomain: p.portalDomain,
    scopes: p.scopes,
    approvedBy: p.approvedBy,
    accessToken: deps.cipher.open(p.sealedAccessToken),
    refreshToken: deps.cipher.open(p.sealedRefreshToken),
    accessExpiresAt: p.accessExpiresAt,
  };
}
