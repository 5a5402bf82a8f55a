// The one connection change the token vault triggers: HubSpot refused the organization's tokens, so
// the connection needs re-authorization. It only needs the caller's transaction, the clock, a logger
// and the event outbox, so the composition root builds it before the vault and hands it over as a
// plain function: the vault never needs the connections service, which itself needs the vault.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { recordChange, type OnConnectionEvent } from './connections.deps.js';
import { connectionsRepository as repo } from './connections.repository.js';

/** What {@link markNeedsReauth} needs. */
export interface MarkNeedsReauthDeps {
  clock: Clock;
  log: Logger;
  onConnectionEvent: OnConnectionEvent;
}

/**
 * Moves a connected organization to `needs_reauth` with the reason, records the history entry and
 * the `connection.needs_reauth` event, in the caller's transaction; does nothing when the
 * connection is not `connected` (so it happens exactly once).
 * @returns whether the status changed
 */
export async function markNeedsReauth(deps: MarkNeedsReauthDeps, trx: Transaction<Database>, organizationId: string, reason: string): Promise<boolean> {
  const at = new Date(deps.clock.now());
  const changed = await repo.updateConnectionFrom(trx, organizationId, ['connected'], { status: 'needs_reauth', reauth_reason: reason, status_changed_at: at, updated_at: at });
  if (!changed) return false;
  const c = await repo.findConnectionByOrganization(trx, organizationId);
  if (!c) return false;
  await recordChange(deps, trx, {
    organizationId,
    event: 'needs_reauth',
    auth: c.auth,
    portalId: c.portalId,
    detail: reason,
    at,
    vendorEvent: { organizationId, type: 'connection.needs_reauth', data: { portalId: String(c.portalId), auth: c.auth, reason } },
  });
  deps.log.warn({ organizationId, portalId: c.portalId, reason }, 'connection needs re-authorization');
  return true;
}
