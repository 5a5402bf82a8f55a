// Handing out a valid access token: read without a lock, and only when the token is due (or HubSpot
// just rejected it) join this process's one refresh under the row lock.
import { inCooldown, isStillUsable, shouldRefresh } from './should-refresh.js';
import { DEAD_REFRESH_REASON, credentialOf, deadError, missingError, timingOf, unavailableError, type Credential, type TokensContext } from './tokens.deps.js';
import { tokensRepository as repo } from './tokens.repository.js';
import { refreshUnderLock, unwrapOutcome } from './refresh-under-lock.js';

/**
 * A valid credential for the organization's HubSpot portal, refreshed first when it expires within
 * the configured margin. Concurrent callers in any number of processes cause one exchange.
 * `rejectedToken`: HubSpot just answered 401 to this token, so refresh it unless another caller
 * already replaced it.
 * @throws AppError install_not_found | reinstall_required | hubspot_unavailable | hubspot_upstream_error
 */
export async function getCredential(ctx: TokensContext, organizationId: string, opts: { rejectedToken?: string } = {}): Promise<Credential> {
  const row = await repo.findTokenByOrganization(ctx.db, organizationId);
  if (!row) throw missingError();
  if (row.invalidatedAt) throw deadError(row.invalidatedReason ?? DEAD_REFRESH_REASON);
  const access = ctx.cipher.open(row.sealedAccessToken);
  if (row.kind === 'private_app') return credentialOf(row, access);
  const now = ctx.clock.now();
  const timing = timingOf(row);
  if (opts.rejectedToken !== undefined) {
    if (opts.rejectedToken !== access) return credentialOf(row, access);
    const rejected = opts.rejectedToken;
    return unwrapOutcome(ctx, await ctx.refreshes(`${organizationId}:rejected`, () => refreshUnderLock(ctx, organizationId, { kind: 'rejected', token: rejected })));
  }
  if (!shouldRefresh(timing, now, ctx.refreshMarginSeconds)) return credentialOf(row, access);
  if (inCooldown(timing, now)) {
    if (isStillUsable(timing, now)) return credentialOf(row, access);
    throw unavailableError(ctx, timing.retryAfter!);
  }
  return unwrapOutcome(ctx, await ctx.refreshes(organizationId, () => refreshUnderLock(ctx, organizationId, { kind: 'due' })));
}
