import type { Db } from '../../db/database.js';
import { connectionsRepository as repo } from './connections.repository.js';
import type { ConnectionStatus } from './connections.table.js';

/**
 * The organization's connection status alone, read from its row (`not_connected` when it never
 * connected). Needs only the database, so modules the connections service depends on (note
 * write-backs waiting for a reconnect) can read it without the service.
 */
export async function readConnectionStatus(deps: { db: Db }, organizationId: string): Promise<'not_connected' | ConnectionStatus> {
  const c = await repo.findConnectionByOrganization(deps.db, organizationId);
  return c?.status ?? 'not_connected';
}
