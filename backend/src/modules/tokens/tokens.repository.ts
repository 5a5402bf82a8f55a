import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { NewTokenRefreshRow, NewTokenRow, RefreshOutcome, RefreshTrigger, TokenRow, TokenUpdate } from './tokens.table.js';

/** A vault entry as the service sees it. Tokens stay sealed at this layer. */
export interface StoredToken {
  organizationId: string;
  kind: 'oauth' | 'private_app';
  portalId: number;
  sealedAccessToken: Buffer;
  sealedRefreshToken: Buffer | null;
  accessExpiresAt: Date | null;
  refreshedAt: Date | null;
  refreshFailures: number;
  retryAfter: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  invalidatedAt: Date | null;
  invalidatedReason: string | null;
  updatedAt: Date;
}

function rowToStoredToken(row: TokenRow): StoredToken {
  return {
    organizationId: row.organization_id,
    kind: row.kind,
    portalId: row.portal_id,
    sealedAccessToken: row.access_token,
    sealedRefreshToken: row.refresh_token,
    accessExpiresAt: row.access_expires_at,
    refreshedAt: row.refreshed_at,
    refreshFailures: row.refresh_failures,
    retryAfter: row.retry_after,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    invalidatedAt: row.invalidated_at,
    invalidatedReason: row.invalidated_reason,
    updatedAt: row.updated_at,
  };
}

type Executor = Db | Transaction<Database>;

/** The vault entry of an organization (no lock). */
async function findTokenByOrganization(db: Executor, organizationId: string): Promise<StoredToken | undefined> {
  const row = await db.selectFrom('hubspot_tokens').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  return row ? rowToStoredToken(row) : undefined;
}

/**
 * Locks the organization's vault entry for the rest of the transaction (`SELECT … FOR UPDATE`), so
 * only one process refreshes it at a time; the caller re-reads what it got here.
 */
async function lockTokenByOrganization(trx: Transaction<Database>, organizationId: string): Promise<StoredToken | undefined> {
  // Bounded wait: a refresh holds the lock for at most a few HubSpot round trips.
  await sql`set local lock_timeout = '20s'`.execute(trx);
  const row = await trx.selectFrom('hubspot_tokens').selectAll().where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
  return row ? rowToStoredToken(row) : undefined;
}

/** Inserts or replaces the organization's vault entry. */
async function upsertToken(trx: Transaction<Database>, row: NewTokenRow): Promise<void> {
  const { organization_id: _id, created_at: _created, ...rest } = row;
  await trx
    .insertInto('hubspot_tokens')
    .values(row)
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ ...rest }))
    .execute();
}

/** Updates the organization's vault entry. */
async function updateToken(db: Executor, organizationId: string, update: TokenUpdate): Promise<void> {
  await db.updateTable('hubspot_tokens').set(update).where('organization_id', '=', organizationId).execute();
}

/** Deletes the organization's vault entry. */
async function deleteToken(trx: Transaction<Database>, organizationId: string): Promise<void> {
  await trx.deleteFrom('hubspot_tokens').where('organization_id', '=', organizationId).execute();
}

/** Organizations with a live OAuth token not refreshed since `before` (for the daily refresh). */
async function findOAuthOrganizationsRefreshedBefore(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('hubspot_tokens')
    .select('organization_id')
    .where('kind', '=', 'oauth')
    .where('invalidated_at', 'is', null)
    .where((eb) => eb.or([eb('refreshed_at', 'is', null), eb('refreshed_at', '<', before)]))
    .orderBy('organization_id')
    .execute();
  return rows.map((r) => r.organization_id);
}

/** One entry of the refresh log. */
export interface TokenRefresh {
  trigger: RefreshTrigger;
  outcome: RefreshOutcome;
  detail: string | null;
  at: Date;
}

/** Rows of the refresh log kept per organization. */
export const REFRESH_LOG_KEEP = 50;

/** Appends to the refresh log in the refresh's transaction and drops the organization's rows beyond the newest REFRESH_LOG_KEEP. */
async function insertRefresh(trx: Transaction<Database>, row: NewTokenRefreshRow): Promise<void> {
  await trx.insertInto('token_refreshes').values(row).execute();
  await trx
    .deleteFrom('token_refreshes')
    .where('organization_id', '=', row.organization_id)
    .where('id', '<=', (eb) => eb.selectFrom('token_refreshes').select('id').where('organization_id', '=', row.organization_id).orderBy('id', 'desc').offset(REFRESH_LOG_KEEP).limit(1))
    .execute();
}

/** The organization's newest refresh log entries, newest first. */
async function findRecentRefreshes(db: Executor, organizationId: string, limit: number): Promise<TokenRefresh[]> {
  const rows = await db.selectFrom('token_refreshes').select(['trigger', 'outcome', 'detail', 'at']).where('organization_id', '=', organizationId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ trigger: r.trigger, outcome: r.outcome, detail: r.detail, at: r.at }));
}

export const tokensRepository = Object.freeze({
  insertRefresh,
  findRecentRefreshes,
  findTokenByOrganization,
  lockTokenByOrganization,
  upsertToken,
  updateToken,
  deleteToken,
  findOAuthOrganizationsRefreshedBefore,
});
