// Token metadata, introspection and revocation: v1 `GET /oauth/v1/access-tokens/{t}`,
// `GET|DELETE /oauth/v1/refresh-tokens/{t}`, and the form-encoded `POST /oauth/{2026-03|v3}/token/introspect`
// and `/token/revoke`.
import { Router } from 'express';
import { notFound } from '../http/errors.js';
import { lookupToken, requirePortal, revokeRefreshToken, type AccessTokenRecord, type EmulatorState, type RefreshTokenRecord } from '../state.js';
import type { OAuthApp } from './authorize-request.js';
import { assertClient, formBody, formParams } from './token.routes.js';

/**
 * Builds the token-info router (mounted at the root).
 * @param deps the state and the emulated app
 * @returns the router
 */
export function createTokenInfoRouter(deps: { state: EmulatorState; app: OAuthApp }): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const liveRefresh = (token: string) => {
    const record = ctx.data.refreshTokens.get(token);
    return record && !record.revoked ? record : undefined;
  };
  const liveAccess = (token: string) => {
    const found = lookupToken(ctx, token);
    return found.kind === 'oauth' && found.state === 'active' ? found.record : undefined;
  };

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const record = liveAccess(String(req.params.token));
    // A 404 for an expired or revoked token. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-6
    if (!record) throw notFound('The access token does not exist, has expired or was revoked');
    res.locals.portalId = record.portalId;
    res.json(accessTokenInfo(deps, record));
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const record = liveRefresh(String(req.params.token));
    if (!record) throw notFound('The refresh token does not exist or was revoked');
    res.locals.portalId = record.portalId;
    res.json(refreshTokenInfo(deps, record));
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const record = liveRefresh(String(req.params.token));
    if (!record) throw notFound('The refresh token does not exist or was revoked');
    res.locals.portalId = record.portalId;
    revokeRefreshToken(ctx, record.token);
    res.status(204).end();
  });

  router.post(['/oauth/2026-03/token/introspect', '/oauth/v3/token/introspect'], formBody, (req, res) => {
    const params = formParams(req, false);
    assertClient(deps.app, params);
    const token = params.token ?? '';
    const access = liveAccess(token);
    const refresh = liveRefresh(token);
    // token_type_hint only changes which store is searched first; both are searched, as RFC 7662 allows.
    const first = params.token_type_hint === 'refresh_token' ? (refresh ?? access) : (access ?? refresh);
    if (!first) {
      res.json({ active: false });
      return;
    }
    res.locals.portalId = first.portalId;
    res.json('expiresAt' in first ? { active: true, ...accessTokenInfo(deps, first), client_id: deps.app.clientId, token_use: 'access_token' } : { active: true, ...refreshTokenInfo(deps, first), app_id: deps.app.appId, token_use: 'refresh_token' });
  });

  router.post(['/oauth/2026-03/token/revoke', '/oauth/v3/token/revoke'], formBody, (req, res) => {
    const params = formParams(req, false);
    assertClient(deps.app, params);
    const token = params.token ?? '';
    const refresh = liveRefresh(token);
    if (refresh) {
      res.locals.portalId = refresh.portalId;
      revokeRefreshToken(ctx, token);
    }
    const access = ctx.data.accessTokens.get(token);
    if (access) {
      res.locals.portalId = access.portalId;
      access.revoked = true;
    }
    // RFC 7009: an unknown token is not an error. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-6
    res.status(204).end();
  });

  return router;
}

function accessTokenInfo(deps: { state: EmulatorState; app: OAuthApp }, record: AccessTokenRecord): Record<string, unknown> {
  const ctx = deps.state.ctx;
  const portal = requirePortal(ctx, record.portalId);
  const user = ctx.data.users.get(record.userId);
  return {
    token: record.token,
    user: user?.email ?? '',
    hub_domain: portal.domain,
    scopes: record.scopes,
    signed_access_token: {
      expiresAt: record.expiresAt,
      scopes: Buffer.from(record.scopes.join(' ')).toString('base64'),
      hubId: record.portalId,
      userId: record.userId,
      appId: deps.app.appId,
      signature: Buffer.from(record.token.slice(0, 24)).toString('base64'),
      scopeToScopeGroupPks: '',
      newSignature: Buffer.from(record.token.slice(-24)).toString('base64'),
      hublet: portal.dataHostingLocation,
      trialScopes: '',
      trialScopeToScopeGroupPks: '',
      isUserLevel: false,
      isPrivateDistribution: false,
      // Required by the reference's SignedAccessToken (https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide);
      // their values are readings. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-12
      appInstallId: `${deps.app.appId}-${record.portalId}`,
      audience: deps.app.clientId,
      installingUserId: record.userId,
      isServiceAccount: false,
    },
    hub_id: record.portalId,
    app_id: deps.app.appId,
    expires_in: Math.max(0, Math.floor((record.expiresAt - ctx.now()) / 1000)),
    user_id: record.userId,
    token_type: 'access',
    is_private_distribution: false,
  };
}

function refreshTokenInfo(deps: { state: EmulatorState; app: OAuthApp }, record: RefreshTokenRecord): Record<string, unknown> {
  const ctx = deps.state.ctx;
  const portal = requirePortal(ctx, record.portalId);
  return {
    token: record.token,
    user: ctx.data.users.get(record.userId)?.email ?? '',
    hub_domain: portal.domain,
    scopes: record.scopes,
    hub_id: record.portalId,
    client_id: deps.app.clientId,
    user_id: record.userId,
    token_type: 'refresh',
  };
}
