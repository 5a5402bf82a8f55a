// OAuth codes and tokens, private-app tokens, installs and uninstalls (https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide). Decisions only:
// the HTTP layer maps the reasons returned here to HubSpot's error bodies.
import { newAccessToken, newAuthCode, newPrivateAppToken, newRefreshToken } from '../support/ids.js';
import { requirePortal } from './portals.js';
import type { StateContext } from './store.js';
import { bumpCounter } from './telemetry.js';
import type { AccessTokenRecord, AuthCode, PrivateAppToken, RefreshTokenRecord } from './types.js';

/** Outcome of a token grant. */
export type GrantResult =
  | { ok: true; access: AccessTokenRecord; refresh: RefreshTokenRecord }
  | { ok: false; reason: 'BAD_AUTH_CODE' | 'EXPIRED_AUTH_CODE' | 'BAD_REDIRECT_URI' | 'BAD_REFRESH_TOKEN' };

/** What a bearer token turned out to be. */
export type TokenLookup =
  | { kind: 'oauth'; record: AccessTokenRecord; state: 'active' | 'expired' | 'revoked' }
  | { kind: 'private'; record: PrivateAppToken; state: 'active' | 'revoked' }
  | { kind: 'unknown' };

/** Records a consent approval: marks the app installed and issues a code for the redirect. */
export function approveInstall(ctx: StateContext, input: { portalId: number; userId: number; scopes: string[]; redirectUri: string }): AuthCode {
  const portal = requirePortal(ctx, input.portalId);
  portal.installed = true;
  const at = ctx.now();
  ctx.data.installs.push({ portalId: input.portalId, userId: input.userId, scopes: [...input.scopes], at });
  const code: AuthCode = {
    code: newAuthCode(),
    ...input,
    scopes: [...input.scopes],
    createdAt: at,
    expiresAt: at + ctx.settings().codeTtlSeconds * 1000,
    used: false,
  };
  ctx.data.codes.set(code.code, code);
  return code;
}

/**
 * Exchanges a code: single use, expiring, bound to its redirect URI.
 * @param count false for the control API's shortcut install, which is not a backend token exchange
 */
export function exchangeCode(ctx: StateContext, code: string, redirectUri: string, count = true): GrantResult {
  const record = ctx.data.codes.get(code);
  if (!record || record.used) return { ok: false, reason: 'BAD_AUTH_CODE' };
  if (ctx.now() >= record.expiresAt) return { ok: false, reason: 'EXPIRED_AUTH_CODE' };
  if (record.redirectUri !== redirectUri) return { ok: false, reason: 'BAD_REDIRECT_URI' };
  record.used = true;
  const refresh: RefreshTokenRecord = {
    token: newRefreshToken(),
    portalId: record.portalId,
    userId: record.userId,
    scopes: record.scopes,
    createdAt: ctx.now(),
    revoked: false,
  };
  ctx.data.refreshTokens.set(refresh.token, refresh);
  if (count) {
    bumpCounter(ctx, record.portalId, 'tokenExchanges');
    bumpCounter(ctx, record.portalId, 'codeExchanges');
  }
  return { ok: true, access: issueAccessToken(ctx, refresh), refresh };
}

/** Refreshes: the same refresh token comes back unless rotation is on (then the old one dies). */
export function refreshAccessToken(ctx: StateContext, token: string): GrantResult {
  let refresh = ctx.data.refreshTokens.get(token);
  if (!refresh || refresh.revoked) return { ok: false, reason: 'BAD_REFRESH_TOKEN' };
  if (ctx.settings().refreshTokenRotation) {
    refresh.revoked = true;
    refresh = { ...refresh, token: newRefreshToken(), createdAt: ctx.now(), revoked: false };
    ctx.data.refreshTokens.set(refresh.token, refresh);
  }
  bumpCounter(ctx, refresh.portalId, 'tokenExchanges');
  bumpCounter(ctx, refresh.portalId, 'refreshes');
  return { ok: true, access: issueAccessToken(ctx, refresh), refresh };
}

/** Classifies a bearer token. */
export function lookupToken(ctx: StateContext, token: string): TokenLookup {
  const access = ctx.data.accessTokens.get(token);
  if (access) {
    const state = access.revoked ? 'revoked' : ctx.now() >= access.expiresAt ? 'expired' : 'active';
    return { kind: 'oauth', record: access, state };
  }
  const pat = ctx.data.privateAppTokens.get(token);
  if (pat) return { kind: 'private', record: pat, state: pat.revoked ? 'revoked' : 'active' };
  return { kind: 'unknown' };
}

/** Revokes every OAuth access and refresh token of a portal; returns how many were live. */
export function revokePortalTokens(ctx: StateContext, portalId: number): number {
  let count = 0;
  for (const record of [...ctx.data.accessTokens.values(), ...ctx.data.refreshTokens.values()]) {
    if (record.portalId === portalId && !record.revoked) {
      record.revoked = true;
      count += 1;
    }
  }
  return count;
}

/** Makes an access token expire now; false when unknown. */
export function expireAccessToken(ctx: StateContext, token: string): boolean {
  const record = ctx.data.accessTokens.get(token);
  if (!record) return false;
  record.expiresAt = Math.min(record.expiresAt, ctx.now());
  return true;
}

/** Revokes one refresh token (access tokens already issued keep working); false when unknown. */
export function revokeRefreshToken(ctx: StateContext, token: string): boolean {
  const record = ctx.data.refreshTokens.get(token);
  if (!record) return false;
  record.revoked = true;
  return true;
}

/** Uninstalls the app from a portal: all its OAuth tokens die and it gets no more webhooks. */
export function uninstall(ctx: StateContext, portalId: number, via: 'api' | 'control'): void {
  const portal = requirePortal(ctx, portalId);
  revokePortalTokens(ctx, portalId);
  portal.installed = false;
  ctx.data.uninstalls.push({ portalId, at: ctx.now(), via });
}

/** Issues a private-app token for a portal with the chosen scopes. */
export function issuePrivateAppToken(ctx: StateContext, portalId: number, input: { scopes: string[]; name?: string }): PrivateAppToken {
  requirePortal(ctx, portalId);
  const privateAppId = ctx.ids.next('privateApp');
  const record: PrivateAppToken = {
    token: newPrivateAppToken(),
    portalId,
    privateAppId,
    name: input.name ?? `Private app ${privateAppId}`,
    scopes: [...input.scopes],
    createdAt: ctx.now(),
    revoked: false,
  };
  ctx.data.privateAppTokens.set(record.token, record);
  return record;
}

/** Revokes a private-app token; false when unknown. */
export function revokePrivateAppToken(ctx: StateContext, token: string): boolean {
  const record = ctx.data.privateAppTokens.get(token);
  if (!record) return false;
  record.revoked = true;
  return true;
}

function issueAccessToken(ctx: StateContext, refresh: RefreshTokenRecord): AccessTokenRecord {
  const at = ctx.now();
  const record: AccessTokenRecord = {
    token: newAccessToken(),
    portalId: refresh.portalId,
    userId: refresh.userId,
    scopes: refresh.scopes,
    issuedAt: at,
    expiresAt: at + ctx.settings().accessTokenLifetimeSeconds * 1000,
    revoked: false,
    refreshToken: refresh.token,
  };
  ctx.data.accessTokens.set(record.token, record);
  return record;
}
