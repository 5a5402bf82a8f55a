// A grant for another portal than the organization's Private App connection waits for the admin's
// confirmation on the connection page, sealed, for a limited time; confirming applies it, cancelling
// revokes it.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { VerifiedGrant } from '../connections/connections.service.js';
import type { Organization } from '../organizations/organizations.service.js';
import { openPending, revokeUnlessHeld, sealedPending } from './install-grants.js';
import { resolveLink } from './install-links.js';
import { INSTALL_TTLS, inSeconds, noAwaitingGrant, nowOf, toPendingView, type InstallsDeps, type PendingInstallView } from './installs.deps.js';
import { installsRepository as repo } from './installs.repository.js';

/** Which awaiting grant the connection page acts on, and through which link. */
export interface PortalChangeInput {
  linkToken: string;
  pendingId: string;
}

/** Keeps the grant as the organization's one grant awaiting confirmation (replacing an older one). */
export async function storeAwaitingConfirmation(deps: InstallsDeps, organizationId: string, grant: VerifiedGrant): Promise<void> {
  await deps.db.transaction().execute((trx) => replaceAwaitingGrant(deps, trx, organizationId, grant));
  deps.log.info({ organizationId, portalId: grant.portalId }, 'grant for another portal awaits confirmation');
}

/** Inside `trx`: drops the organization's grant awaiting confirmation, if any, and stores this one in its place. */
export async function replaceAwaitingGrant(deps: InstallsDeps, trx: Transaction<Database>, organizationId: string, grant: VerifiedGrant): Promise<void> {
  await repo.deleteAwaitingInstallsByOrganization(trx, organizationId);
  await repo.insertPendingInstall(trx, {
    ...sealedPending(deps, grant),
    kind: 'awaiting_confirmation',
    organization_id: organizationId,
    claim_token_hash: null,
    expires_at: inSeconds(deps, INSTALL_TTLS.awaitingConfirmationSeconds),
  });
}

/**
 * Applies a grant that was waiting for confirmation because it switches portals.
 * @throws AppError install_link_invalid | install_not_found | portal_conflict
 */
export async function confirmPortalChange(deps: InstallsDeps, input: PortalChangeInput): Promise<void> {
  const { organization, pendingId } = await findAwaitingForLink(deps, input);
  const pending = await repo.findAwaitingInstallByOrganization(deps.db, organization.id, nowOf(deps));
  if (!pending || pending.id !== pendingId) throw noAwaitingGrant();
  await deps.connections.applyOAuthGrant({
    organizationId: organization.id,
    grant: openPending(deps, pending),
    confirmPortalChange: true,
    onApplied: async (trx) => {
      const still = await repo.lockAwaitingInstall(trx, { id: pendingId, organizationId: organization.id, now: nowOf(deps) });
      if (!still) throw new AppError('install_not_found', 'This HubSpot connection was already confirmed or cancelled.');
      await repo.deletePendingInstall(trx, pendingId);
    },
  });
  deps.log.info({ organizationId: organization.id, portalId: pending.portalId }, 'portal change confirmed');
}

/**
 * Drops a grant awaiting confirmation (and revokes it at HubSpot).
 * @throws AppError install_link_invalid | install_not_found
 */
export async function cancelPortalChange(deps: InstallsDeps, input: PortalChangeInput): Promise<void> {
  const { organization, pendingId } = await findAwaitingForLink(deps, input);
  const refreshToken = await deps.db.transaction().execute(async (trx) => {
    const pending = await repo.lockAwaitingInstall(trx, { id: pendingId, organizationId: organization.id, now: nowOf(deps) });
    if (!pending) return undefined;
    await repo.deletePendingInstall(trx, pendingId);
    return { token: deps.cipher.open(pending.sealedRefreshToken), portalId: pending.portalId };
  });
  if (!refreshToken) throw noAwaitingGrant();
  await revokeUnlessHeld(deps, refreshToken.portalId, refreshToken.token);
  deps.log.info({ organizationId: organization.id }, 'portal change cancelled');
}

/** The organization's grant awaiting confirmation, if any. */
export async function findAwaitingConfirmation(deps: InstallsDeps, organizationId: string): Promise<PendingInstallView | undefined> {
  const p = await repo.findAwaitingInstallByOrganization(deps.db, organizationId, nowOf(deps));
  return p ? toPendingView(p) : undefined;
}

async function findAwaitingForLink(deps: InstallsDeps, input: PortalChangeInput): Promise<{ organization: Organization; pendingId: string }> {
  const { organization } = await resolveLink(deps, input.linkToken);
  if (!/^[0-9a-f-]{36}$/i.test(input.pendingId)) throw noAwaitingGrant();
  return { organization, pendingId: input.pendingId };
}
