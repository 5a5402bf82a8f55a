import { AppError } from '../platform/errors.js';
import { upstreamError, type HubSpotHttp, type HubSpotHttpResponse } from './http.js';
import { hubspotErrorSchema, introspectionSchema, tokenResponseSchema, type Introspection } from './hubspot.schemas.js';
import { HUBSPOT_PATHS } from './paths.js';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from './scopes.js';

/**
 * HubSpot OAuth: the authorize URL, the code and refresh grants, introspection and
 * revocation, all on the 2026-03 endpoints. The SDK's `tokensApi` only knows `/oauth/v1/token`, which
 * HubSpot switches off on 2027-02-16, and its `getAuthorizationUrl` ignores `basePath`, so neither is
 * used. The client secret travels only in form bodies, never in URLs or logs.
 */

/** A successful code or refresh grant, in our names. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives (from `expires_in`). */
  expiresInSeconds: number;
  hubId?: number;
  userId?: number;
  scopes?: string[];
}

/** What we learn about a token from introspection. */
export interface TokenInfo {
  active: boolean;
  hubId?: number;
  hubDomain?: string;
  scopes?: string[];
  /** Email of the approving user. */
  user?: string;
  userId?: number;
}

/** HubSpot OAuth operations. */
export interface HubSpotOAuthClient {
  /** Redirect URI registered in `app-hsmeta.json`: `<PUBLIC_BASE_URL>/oauth/callback`. */
  readonly redirectUri: string;
  /**
   * HubSpot's consent page URL for one install attempt; with `portalId`, the account-locked form
   * (`/oauth/{hubId}/authorize`), which skips HubSpot's account picker. A null `state` gives the
   * install URL HubSpot itself would use, whose callback renews the portal's connection, if any
   * (docs/HUBSPOT-ASSUMPTIONS.md#S-15).
   */
  authorizeUrl(state: string | null, opts?: { portalId?: number }): string;
  /**
   * Exchanges an authorization code.
   * @throws AppError install_code_invalid when HubSpot refuses the code (reused, expired, wrong redirect)
   * @throws AppError hubspot_unavailable on 5xx, 429, timeout or network error
   * @throws AppError hubspot_upstream_error on any other refusal
   */
  exchangeCode(code: string): Promise<TokenGrant>;
  /**
   * Runs the refresh grant once (the caller owns retries and locking).
   * @throws AppError reinstall_required when HubSpot says the refresh token is dead (`invalid_grant` / `BAD_REFRESH_TOKEN`)
   * @throws AppError hubspot_unavailable on 5xx, 429, timeout or network error
   * @throws AppError hubspot_upstream_error on any other refusal (e.g. our client credentials are wrong)
   */
  refresh(refreshToken: string): Promise<TokenGrant>;
  /**
   * Introspects an access or refresh token.
   * @throws AppError hubspot_unavailable / hubspot_upstream_error
   */
  introspect(token: string, hint: 'access_token' | 'refresh_token'): Promise<TokenInfo>;
  /**
   * Revokes a refresh token. HubSpot's spec defines no success code, so any 2xx is success; a 4xx
   * means the token is already unknown or dead, which is the outcome we wanted.
   * @throws AppError hubspot_unavailable on 5xx, 429, timeout or network error
   */
  revoke(refreshToken: string): Promise<'revoked' | 'already_invalid'>;
}

const GRANT_TIMEOUT_MS = 5_000;

/** Builds the OAuth client for the configured app. */
export function createHubSpotOAuthClient(deps: {
  http: HubSpotHttp;
  clientId: string;
  clientSecret: string;
  appBaseUrl: string;
  publicBaseUrl: string;
}): HubSpotOAuthClient {
  const redirectUri = `${deps.publicBaseUrl}/oauth/callback`;
  const credentials = { client_id: deps.clientId, client_secret: deps.clientSecret };

  // Short timeout: a refresh runs while holding the token row lock, and other callers wait on it.
  const grant = async (form: Record<string, string>): Promise<HubSpotHttpResponse> =>
    deps.http.request({ method: 'POST', path: HUBSPOT_PATHS.token, form: { ...form, ...credentials }, timeoutMs: GRANT_TIMEOUT_MS });

  const toGrant = (res: HubSpotHttpResponse, what: string): TokenGrant => {
    const parsed = tokenResponseSchema.safeParse(res.body);
    if (!parsed.success) throw new AppError('hubspot_upstream_error', `HubSpot sent an unexpected ${what} answer`, { cause: new Error(`${what}: unexpected token response shape`) });
    const t = parsed.data;
    return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresInSeconds: t.expires_in, hubId: t.hub_id, userId: t.user_id, scopes: t.scopes };
  };

  return Object.freeze({
    redirectUri,
    authorizeUrl(state: string | null, opts: { portalId?: number } = {}): string {
      // Built by hand: spaces as %20, `optional_scope` singular as the SDKs send it.
      const params: [string, string][] = [
        ['client_id', deps.clientId],
        ['redirect_uri', redirectUri],
        ['scope', REQUIRED_SCOPES.join(' ')],
        ['optional_scope', OPTIONAL_SCOPES.join(' ')],
        ...(state === null ? [] : [['state', state] as [string, string]]),
      ];
      // https://developers.hubspot.com/docs/apps/legacy-apps/authentication/working-with-oauth (account-locked path)
      const path = opts.portalId === undefined ? '/oauth/authorize' : `/oauth/${opts.portalId}/authorize`;
      return `${deps.appBaseUrl}${path}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
    },

    async exchangeCode(code: string): Promise<TokenGrant> {
      const res = await grant({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
      if (res.status >= 200 && res.status < 300) return toGrant(res, 'code exchange');
      if (res.status === 400 || res.status === 401) {
        throw new AppError('install_code_invalid', 'HubSpot refused the authorization code (it may have expired or been used already); start the connection again', {
          cause: new Error(`code exchange refused: ${describeOAuthError(res)}`),
        });
      }
      throw upstreamError(res, 'code exchange');
    },

    async refresh(refreshToken: string): Promise<TokenGrant> {
      const res = await grant({ grant_type: 'refresh_token', refresh_token: refreshToken, redirect_uri: redirectUri });
      if (res.status >= 200 && res.status < 300) return toGrant(res, 'refresh');
      if (isDeadRefreshToken(res)) {
        throw new AppError('reinstall_required', 'HubSpot no longer accepts this connection; reconnect HubSpot', { cause: new Error(`refresh refused: ${describeOAuthError(res)}`) });
      }
      throw upstreamError(res, 'refresh');
    },

    async introspect(token: string, hint: 'access_token' | 'refresh_token'): Promise<TokenInfo> {
      const res = await deps.http.request({ method: 'POST', path: HUBSPOT_PATHS.introspect, form: { token, token_type_hint: hint, ...credentials } });
      if (res.status < 200 || res.status >= 300) throw upstreamError(res, 'introspection');
      const parsed = introspectionSchema.safeParse(res.body);
      if (!parsed.success) throw new AppError('hubspot_upstream_error', 'HubSpot sent an unexpected introspection answer', { cause: new Error('introspection: unexpected shape') });
      return toTokenInfo(parsed.data);
    },

    async revoke(refreshToken: string): Promise<'revoked' | 'already_invalid'> {
      const res = await deps.http.request({ method: 'POST', path: HUBSPOT_PATHS.revoke, form: { token: refreshToken, token_type_hint: 'refresh_token', ...credentials } });
      if (res.status >= 200 && res.status < 300) return 'revoked';
      if (res.status >= 400 && res.status < 500 && res.status !== 429) return 'already_invalid';
      throw upstreamError(res, 'revoke');
    },
  });
}

function toTokenInfo(i: Introspection): TokenInfo {
  return { active: i.active, hubId: i.hub_id, hubDomain: i.hub_domain, scopes: i.scopes, user: i.user, userId: i.user_id };
}

/**
 * True when HubSpot says the refresh token is dead: RFC 6749 `invalid_grant`, or the older
 * `status: "BAD_REFRESH_TOKEN"`. Both forms are accepted because HubSpot sends
 * either or both depending on endpoint version. A 5xx or 429 never counts, whatever its body says.
 */
export function isDeadRefreshToken(res: HubSpotHttpResponse): boolean {
  if (res.status < 400 || res.status >= 500 || res.status === 429) return false;
  const body = hubspotErrorSchema.safeParse(res.body);
  if (!body.success) return false;
  return body.data.error === 'invalid_grant' || body.data.status === 'BAD_REFRESH_TOKEN';
}

/** Safe summary of an OAuth error answer for logs (no secrets: HubSpot's bodies carry none). */
function describeOAuthError(res: HubSpotHttpResponse): string {
  const body = hubspotErrorSchema.safeParse(res.body);
  const b = body.success ? body.data : {};
  return `${res.status} ${b.error ?? b.status ?? b.category ?? 'unknown'}${b.correlationId ? ` (correlation id ${b.correlationId})` : ''}`;
}
