import { AppError } from '../../platform/errors.js';
import { portalConflict } from './apply-oauth-grant.js';
import { connectionsRepository as repo } from './connections.repository.js';
import { isPortalTaken, recordChange, revokeReplacedGrant, type ConnectionsDeps } from './connections.deps.js';

/** Input of `PUT /api/v1/connection/private-app-token`. */
export interface SetPrivateAppTokenInput {
  organizationId: string;
  token: string;
  /** Required when the token belongs to a different portal than the current connection. */
  confirmPortalChange?: boolean;
  /** Required to replace a working OAuth connection with a Private App token (a rollback). */
  confirmRollback?: boolean;
}

/**
 * The legacy path: stores a Private App token after HubSpot confirms it (and tells us its portal).
 * Closed for OAuth-only organizations. Replacing an OAuth connection is a rollback and must be
 * asked for explicitly; the OAuth grant is then revoked after commit.
 * @throws AppError oauth_only | invalid_body (HubSpot rejects the token) | invalid_transition (confirmation missing) | portal_conflict | hubspot_unavailable
 */
export async function setPrivateAppToken(deps: ConnectionsDeps, input: SetPrivateAppTokenInput): Promise<'connected' | 'token_replaced' | 'rolled_back_to_private_app' | 'portal_changed'> {
  const { organizationId } = input;
  const org = await deps.organizations.findById(organizationId);
  if (!org) throw new AppError('not_found', 'Organization not found');
  if (org.oauthOnly) throw oauthOnlyError();

  const details = await deps.account.getAccountDetails(input.token);
  if (details === 'unauthorized') {
    throw new AppError('invalid_body', 'HubSpot rejected this Private App token', { details: [{ path: 'token', message: 'HubSpot answered 401/403 for this token' }] });
  }
  const portalId = details.portalId;

  let replacedRefreshToken: string | null = null;
  let result: 'connected' | 'token_replaced' | 'rolled_back_to_private_app' | 'portal_changed';
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      // The vault entry before the connection row: the lock order in tokens.ports.ts (ConnectionsPort).
      await deps.tokens.lockEntry(trx, organizationId);
      const current = await repo.lockConnectionByOrganization(trx, organizationId);
      const holder = await repo.findConnectionByPortal(trx, portalId);
      if (holder && holder.organizationId !== organizationId && holder.status !== 'disconnected') throw portalConflict(portalId);
      const live = current && current.status !== 'disconnected' ? current : undefined;
      if (live?.auth === 'oauth' && !input.confirmRollback) {
        throw new AppError('invalid_transition', 'This organization is connected with OAuth. Rolling back to a Private App token must be confirmed.', {
          details: [{ path: 'confirmRollback', message: 'Set to true to replace the OAuth connection with this Private App token' }],
        });
      }
      if (live && live.portalId !== portalId && !input.confirmPortalChange) {
        throw new AppError('invalid_transition', `This token belongs to HubSpot portal ${portalId}, but the organization is connected to portal ${live.portalId}. Switching portals must be confirmed.`, {
          details: [{ path: 'confirmPortalChange', message: 'Set to true to switch this organization to the token\'s portal' }],
        });
      }
      const kind = !live ? 'connected' : live.auth === 'oauth' ? 'rolled_back_to_private_app' : live.portalId !== portalId ? 'portal_changed' : 'token_replaced';

      const previous = await deps.tokens.lockAndOpen(trx, organizationId);
      if (previous?.kind === 'oauth' && previous.refreshToken) replacedRefreshToken = previous.refreshToken;
      await deps.tokens.storePrivateAppToken(trx, organizationId, { portalId, token: input.token });
      const at = new Date(deps.clock.now());
      await repo.upsertConnection(trx, {
        organization_id: organizationId,
        status: 'connected',
        auth: 'private_app',
        portal_id: portalId,
        // Account info gives no portal domain, and Private App scopes cannot be read back: both unknown.
        portal_domain: null,
        scopes: [],
        connected_by: null,
        connected_at: at,
        status_changed_at: live?.status === 'connected' ? live.statusChangedAt : at,
        reauth_reason: null,
        updated_at: at,
      });
      const changed = !live || live.status !== 'connected' || live.auth !== 'private_app' || live.portalId !== portalId;
      await recordChange(deps, trx, {
        organizationId,
        event: kind === 'connected' ? 'private_app_connected' : kind === 'token_replaced' ? 'private_app_token_replaced' : kind,
        auth: 'private_app',
        portalId,
        detail: live && live.portalId !== portalId ? `previous portal ${live.portalId}` : undefined,
        at,
        vendorEvent: changed
          ? {
              organizationId,
              type: 'connection.connected',
              data: {
                portalId: String(portalId),
                auth: 'private_app',
                ...(live && live.portalId !== portalId ? { previousPortalId: String(live.portalId) } : {}),
                ...(live && live.auth !== 'private_app' ? { previousAuth: live.auth } : {}),
              },
            }
          : undefined,
      });
      return kind;
    });
  } catch (err) {
    if (isPortalTaken(err)) throw portalConflict(portalId);
    throw err;
  }
  deps.afterEventsCommitted?.();
  deps.log.info({ organizationId, portalId, result }, 'Private App token stored');
  if (replacedRefreshToken) await revokeReplacedGrant(deps, organizationId, replacedRefreshToken);
  return result;
}

/** The refusal for OAuth-only organizations. */
export function oauthOnlyError(): AppError {
  return new AppError('oauth_only', 'This organization is OAuth-only: connect HubSpot with the install link instead of a Private App token');
}
