import { AppError } from '../../platform/errors.js';
import { connectionsRepository as repo } from './connections.repository.js';
import { recordChange, type ConnectionsDeps } from './connections.deps.js';

/** What a disconnect did at HubSpot. */
export interface DisconnectResult {
  /** The OAuth refresh token was revoked (or HubSpot already considered it dead). */
  tokenRevoked: boolean;
  /** The app was removed from the portal with the App Uninstallation API. */
  appUninstalled: boolean;
}

/**
 * Disconnects: optionally uninstalls the app from the portal (needs a live access token), revokes
 * the refresh token, then forgets the tokens and marks the connection `disconnected` in one
 * transaction. HubSpot is called first, so an outage (503) leaves everything as it was and the
 * caller can retry; a dead token is not an outage and does not block the disconnect.
 * A Private App token cannot be revoked through the API; it is only forgotten (the customer deletes
 * the Private App in HubSpot).
 * @throws AppError install_not_found when the organization never connected | hubspot_unavailable
 */
export async function disconnect(deps: ConnectionsDeps, input: { organizationId: string; uninstall: boolean }): Promise<DisconnectResult> {
  const { organizationId } = input;
  const current = await repo.findConnectionByOrganization(deps.db, organizationId);
  if (!current) throw new AppError('install_not_found', 'This organization has no HubSpot connection');
  if (current.status === 'disconnected') return { tokenRevoked: false, appUninstalled: false };

  const stored = await deps.tokens.open(organizationId);
  let tokenRevoked = false;
  let appUninstalled = false;
  if (stored?.kind === 'oauth') {
    if (input.uninstall && stored.live) {
      const accessToken = await liveAccessToken(deps, organizationId);
      if (accessToken) appUninstalled = (await deps.account.uninstallApp(accessToken)) === 'uninstalled';
    }
    if (stored.refreshToken) {
      await deps.oauth.revoke(stored.refreshToken);
      tokenRevoked = true;
    }
  }

  await deps.db.transaction().execute(async (trx) => {
    // The vault entry before the connection row: the lock order in tokens.ports.ts (ConnectionsPort).
    await deps.tokens.lockEntry(trx, organizationId);
    const locked = await repo.lockConnectionByOrganization(trx, organizationId);
    if (!locked || locked.status === 'disconnected') return;
    await deps.tokens.forget(trx, organizationId);
    const at = new Date(deps.clock.now());
    await repo.updateConnectionFrom(trx, organizationId, ['connected', 'needs_reauth'], { status: 'disconnected', status_changed_at: at, reauth_reason: null, updated_at: at });
    await recordChange(deps, trx, {
      organizationId,
      event: 'disconnected',
      auth: locked.auth,
      portalId: locked.portalId,
      detail: [tokenRevoked ? 'refresh token revoked' : null, appUninstalled ? 'app uninstalled' : null].filter(Boolean).join(', ') || undefined,
      at,
      vendorEvent: { organizationId, type: 'connection.disconnected', data: { portalId: String(locked.portalId), auth: locked.auth } },
    });
  });
  deps.afterEventsCommitted?.();
  deps.log.info({ organizationId, portalId: current.portalId, tokenRevoked, appUninstalled }, 'HubSpot disconnected');
  return { tokenRevoked, appUninstalled };
}

// A dead grant cannot uninstall anything (and the app is most likely gone already): skip, not fail.
async function liveAccessToken(deps: ConnectionsDeps, organizationId: string): Promise<string | undefined> {
  try {
    return await deps.tokens.getAccessToken(organizationId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'reinstall_required') return undefined;
    throw err;
  }
}
