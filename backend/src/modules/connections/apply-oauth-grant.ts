import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { connectionsRepository as repo } from './connections.repository.js';
import { isPortalTaken, recordChange, revokeReplacedGrant, type ConnectionsDeps } from './connections.deps.js';

/** An OAuth grant whose code was exchanged and whose scopes were checked. */
export interface VerifiedGrant {
  portalId: number;
  portalDomain: string | null;
  scopes: string[];
  /** Email (or user id) of the HubSpot user who approved. */
  approvedBy: string | null;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
}

/** Input of applyOAuthGrant. */
export interface ApplyGrantInput {
  organizationId: string;
  grant: VerifiedGrant;
  /** The admin confirmed moving from a Private App on another portal to this grant's portal. */
  confirmPortalChange?: boolean;
  /** Runs in the same transaction once the grant is applied (e.g. to delete the pending install it came from). */
  onApplied?: (trx: Transaction<Database>) => Promise<void>;
}

/** What applying a grant did. */
export type ApplyGrantResult =
  | { result: 'connected' | 'reconnected' | 'migrated_to_oauth' | 'portal_changed' }
  /** The organization runs on a Private App for another portal: nothing was written; ask first. */
  | { result: 'needs_confirmation'; currentPortalId: number };

/**
 * Makes `grant` the organization's connection, in one transaction:
 * - no connection, or disconnected: connect;
 * - OAuth on the same portal (including `needs_reauth`): reconnect with the new tokens;
 * - OAuth on another portal: switch to the approver's portal (one portal per organization);
 * - Private App on the same portal: migrate; the Private App token is retired, history and every
 *   row keyed by the organization stay untouched;
 * - Private App on another portal: only with `confirmPortalChange`, else `needs_confirmation`.
 * The replaced OAuth grant is revoked after commit.
 * @throws AppError portal_conflict when the portal is connected to a different organization
 */
export async function applyOAuthGrant(deps: ConnectionsDeps, input: ApplyGrantInput): Promise<ApplyGrantResult> {
  const { organizationId, grant } = input;
  let replacedRefreshToken: string | null = null;
  let outcome: ApplyGrantResult;
  try {
    outcome = await deps.db.transaction().execute(async (trx): Promise<ApplyGrantResult> => {
      // The vault entry before the connection row: the lock order in tokens.ports.ts (ConnectionsPort).
      await deps.tokens.lockEntry(trx, organizationId);
      const current = await repo.lockConnectionByOrganization(trx, organizationId);
      const holder = await repo.findConnectionByPortal(trx, grant.portalId);
      if (holder && holder.organizationId !== organizationId && holder.status !== 'disconnected') throw portalConflict(grant.portalId);

      const live = current && current.status !== 'disconnected' ? current : undefined;
      if (live?.auth === 'private_app' && live.portalId !== grant.portalId && !input.confirmPortalChange) {
        return { result: 'needs_confirmation', currentPortalId: live.portalId };
      }
      const result: 'connected' | 'reconnected' | 'migrated_to_oauth' | 'portal_changed' = !live
        ? 'connected'
        : live.auth === 'private_app'
          ? 'migrated_to_oauth'
          : live.portalId === grant.portalId
            ? 'reconnected'
            : 'portal_changed';

      const previous = await deps.tokens.lockAndOpen(trx, organizationId);
      if (previous?.kind === 'oauth' && previous.refreshToken && previous.refreshToken !== grant.refreshToken) replacedRefreshToken = previous.refreshToken;
      await deps.tokens.storeOAuthTokens(trx, organizationId, {
        portalId: grant.portalId,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        accessExpiresAt: grant.accessExpiresAt,
      });
      const at = new Date(deps.clock.now());
      await repo.upsertConnection(trx, {
        organization_id: organizationId,
        status: 'connected',
        auth: 'oauth',
        portal_id: grant.portalId,
        portal_domain: grant.portalDomain,
        scopes: grant.scopes,
        connected_by: grant.approvedBy,
        connected_at: at,
        status_changed_at: live?.status === 'connected' ? live.statusChangedAt : at,
        reauth_reason: null,
        updated_at: at,
      });
      if (input.onApplied) await input.onApplied(trx);
      // A plain re-consent of a healthy connection changes nothing a vendor reacts to: no event.
      const changed = !live || live.status !== 'connected' || live.auth !== 'oauth' || live.portalId !== grant.portalId;
      await recordChange(deps, trx, {
        organizationId,
        event: result,
        auth: 'oauth',
        portalId: grant.portalId,
        detail: live && live.portalId !== grant.portalId ? `previous portal ${live.portalId}` : undefined,
        at,
        vendorEvent: changed
          ? {
              organizationId,
              type: 'connection.connected',
              data: {
                portalId: String(grant.portalId),
                auth: 'oauth',
                ...(live && live.portalId !== grant.portalId ? { previousPortalId: String(live.portalId) } : {}),
                ...(live && live.auth !== 'oauth' ? { previousAuth: live.auth } : {}),
              },
            }
          : undefined,
      });
      return { result };
    });
  } catch (err) {
    if (isPortalTaken(err)) throw portalConflict(grant.portalId);
    throw err;
  }
  if (outcome.result !== 'needs_confirmation') {
    deps.afterEventsCommitted?.();
    deps.log.info({ organizationId, portalId: grant.portalId, result: outcome.result }, 'HubSpot connected with OAuth');
    if (replacedRefreshToken) await revokeReplacedGrant(deps, organizationId, replacedRefreshToken);
  }
  return outcome;
}

/** The refusal when a portal belongs to another organization (never silently moved). */
export function portalConflict(portalId: number): AppError {
  return new AppError(
    'portal_conflict',
    `HubSpot portal ${portalId} is already connected to another organization. Disconnect it there first; a portal can belong to only one organization.`,
  );
}
