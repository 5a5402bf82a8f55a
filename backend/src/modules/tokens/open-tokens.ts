// Reading the vault back: decrypted tokens for revoking or replacing a grant, and its health for the
// connection status.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { busyError, type TokensDeps } from './tokens.deps.js';
import { tokensRepository as repo, type StoredToken } from './tokens.repository.js';

/** Decrypted vault contents, for revoking or uninstalling (never logged, never returned by the API). */
export interface OpenedTokens {
  kind: 'oauth' | 'private_app';
  portalId: number;
  accessToken: string;
  refreshToken: string | null;
  /** False once HubSpot refused the tokens. */
  live: boolean;
}

/** What the connection status shows about the vault. */
export interface TokenHealth {
  lastRefreshAt: Date | null;
  lastError: { message: string; at: Date } | null;
}

/** Locks and decrypts the organization's tokens inside the caller's transaction (to revoke the old grant on replacement). */
export async function lockAndOpen(deps: TokensDeps, trx: Transaction<Database>, organizationId: string): Promise<OpenedTokens | undefined> {
  const row = await repo.lockTokenByOrganization(trx, organizationId);
  return row ? openRow(deps, row) : undefined;
}

/**
 * Locks the organization's vault entry (if any) for the rest of the caller's transaction, without
 * decrypting it: the first lock of any transaction that also changes the connection row (see
 * `ConnectionsPort` in tokens.ports.ts for the lock order).
 * @throws AppError hubspot_unavailable when a refresh holds the entry longer than the lock timeout
 */
export async function lockEntry(trx: Transaction<Database>, organizationId: string): Promise<void> {
  try {
    await repo.lockTokenByOrganization(trx, organizationId);
  } catch (err) {
    throw busyError(err);
  }
}

/** Decrypts the organization's tokens (no lock). */
export async function openTokens(deps: TokensDeps, organizationId: string): Promise<OpenedTokens | undefined> {
  const row = await repo.findTokenByOrganization(deps.db, organizationId);
  return row ? openRow(deps, row) : undefined;
}

/** Last refresh and last error, for the connection status. */
export async function getHealth(deps: TokensDeps, organizationId: string): Promise<TokenHealth | undefined> {
  const row = await repo.findTokenByOrganization(deps.db, organizationId);
  if (!row) return undefined;
  return {
    lastRefreshAt: row.refreshedAt,
    lastError: row.lastError && row.lastErrorAt ? { message: row.lastError, at: row.lastErrorAt } : null,
  };
}

function openRow(deps: TokensDeps, row: StoredToken): OpenedTokens {
  return {
    kind: row.kind,
    portalId: row.portalId,
    accessToken: deps.cipher.open(row.sealedAccessToken),
    refreshToken: row.sealedRefreshToken ? deps.cipher.open(row.sealedRefreshToken) : null,
    live: row.invalidatedAt === null,
  };
}
