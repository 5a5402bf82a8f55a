// The vault's dependencies and the helpers its use cases share.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { TokenCipher } from '../../platform/crypto/token-cipher.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { SingleFlight } from './single-flight.js';
import type { StoredToken } from './tokens.repository.js';
import type { AccountPort, ConnectionsPort, OAuthPort } from './tokens.ports.js';

/** Dependencies of the tokens module. */
export interface TokensDeps {
  db: Db;
  cipher: TokenCipher;
  oauth: OAuthPort;
  account: AccountPort;
  clock: Clock;
  log: Logger;
  refreshMarginSeconds: number;
  connections: ConnectionsPort;
  /** Runs after a transaction in which `connections.markNeedsReauth` ran has committed (wakes event pushes). */
  afterReauthCommitted?: () => void;
  /** Waits between the attempts of one refresh round (default 250 ms then 750 ms: three attempts). */
  retryDelaysMs?: number[];
}

/** What the use cases run with: the dependencies plus this process's refreshes in flight. */
export interface TokensContext extends TokensDeps {
  /** One in-flight refresh per key, shared by concurrent callers in this process. */
  refreshes: SingleFlight<RefreshOutcome>;
}

/** A usable credential for HubSpot calls on behalf of an organization. */
export interface Credential {
  token: string;
  kind: 'oauth' | 'private_app';
  portalId: number;
}

/** How one refresh round ended. */
export type RefreshOutcome =
  | { kind: 'token'; credential: Credential }
  | { kind: 'missing' }
  | { kind: 'dead'; reason: string }
  | { kind: 'skipped'; credential: Credential }
  | { kind: 'unavailable'; error: unknown; retryAfter: number };

/**
 * Why a refresh is attempted: the token is due (expires within the margin), HubSpot rejected this
 * very token, or the scheduled refresh keeps an idle grant alive.
 */
export type RefreshMode = { kind: 'due' } | { kind: 'rejected'; token: string } | { kind: 'scheduled'; minAgeMs: number };

/** Why a refresh token is dead when HubSpot refused it. */
export const DEAD_REFRESH_REASON = 'HubSpot refused the refresh token (invalid_grant): the app was uninstalled from the portal or its access was revoked';

/** The credential a stored row stands for, with its opened token. */
export function credentialOf(row: StoredToken, token: string): Credential {
  return { token, kind: row.kind, portalId: row.portalId };
}

/** The expiry and cooldown of a stored OAuth token, as the pure refresh decisions take them. */
export function timingOf(row: StoredToken): { accessExpiresAt: number; retryAfter: number | null } {
  return { accessExpiresAt: row.accessExpiresAt!.getTime(), retryAfter: row.retryAfter?.getTime() ?? null };
}

/** The organization has no tokens. */
export function missingError(): AppError {
  return new AppError('install_not_found', 'This organization has no HubSpot connection');
}

/** HubSpot refused the organization's credential for good. */
export function deadError(reason: string): AppError {
  return new AppError('reinstall_required', `The HubSpot connection needs to be re-authorized: ${reason}`);
}

/** HubSpot cannot refresh right now; callers may retry at `retryAfterMs` (epoch ms). */
export function unavailableError(deps: Pick<TokensDeps, 'clock'>, retryAfterMs: number, cause?: unknown): AppError {
  return new AppError('hubspot_unavailable', 'HubSpot cannot refresh the connection right now; try again shortly', {
    cause,
    retryAfterSeconds: (retryAfterMs - deps.clock.now()) / 1000,
  });
}

/**
 * Runs `fn` in a transaction; a lock wait longer than the row lock's timeout (another process
 * stuck refreshing) becomes hubspot_unavailable instead of a database error.
 */
export async function lockedTransaction<T>(deps: Pick<TokensDeps, 'db'>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction().execute(fn);
  } catch (err) {
    throw busyError(err);
  }
}

/** A lock wait longer than the vault row lock's timeout (55P03) as hubspot_unavailable; any other error as is. */
export function busyError(err: unknown): unknown {
  if ((err as { code?: unknown }).code !== '55P03') return err;
  return new AppError('hubspot_unavailable', 'The HubSpot connection is being refreshed; try again shortly', { cause: err, retryAfterSeconds: 5 });
}
