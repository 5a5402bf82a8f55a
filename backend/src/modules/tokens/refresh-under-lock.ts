// The cross-process critical section of a refresh: lock the row, re-read (another process may have
// refreshed while we waited), refresh only if still needed, persist the result atomically, then
// commit. HubSpot errors are turned into outcomes so the transaction commits what it learned.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { TokenGrant } from '../../hubspot/oauth-client.js';
import { AppError } from '../../platform/errors.js';
import { cooldownMs, inCooldown, isStillUsable, shouldRefresh, type TokenTiming } from './should-refresh.js';
import {
  DEAD_REFRESH_REASON,
  credentialOf,
  deadError,
  lockedTransaction,
  missingError,
  timingOf,
  unavailableError,
  type Credential,
  type RefreshMode,
  type RefreshOutcome,
  type TokensDeps,
} from './tokens.deps.js';
import { tokensRepository as repo, type StoredToken } from './tokens.repository.js';

export type { RefreshMode, RefreshOutcome };

/**
 * The credential of an outcome.
 * @throws AppError install_not_found | reinstall_required | hubspot_unavailable, or the refresh's own AppError
 */
export function unwrapOutcome(deps: Pick<TokensDeps, 'clock'>, outcome: RefreshOutcome): Credential {
  switch (outcome.kind) {
    case 'token':
    case 'skipped':
      return outcome.credential;
    case 'missing':
      throw missingError();
    case 'dead':
      throw deadError(outcome.reason);
    case 'unavailable':
      if (outcome.error instanceof AppError && outcome.error.code !== 'hubspot_unavailable') throw outcome.error;
      throw unavailableError(deps, outcome.retryAfter, outcome.error);
  }
}

/**
 * Refreshes the organization's OAuth token under its row lock, when `mode` still calls for it after
 * the re-read. A refusal marks the tokens dead and the connection `needs_reauth` in the same
 * transaction; a transient failure sets a cooldown and keeps a still-usable token.
 * @returns the outcome (never throws for HubSpot's answers)
 * @throws AppError hubspot_unavailable when another process holds the lock too long
 */
export async function refreshUnderLock(deps: TokensDeps, organizationId: string, mode: RefreshMode): Promise<RefreshOutcome> {
  const { cipher, clock } = deps;
  let diedNow = false;
  const outcome = await lockedTransaction(deps, async (trx): Promise<RefreshOutcome> => {
    const row = await repo.lockTokenByOrganization(trx, organizationId);
    if (!row) return { kind: 'missing' };
    if (row.invalidatedAt) return { kind: 'dead', reason: row.invalidatedReason ?? DEAD_REFRESH_REASON };
    const access = cipher.open(row.sealedAccessToken);
    if (row.kind === 'private_app') return { kind: 'token', credential: credentialOf(row, access) };
    const now = clock.now();
    const timing = timingOf(row);
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
      const grant = await refreshWithRetries(deps, refreshToken);
      return await storeRefreshed(deps, trx, row, mode, refreshToken, grant);
    } catch (err) {
      if (err instanceof AppError && err.code === 'reinstall_required') {
        diedNow = true;
        return await storeRefused(deps, trx, row, mode, err);
      }
      return storeFailed(deps, trx, row, mode, timing, access, err);
    }
  });
  if (diedNow) deps.afterReauthCommitted?.();
  return outcome;
}

/** One refresh grant with short, bounded retries on transient failures (5xx, 429, network). */
async function refreshWithRetries(deps: TokensDeps, refreshToken: string): Promise<TokenGrant> {
  const retryDelays = deps.retryDelaysMs ?? [250, 750];
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.oauth.refresh(refreshToken);
    } catch (err) {
      const transient = err instanceof AppError && err.code === 'hubspot_unavailable';
      if (!transient || attempt >= retryDelays.length) throw err;
      await new Promise((r) => setTimeout(r, retryDelays[attempt]));
    }
  }
}

async function storeRefreshed(deps: TokensDeps, trx: Transaction<Database>, row: StoredToken, mode: RefreshMode, refreshToken: string, grant: TokenGrant): Promise<RefreshOutcome> {
  const { cipher } = deps;
  const at = deps.clock.now();
  // HubSpot has never documented rotation; persist whatever comes back, in this transaction.
  const rotated = grant.refreshToken !== refreshToken;
  await repo.updateToken(trx, row.organizationId, {
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
  await repo.insertRefresh(trx, { organization_id: row.organizationId, trigger: mode.kind, outcome: 'refreshed', detail: rotated ? 'HubSpot rotated the refresh token' : null, at: new Date(at) });
  deps.log.info({ organizationId: row.organizationId, portalId: row.portalId, rotated, trigger: mode.kind }, 'access token refreshed');
  return { kind: 'token', credential: credentialOf(row, grant.accessToken) };
}

async function storeRefused(deps: TokensDeps, trx: Transaction<Database>, row: StoredToken, mode: RefreshMode, err: AppError): Promise<RefreshOutcome> {
  const at = deps.clock.now();
  const organizationId = row.organizationId;
  // Under the row lock and after the re-read, a refusal is real, not a race with another worker's
  // refresh that already spent this refresh token.
  await repo.updateToken(trx, organizationId, {
    invalidated_at: new Date(at),
    invalidated_reason: DEAD_REFRESH_REASON,
    last_error: DEAD_REFRESH_REASON,
    last_error_at: new Date(at),
    updated_at: new Date(at),
  });
  await repo.insertRefresh(trx, { organization_id: organizationId, trigger: mode.kind, outcome: 'refused', detail: DEAD_REFRESH_REASON, at: new Date(at) });
  await deps.connections.markNeedsReauth(trx, organizationId, DEAD_REFRESH_REASON);
  deps.log.warn({ organizationId, portalId: row.portalId, err }, 'refresh token refused; connection needs re-authorization');
  return { kind: 'dead', reason: DEAD_REFRESH_REASON };
}

async function storeFailed(
  deps: TokensDeps,
  trx: Transaction<Database>,
  row: StoredToken,
  mode: RefreshMode,
  timing: TokenTiming,
  access: string,
  err: unknown,
): Promise<RefreshOutcome> {
  const at = deps.clock.now();
  const failures = row.refreshFailures + 1;
  const retryAfter = at + cooldownMs(failures);
  const message = err instanceof AppError ? err.message : 'Unexpected error while refreshing';
  await repo.updateToken(trx, row.organizationId, {
    refresh_failures: failures,
    retry_after: new Date(retryAfter),
    last_error: `Refresh failed: ${message}`,
    last_error_at: new Date(at),
    updated_at: new Date(at),
  });
  await repo.insertRefresh(trx, { organization_id: row.organizationId, trigger: mode.kind, outcome: 'failed', detail: `${message} (retried later; the connection stays connected)`, at: new Date(at) });
  deps.log.warn({ organizationId: row.organizationId, portalId: row.portalId, failures, err }, 'access token refresh failed; connection stays connected');
  // A transient failure never kills a token that still works.
  if (mode.kind !== 'rejected' && isStillUsable(timing, at)) return { kind: 'token', credential: credentialOf(row, access) };
  return { kind: 'unavailable', error: err, retryAfter };
}
