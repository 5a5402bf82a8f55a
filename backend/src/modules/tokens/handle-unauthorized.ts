// What to do after HubSpot answered 401. HubSpot's usage guidelines say a 401 is not a valid
// indicator that a new token is needed (https://developers.hubspot.com/docs/api/usage-details), so
// the vault asks HubSpot about the token before it refreshes or gives up on it.
import { getCredential } from './get-credential.js';
import { markDead } from './mark-dead.js';
import { DEAD_REFRESH_REASON, deadError, missingError, type TokensContext } from './tokens.deps.js';
import { tokensRepository as repo } from './tokens.repository.js';

/**
 * Called after HubSpot answered 401 to `rejectedToken`. Checks with HubSpot whether the credential
 * is dead (introspection for OAuth, account info for a Private App token). Dead OAuth tokens are
 * refreshed; a dead refresh or Private App token marks the connection `needs_reauth`.
 * @returns `retryWith` when the call should be retried once with a new token; nothing when the
 *   token is fine (the 401 is about that endpoint)
 * @throws AppError reinstall_required | install_not_found | hubspot_unavailable
 */
export async function handleUnauthorized(ctx: TokensContext, organizationId: string, rejectedToken: string): Promise<{ retryWith?: string }> {
  const row = await repo.findTokenByOrganization(ctx.db, organizationId);
  if (!row) throw missingError();
  if (row.invalidatedAt) throw deadError(row.invalidatedReason ?? DEAD_REFRESH_REASON);
  const current = ctx.cipher.open(row.sealedAccessToken);
  if (current !== rejectedToken) return { retryWith: current };
  if (row.kind === 'private_app') {
    const details = await ctx.account.getAccountDetails(rejectedToken);
    if (details !== 'unauthorized') return {};
    const reason = 'HubSpot rejected the Private App token (401): it was deleted or rotated in HubSpot';
    await markDead(ctx, organizationId, reason);
    throw deadError(reason);
  }
  const info = await ctx.oauth.introspect(rejectedToken, 'access_token');
  if (info.active) return {};
  const fresh = await getCredential(ctx, organizationId, { rejectedToken });
  return { retryWith: fresh.token };
}
