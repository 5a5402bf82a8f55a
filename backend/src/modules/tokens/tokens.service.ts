// The encrypted token vault with refresh that never races (`services.tokens`). Each use case lives in
// its own file; this one lists them.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { getCredential } from './get-credential.js';
import { handleUnauthorized } from './handle-unauthorized.js';
import { markDead } from './mark-dead.js';
import { getHealth, lockAndOpen, lockEntry, openTokens, type OpenedTokens, type TokenHealth } from './open-tokens.js';
import type { RefreshOutcome } from './refresh-under-lock.js';
import { listDueForRefresh, refreshIfOlderThan } from './scheduled-refresh.js';
import { createSingleFlight } from './single-flight.js';
import { storeOAuthTokens, storePrivateAppToken, type StoreOAuthTokensInput } from './store-tokens.js';
import type { Credential, TokensContext, TokensDeps } from './tokens.deps.js';
import { tokensRepository as repo, type TokenRefresh } from './tokens.repository.js';

export type { Credential, OpenedTokens, StoreOAuthTokensInput, TokenHealth, TokenRefresh, TokensDeps };

/** The encrypted token vault with refresh that never races. */
export interface TokensService {
  /**
   * A valid access token for the organization's HubSpot portal, refreshed first when it expires
   * within the configured margin. Concurrent callers in any number of processes cause one exchange.
   * @throws AppError install_not_found when the organization has no tokens
   * @throws AppError reinstall_required when HubSpot refused the connection (connection is `needs_reauth`)
   * @throws AppError hubspot_unavailable when the token expired and HubSpot cannot refresh it right now
   */
  getAccessToken(organizationId: string): Promise<string>;
  /** See {@link getCredential}. */
  getCredential(organizationId: string, opts?: { rejectedToken?: string }): Promise<Credential>;
  /** See {@link handleUnauthorized}. */
  handleUnauthorized(organizationId: string, rejectedToken: string): Promise<{ retryWith?: string }>;
  /** The daily refresh; see {@link refreshIfOlderThan}. */
  refreshIfOlderThan(organizationId: string, minAgeMs: number): Promise<'refreshed' | 'skipped'>;
  /** Organizations whose OAuth token was not refreshed in the last `minAgeMs`. */
  listDueForRefresh(minAgeMs: number): Promise<string[]>;
  /** Stores a fresh OAuth grant (replacing whatever the organization had). */
  storeOAuthTokens(trx: Transaction<Database>, organizationId: string, input: StoreOAuthTokensInput): Promise<void>;
  /** Stores a Private App token (replacing whatever the organization had). */
  storePrivateAppToken(trx: Transaction<Database>, organizationId: string, input: { portalId: number; token: string }): Promise<void>;
  /** Locks and decrypts the organization's tokens inside the caller's transaction (to revoke the old grant on replacement). */
  lockAndOpen(trx: Transaction<Database>, organizationId: string): Promise<OpenedTokens | undefined>;
  /** See {@link lockEntry}. */
  lockEntry(trx: Transaction<Database>, organizationId: string): Promise<void>;
  /** Decrypts the organization's tokens (no lock). */
  open(organizationId: string): Promise<OpenedTokens | undefined>;
  /** Forgets the organization's tokens. */
  forget(trx: Transaction<Database>, organizationId: string): Promise<void>;
  /** See {@link markDead}. */
  markDead(organizationId: string, reason: string): Promise<boolean>;
  /** Last refresh and last error, for the connection status. */
  getHealth(organizationId: string): Promise<TokenHealth | undefined>;
  /** The organization's latest refresh attempts and how they ended, newest first (connection page troubleshooting). */
  listRecentRefreshes(organizationId: string, limit: number): Promise<TokenRefresh[]>;
}

/**
 * Builds the token vault.
 * @param deps database, cipher, clock, logger, HubSpot's token endpoints and the connections port
 * @returns the service
 */
export function createTokensService(deps: TokensDeps): TokensService {
  // This process's refreshes in flight: a burst of callers takes the row lock once.
  const ctx: TokensContext = { ...deps, refreshes: createSingleFlight<RefreshOutcome>() };
  return Object.freeze<TokensService>({
    getAccessToken: async (organizationId) => (await getCredential(ctx, organizationId)).token,
    getCredential: (organizationId, opts) => getCredential(ctx, organizationId, opts),
    handleUnauthorized: (organizationId, rejectedToken) => handleUnauthorized(ctx, organizationId, rejectedToken),
    refreshIfOlderThan: (organizationId, minAgeMs) => refreshIfOlderThan(deps, organizationId, minAgeMs),
    listDueForRefresh: (minAgeMs) => listDueForRefresh(deps, minAgeMs),
    storeOAuthTokens: (trx, organizationId, input) => storeOAuthTokens(deps, trx, organizationId, input),
    storePrivateAppToken: (trx, organizationId, input) => storePrivateAppToken(deps, trx, organizationId, input),
    lockAndOpen: (trx, organizationId) => lockAndOpen(deps, trx, organizationId),
    lockEntry: (trx, organizationId) => lockEntry(trx, organizationId),
    open: (organizationId) => openTokens(deps, organizationId),
    forget: (trx, organizationId) => repo.deleteToken(trx, organizationId),
    markDead: (organizationId, reason) => markDead(deps, organizationId, reason),
    getHealth: (organizationId) => getHealth(deps, organizationId),
    listRecentRefreshes: (organizationId, limit) => repo.findRecentRefreshes(deps.db, organizationId, limit),
  });
}
