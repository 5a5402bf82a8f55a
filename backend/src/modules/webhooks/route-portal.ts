// Routing: an event names a portal; the organization connected to that portal handles it.
import type { ConnectionsPort } from './webhooks.ports.js';

/** Where an event goes: its organization, or why it has none. */
export type Route = { organizationId: string } | { unroutable: string };

/**
 * Routes a portal to its organization.
 * @param deps the connections port
 * @param portalId the portal an event names
 * @returns the organization, or `unroutable` with the reason (unknown or disconnected portal)
 */
export async function routePortal(deps: { connections: ConnectionsPort }, portalId: number): Promise<Route> {
  const connection = await deps.connections.findByPortalId(portalId);
  if (!connection) return { unroutable: 'unknown portal' };
  // Stored and kept for troubleshooting, never retried: a later connection does not replay them.
  if (connection.status === 'disconnected') return { unroutable: 'portal disconnected' };
  return { organizationId: connection.organizationId };
}

/** The organization of a portal, or undefined when it has no usable connection. */
export async function organizationOf(deps: { connections: ConnectionsPort }, portalId: number): Promise<string | undefined> {
  const routed = await routePortal(deps, portalId);
  return 'organizationId' in routed ? routed.organizationId : undefined;
}
