import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotAccountClient } from '../../hubspot/account-client.js';
import type { HubSpotOAuthClient } from '../../hubspot/oauth-client.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { OrganizationsPort, TokensPort } from './connections.ports.js';
import { connectionsRepository as repo } from './connections.repository.js';
import type { ConnectionAuth } from './connections.table.js';
import type { RouteCache } from './route-cache.js';
import type { ConnectionSummary } from './connections.service.js';

/** Vendor event types the connection module emits. */
export type ConnectionEventType = 'connection.connected' | 'connection.needs_reauth' | 'connection.disconnected';

/** A vendor event about a connection status change (written to the events outbox in the same transaction). */
export interface ConnectionEvent {
  organizationId: string;
  type: ConnectionEventType;
  /** Ids as strings (the events outbox convention); no names or emails. */
  data: { portalId: string; auth: ConnectionAuth; reason?: string; previousPortalId?: string; previousAuth?: ConnectionAuth };
}

/** Records a vendor event inside the caller's transaction. */
export type OnConnectionEvent = (trx: Transaction<Database>, event: ConnectionEvent) => Promise<void>;

/** Everything the connection use cases need. */
export interface ConnectionsDeps {
  db: Db;
  tokens: TokensPort;
  oauth: Pick<HubSpotOAuthClient, 'revoke'>;
  account: HubSpotAccountClient;
  organizations: OrganizationsPort;
  clock: Clock;
  log: Logger;
  onConnectionEvent: OnConnectionEvent;
  /** Called after a transaction that recorded vendor events committed (wakes event pushes). */
  afterEventsCommitted?: () => void;
  /** This process's portal → connection cache behind `findByPortalId` (none: every lookup reads the table). */
  routes?: RouteCache<ConnectionSummary>;
}

/** Appends a history entry and, when given, the vendor event, in the caller's transaction. */
export async function recordChange(
  deps: Pick<ConnectionsDeps, 'onConnectionEvent'>,
  trx: Transaction<Database>,
  entry: { organizationId: string; event: string; auth: ConnectionAuth | null; portalId: number | null; detail?: string; at: Date; vendorEvent?: ConnectionEvent },
): Promise<void> {
  await repo.insertHistory(trx, {
    organization_id: entry.organizationId,
    event: entry.event,
    auth: entry.auth,
    portal_id: entry.portalId,
    detail: entry.detail ?? null,
    at: entry.at,
  });
  if (entry.vendorEvent) await deps.onConnectionEvent(trx, entry.vendorEvent);
}

/**
 * Revokes a refresh token we no longer use, after the transaction that replaced it committed. Best
 * effort: the replacement already happened, so a failure is logged, not thrown.
 */
export async function revokeReplacedGrant(deps: Pick<ConnectionsDeps, 'oauth' | 'log'>, organizationId: string, refreshToken: string): Promise<void> {
  try {
    await deps.oauth.revoke(refreshToken);
    deps.log.info({ organizationId }, 'previous HubSpot grant revoked');
  } catch (err) {
    deps.log.warn({ organizationId, err }, 'could not revoke the previous HubSpot grant');
  }
}

/** Postgres unique violation on the one-live-connection-per-portal index. */
export function isPortalTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e?.code === '23505' && e.constraint === 'connections_live_portal_uq';
}
