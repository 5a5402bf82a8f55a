import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { ConnectionAuth, ConnectionHistoryRow, ConnectionRow, ConnectionStatus, ConnectionUpdate, NewConnectionHistoryRow, NewConnectionRow } from './connections.table.js';

/** An organization's connection as the service sees it. */
export interface Connection {
  organizationId: string;
  status: ConnectionStatus;
  auth: ConnectionAuth;
  portalId: number;
  portalDomain: string | null;
  scopes: string[];
  connectedBy: string | null;
  connectedAt: Date;
  statusChangedAt: Date;
  reauthReason: string | null;
  updatedAt: Date;
}

/** One entry of the connection history. */
export interface ConnectionHistoryEntry {
  id: number;
  event: string;
  auth: ConnectionAuth | null;
  portalId: number | null;
  detail: string | null;
  at: Date;
}

function rowToConnection(row: ConnectionRow): Connection {
  return {
    organizationId: row.organization_id,
    status: row.status,
    auth: row.auth,
    portalId: row.portal_id,
    portalDomain: row.portal_domain,
    scopes: row.scopes,
    connectedBy: row.connected_by,
    connectedAt: row.connected_at,
    statusChangedAt: row.status_changed_at,
    reauthReason: row.reauth_reason,
    updatedAt: row.updated_at,
  };
}

function rowToHistoryEntry(row: ConnectionHistoryRow): ConnectionHistoryEntry {
  return { id: row.id, event: row.event, auth: row.auth, portalId: row.portal_id, detail: row.detail, at: row.at };
}

type Executor = Db | Transaction<Database>;

/** The organization's connection (any status). */
async function findConnectionByOrganization(db: Executor, organizationId: string): Promise<Connection | undefined> {
  const row = await db.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  return row ? rowToConnection(row) : undefined;
}

/** Locks the organization's connection row for the rest of the transaction. */
async function lockConnectionByOrganization(trx: Transaction<Database>, organizationId: string): Promise<Connection | undefined> {
  const row = await trx.selectFrom('connections').selectAll().where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
  return row ? rowToConnection(row) : undefined;
}

/** The connection that holds a portal (connected or needs_reauth), else the latest disconnected one. */
async function findConnectionByPortal(db: Executor, portalId: number): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('portal_id', '=', portalId)
    // Live rows first (at most one, by the partial unique index), then the most recently changed.
    .orderBy((eb) => eb.case().when('status', '=', 'disconnected').then(1).else(0).end())
    .orderBy('status_changed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rowToConnection(row) : undefined;
}

/** Inserts or replaces the organization's connection. */
async function upsertConnection(trx: Transaction<Database>, row: NewConnectionRow): Promise<void> {
  const { organization_id: _id, ...rest } = row;
  await trx.insertInto('connections').values(row).onConflict((oc) => oc.column('organization_id').doUpdateSet(rest)).execute();
}

/**
 * Updates the organization's connection when its status is one of `fromStatuses`.
 * @returns whether a row changed (false: it was already elsewhere)
 */
async function updateConnectionFrom(trx: Transaction<Database>, organizationId: string, fromStatuses: ConnectionStatus[], update: ConnectionUpdate): Promise<boolean> {
  const result = await trx.updateTable('connections').set(update).where('organization_id', '=', organizationId).where('status', 'in', fromStatuses).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Appends to the organization's connection history. */
async function insertHistory(trx: Transaction<Database>, row: NewConnectionHistoryRow): Promise<void> {
  await trx.insertInto('connection_history').values(row).execute();
}

/** The organization's connection history, oldest first. */
async function findHistoryByOrganization(db: Executor, organizationId: string): Promise<ConnectionHistoryEntry[]> {
  const rows = await db.selectFrom('connection_history').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
  return rows.map(rowToHistoryEntry);
}

export const connectionsRepository = Object.freeze({
  findConnectionByOrganization,
  lockConnectionByOrganization,
  findConnectionByPortal,
  upsertConnection,
  updateConnectionFrom,
  insertHistory,
  findHistoryByOrganization,
});
