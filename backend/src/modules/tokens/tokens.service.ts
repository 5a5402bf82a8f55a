import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotAccountClient } from '../../hubspot/account-client.js';
import type { HubSpotOAuthClient, TokenGrant } from '../../hubspot/oauth-client.js';
import type { Clock } from '../../platform/clock.js';
import type { TokenCipher } from '../../platform/crypto/token-cipher.js';
import { AppError } from '../../platform/errors.js';
import type { NewTokenRow } from './tokens.table.js';
import type { Logger } from '../../platform/logger.js';
import { cooldownMs, inCooldown, isStillUsable, shouldRefresh } from './should-refresh.js';
import { createSingleFlight } from './single-flight.js';
import { tokensRepository as repo, type StoredToken, type TokenRefresh } from './tokens.repository.js';

export type { TokenRefresh };

/** A usable credential for HubSpot calls on behalf of an organization. */
export interface Credential {
  token: string;
  kind: 'oauth' | 'private_app';
  portalId: number;
}

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

/** Side effects the vault triggers without knowing who handles them. */
export interface TokenHooks {
  /**
   * Runs inside the transaction that marks an organization's tokens dead, exactly once per death:
   * the connections module moves the connection to `needs_reauth` and records the event.
   */
  onReauthRequired(trx: Transaction<Database>, organizationId: string, reason: string): Promise<void>;
  /** Runs after a transaction in which `onReauthRequired` ran has committed (wakes event pushes). */
  afterCommit?: () => void;
}

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
  /**
   * Like getAccessToken, with the token kind and portal. `rejectedToken`: HubSpot just answered 401
   * to this token, so refresh it unless another caller already replaced it.
   * @throws AppError install_not_found | reinstall_required | hubspot_unavailable | hubspot_upstream_error
   */
  getCredential(organizationId: string, opts?: { rejectedToken?: string }): Promise<Credential>;
  /**
   * Called after HubSpot answered 401 to `rejectedToken`. Checks with HubSpot whether the
   * credential is dead (introspection for OAuth, account info for a Private App token). Dead OAuth
   * tokens are refreshed; a dead refresh or Private App token marks the connection `needs_reauth`.
   * @returns `retryWith` when the call should be retried once with a new token; nothing when the
   *   token is fine (the 401 is about that endpoint)
   * @throws AppError reinstall_required | install_not_found | hubspot_unavailable
   */
  handleUnauthorized(organizationId: string, rejectedToken: string): Promise<{ retryWith?: string }>;
  /**
   * The daily refresh: refreshes an OAuth token not refreshed in the last `minAgeMs`, so idle grants
   * stay alive and dead ones are found early.
   * @throws AppError reinstall_required (marked) | hubspot_unavailable (retry later)
   */
  refreshIfOlderThan(organizationId: string, minAgeMs: number): Promise<'refreshed' | 'skipped'>;
  /** Organizations whose OAuth token was not refreshed in the last `minAgeMs`. */
  listDueForRefresh(minAgeMs: number): Promise<string[]>;
  /** Stores a fresh OAuth grant (replacing whatever the organization had). */
  storeOAuthTokens(trx: Transaction<Database>, organizationId: string, input: { portalId: number; accessToken: string; refreshToken: string; accessExpiresAt: Date }): Promise<void>;
  /** Stores a Private App token (replacing whatever the organization had). */
  storePrivateAppToken(trx: Transaction<Database>, organizationId: string, input: { portalId: number; token: string }): Promise<void>;
  /** Locks and decrypts the organization's tokens inside the caller's transaction (to revoke the old grant on replacement). */
  lockAndOpen(trx: Transaction<Database>, organizationId: string): Promise<OpenedTokens | undefined>;
  /** Decrypts the organization's tokens (no lock). */
  open(organizationId: string): Promise<OpenedTokens | undefined>;
  /** Forgets the organization's tokens. */
  forget(trx: Transaction<Database>, organizationId: string): Promise<void>;
  /**
   * Marks the organization's tokens dead and the connection `needs_reauth` (once).
   * @returns true when this call made the change
   */
  markDead(organizationId: string, reason: string): Promise<boolean>;
  /** Last refresh and last error, for the connection status. */
  getHealth(organizationId: string): Promise<TokenHealth | undefined>;
  /** The organization's latest refresh attempts and how they ended, newest first (connection page troubleshooting). */
  listRecentRefreshes(organizationId: string, limit: number): Promise<TokenRefresh[]>;
}

/** Dependencies of the tokens service. */
export interface TokensServiceDeps {
  db: Db;
  cipher: TokenCipher;
  oauth: Pick<HubSpotOAuthClient, 'refresh' | 'introspect'>;
  account: Pick<HubSpotAccountClient, 'getAccountDetails'>;
  clock: Clock;
  log: Logger;
  refreshMarginSeconds: number;
  hooks: TokenHooks;
  /** Waits between the attempts of one refresh round (default 250 ms then 750 ms: three attempts). */
  retryDelaysMs?: number[];
}

type RefreshOutcome =
  | { kind: 'token'; credential: Credential }
  | { kind: 'missing' }
  | { kind: 'dead'; reason: string }
  | { kind: 'skipped'; credential: Credential }
  | { kind: 'unavailable'; error: unknown; retryAfter: number };

type RefreshMode = { kind: 'due' } | { kind: 'rejected'; token: string } | { kind: 'scheduled'; minAgeMs: number };

const DEAD_REFRESH_REASON = 'HubSpot refused the refresh token (invalid_grant): the app was uninstalled from the portal or its access was revoked';

/** Builds the token vault. */
export function createTokensService(deps: TokensServiceDeps): TokensService {
  const { db, cipher, clock, log } = deps;
  const retryDelays = deps.retryDelaysMs ?? [250, 750];
  const flight = createSingleFlight<RefreshOutcome>();

  const credentialOf = (row: StoredToken, token: string): Credential => ({ token, kind: row.kind, portalId: row.portalId });
  const deadError = (reason: string) => new AppError('reinstall_required', `The HubSpot connection needs to be re-authorized: ${reason}`);
  const unavailableError = (retryAfterMs: number, cause?: unknown) =>
    new AppError('hubspot_unavailable', 'HubSpot cannot refresh the connection right now; try again shortly', {
      cause,
      retryAfterSeconds: (retryAfterMs - clock.now()) / 1000,
    });

  const unwrap = (outcome: RefreshOutcome): Credential => {
    switch (outcome.kind) {
      case 'token':
      case 'skipped':
        return outcome.credential;
      case 'missing':
        throw new AppError('install_not_found', 'This organization has no HubSpot connection');
      case 'dead':
        throw deadError(outcome.reason);
      case 'unavailable':
        if (outcome.error instanceof AppError && outcome.error.code !== 'hubspot_unavailable') throw outcome.error;
        throw unavailableError(outcome.retryAfter, outcome.error);
    }
  };

  /** One refresh grant with short, bounded retries on transient failures (5xx, 429, network). */
  const refreshWithRetries = async (refreshToken: string): Promise<TokenGrant> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.oauth.refresh(refreshToken);
      } catch (err) {
        const transient = err instanceof AppError && err.code === 'hubspot_unavailable';
        if (!transient || attempt >= retryDelays.length) throw err;
        await new Promise((r) => setTimeout(r, retryDelays[attempt]));
      }
    }
  };

  /**
   * Runs `fn` in a transaction; a lock wait longer than the row lock's timeout (another process
   * stuck refreshing) becomes hubspot_unavailable instead of a database error.
   */
  const lockedTransaction = async <T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> => {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if ((err as { code?: unknown }).code === '55P03') {
        throw new AppError('hubspot_unavailable', 'The HubSpot connection is being refreshed; try again shortly', { cause: err, retryAfterSeconds: 5 });
      }
      throw err;
    }
  };

  /**
   * The cross-process critical section: lock the row, re-read (another process may have refreshed
   * while we waited), refresh only if still needed, persist the result atomically, then commit.
   * HubSpot errors are turned into outcomes so the transaction commits what it learned.
   */
  const refreshUnderLock = async (organizationId: string, mode: RefreshMode): Promise<RefreshOutcome> => {
    let diedNow = false;
    const outcome = await lockedTransaction(async (trx): Promise<RefreshOutcome> => {
      const row = await repo.lockTokenByOrganization(trx, organizationId);
      if (!row) return { kind: 'missing' };
      if (row.invalidatedAt) return { kind: 'dead', reason: row.invalidatedReason ?? DEAD_REFRESH_REASON };
      const access = cipher.open(row.sealedAccessToken);
      if (row.kind === 'private_app') return { kind: 'token', credential: credentialOf(row, access) };
      const now = clock.now();
      const timing = { accessExpiresAt: row.accessExpiresAt!.getTime(), retryAfter: row.retryAfter?.getTime() ?? null };
      const needed =
        mode.kind === 'rejected'
          ? access === mode.token
          : mode.kind === 'scheduled'
            ? row.refreshedAt === null || now - row.refreshedAt.getTime() >= mode.minAgeMs
            : shouldRefresh(timing, now, deps.refreshMarginSeconds);
      if (!needed) return { kind: mode.kind === 'scheduled' ? 'skipped' : 'token', credential: credentialOf(row, access) };
      if (mode.kind === 'due' && inCooldown(timing, now)) {
        return isStillUsable(timing, now) ? { kind: 'token', credential: credentialOf(row, access) } : { kind: 'unavailable', error: undefined, retryAfter: timing.retryAfter! };
      }

      const refreshToken = cipher.open(row.sealedRefreshToken!);
      try {
        const grant = await refreshWithRetries(refreshToken);
        const at = clock.now();
        // HubSpot has never documented rotation; persist whatever comes back, in this transaction.
        const rotated = grant.refreshToken !== refreshToken;
        await repo.updateToken(trx, organizationId, {
          access_token: cipher.seal(grant.accessToken),
          ...(rotated ? { refresh_token: cipher.seal(grant.refreshToken) } : {}),
          access_expires_at: new Date(at + grant.expiresInSeconds * 1000),
          refreshed_at: new Date(at),
          refresh_failures: 0,
          retry_after: null,
          last_error: null,
          last_error_at: null,
          updated_at: new Date(at),
        });
        await repo.insertRefresh(trx, { organization_id: organizationId, trigger: mode.kind, outcome: 'refreshed', detail: rotated ? 'HubSpot rotated the refresh token' : null, at: new Date(at) });
        log.info({ organizationId, portalId: row.portalId, rotated, trigger: mode.kind }, 'access token refreshed');
        return { kind: 'token', credential: credentialOf(row, grant.accessToken) };
      } catch (err) {
        const at = clock.now();
        if (err instanceof AppError && err.code === 'reinstall_required') {
          // Under the row lock and after the re-read, a refusal is real, not a race with another
          // worker's refresh (reference §12.1).
          await repo.updateToken(trx, organizationId, {
            invalidated_at: new Date(at),
            invalidated_reason: DEAD_REFRESH_REASON,
            last_error: DEAD_REFRESH_REASON,
            last_error_at: new Date(at),
            updated_at: new Date(at),
          });
          await repo.insertRefresh(trx, { organization_id: organizationId, trigger: mode.kind, outcome: 'refused', detail: DEAD_REFRESH_REASON, at: new Date(at) });
          await deps.hooks.onReauthRequired(trx, organizationId, DEAD_REFRESH_REASON);
          diedNow = true;
          log.warn({ organizationId, portalId: row.portalId, err }, 'refresh token refused; connection needs re-authorization');
          return { kind: 'dead', reason: DEAD_REFRESH_REASON };
        }
        const failures = row.refreshFailures + 1;
        const retryAfter = at + cooldownMs(failures);
        const message = err instanceof AppError ? err.message : 'Unexpected error while refreshing';
        await repo.updateToken(trx, organizationId, {
          refresh_failures: failures,
          retry_after: new Date(retryAfter),
          last_error: `Refresh failed: ${message}`,
          last_error_at: new Date(at),
          updated_at: new Date(at),
        });
        await repo.insertRefresh(trx, { organization_id: organizationId, trigger: mode.kind, outcome: 'failed', detail: `${message} (retried later; the connection stays connected)`, at: new Date(at) });
        log.warn({ organizationId, portalId: row.portalId, failures, err }, 'access token refresh failed; connection stays connected');
        // A transient failure never kills a token that still works.
        if (mode.kind !== 'rejected' && isStillUsable(timing, at)) return { kind: 'token', credential: credentialOf(row, access) };
        return { kind: 'unavailable', error: err, retryAfter };
      }
    });
    if (diedNow) deps.hooks.afterCommit?.();
    return outcome;
  };

  const markDead = async (organizationId: string, reason: string): Promise<boolean> => {
    const changed = await lockedTransaction(async (trx) => {
      const row = await repo.lockTokenByOrganization(trx, organizationId);
      if (!row || row.invalidatedAt) return false;
      const at = new Date(clock.now());
      await repo.updateToken(trx, organizationId, { invalidated_at: at, invalidated_reason: reason, last_error: reason, last_error_at: at, updated_at: at });
      await deps.hooks.onReauthRequired(trx, organizationId, reason);
      log.warn({ organizationId, portalId: row.portalId }, 'HubSpot credential is dead; connection needs re-authorization');
      return true;
    });
    if (changed) deps.hooks.afterCommit?.();
    return changed;
  };

  const getCredential = async (organizationId: string, opts: { rejectedToken?: string } = {}): Promise<Credential> => {
    const row = await repo.findTokenByOrganization(db, organizationId);
    if (!row) throw new AppError('install_not_found', 'This organization has no HubSpot connection');
    if (row.invalidatedAt) throw deadError(row.invalidatedReason ?? DEAD_REFRESH_REASON);
    const access = cipher.open(row.sealedAccessToken);
    if (row.kind === 'private_app') return credentialOf(row, access);
    const now = clock.now();
    const timing = { accessExpiresAt: row.accessExpiresAt!.getTime(), retryAfter: row.retryAfter?.getTime() ?? null };
    if (opts.rejectedToken !== undefined) {
      if (opts.rejectedToken !== access) return credentialOf(row, access);
      return unwrap(await flight(`${organizationId}:rejected`, () => refreshUnderLock(organizationId, { kind: 'rejected', token: opts.rejectedToken! })));
    }
    if (!shouldRefresh(timing, now, deps.refreshMarginSeconds)) return credentialOf(row, access);
    if (inCooldown(timing, now)) {
      if (isStillUsable(timing, now)) return credentialOf(row, access);
      throw unavailableError(timing.retryAfter!);
    }
    return unwrap(await flight(organizationId, () => refreshUnderLock(organizationId, { kind: 'due' })));
  };

  const openRow = (row: StoredToken): OpenedTokens => ({
    kind: row.kind,
    portalId: row.portalId,
    accessToken: cipher.open(row.sealedAccessToken),
    refreshToken: row.sealedRefreshToken ? cipher.open(row.sealedRefreshToken) : null,
    live: row.invalidatedAt === null,
  });

  return Object.freeze<TokensService>({
    getCredential,
    markDead,

    async getAccessToken(organizationId: string) {
      return (await getCredential(organizationId)).token;
    },

    async handleUnauthorized(organizationId: string, rejectedToken: string) {
      const row = await repo.findTokenByOrganization(db, organizationId);
      if (!row) throw new AppError('install_not_found', 'This organization has no HubSpot connection');
      if (row.invalidatedAt) throw deadError(row.invalidatedReason ?? DEAD_REFRESH_REASON);
      const current = cipher.open(row.sealedAccessToken);
      if (current !== rejectedToken) return { retryWith: current };
      if (row.kind === 'private_app') {
        const details = await deps.account.getAccountDetails(rejectedToken);
        if (details !== 'unauthorized') return {};
        const reason = 'HubSpot rejected the Private App token (401): it was deleted or rotated in HubSpot';
        await markDead(organizationId, reason);
        throw deadError(reason);
      }
      // A 401 is "not a valid indicator" on its own (reference §3.4): ask HubSpot about the token.
      const info = await deps.oauth.introspect(rejectedToken, 'access_token');
      if (info.active) return {};
      const fresh = await getCredential(organizationId, { rejectedToken });
      return { retryWith: fresh.token };
    },

    async refreshIfOlderThan(organizationId: string, minAgeMs: number) {
      const outcome = await refreshUnderLock(organizationId, { kind: 'scheduled', minAgeMs });
      if (outcome.kind === 'skipped') return 'skipped' as const;
      unwrap(outcome);
      return 'refreshed' as const;
    },

    async listDueForRefresh(minAgeMs: number) {
      return repo.findOAuthOrganizationsRefreshedBefore(db, new Date(clock.now() - minAgeMs));
    },

    async storeOAuthTokens(trx, organizationId, input) {
      const at = new Date(clock.now());
      await repo.upsertToken(
        trx,
        freshTokenRow(organizationId, input.portalId, at, {
          kind: 'oauth',
          access_token: cipher.seal(input.accessToken),
          refresh_token: cipher.seal(input.refreshToken),
          access_expires_at: input.accessExpiresAt,
          refreshed_at: at,
        }),
      );
    },

    async storePrivateAppToken(trx, organizationId, input) {
      await repo.upsertToken(
        trx,
        freshTokenRow(organizationId, input.portalId, new Date(clock.now()), {
          kind: 'private_app',
          access_token: cipher.seal(input.token),
          refresh_token: null,
          access_expires_at: null,
          refreshed_at: null,
        }),
      );
    },

    async lockAndOpen(trx, organizationId) {
      const row = await repo.lockTokenByOrganization(trx, organizationId);
      return row ? openRow(row) : undefined;
    },

    async open(organizationId: string) {
      const row = await repo.findTokenByOrganization(db, organizationId);
      return row ? openRow(row) : undefined;
    },

    async forget(trx, organizationId) {
      await repo.deleteToken(trx, organizationId);
    },

    async getHealth(organizationId: string) {
      const row = await repo.findTokenByOrganization(db, organizationId);
      if (!row) return undefined;
      return {
        lastRefreshAt: row.refreshedAt,
        lastError: row.lastError && row.lastErrorAt ? { message: row.lastError, at: row.lastErrorAt } : null,
      };
    },

    listRecentRefreshes: (organizationId: string, limit: number) => repo.findRecentRefreshes(db, organizationId, limit),
  });
}

/** A token row for a newly stored credential: failure and invalidation state cleared. */
function freshTokenRow(
  organizationId: string,
  portalId: number,
  at: Date,
  credential: Pick<NewTokenRow, 'kind' | 'access_token' | 'refresh_token' | 'access_expires_at' | 'refreshed_at'>,
): NewTokenRow {
  return {
    organization_id: organizationId,
    portal_id: portalId,
    ...credential,
    refresh_failures: 0,
    retry_after: null,
    last_error: null,
    last_error_at: null,
    invalidated_at: null,
    invalidated_reason: null,
    created_at: at,
    updated_at: at,
  };
}
