// Token endpoints: `POST /oauth/v1/token`, `/oauth/v3/token` and
// `/oauth/2026-03/token`, form-encoded, authorization_code and refresh_token grants. v1 also reads query
// parameters, as HubSpot's v1 did; the newer paths read the body only. Errors carry both RFC 6749 and
// HubSpot fields.
import express, { Router, type Request, type Response } from 'express';
import { delay, type Faults, type TokenFaultMode } from '../faults.js';
import { apiError, oauthError, type HttpError } from '../http/errors.js';
import { exchangeCode, refreshAccessToken, type EmulatorState, type GrantResult } from '../state.js';
import type { OAuthApp } from './authorize-request.js';

/** What the token routes need. */
export interface TokenDeps {
  state: EmulatorState;
  app: OAuthApp;
  faults: Faults;
  signal: AbortSignal;
}

/** Form parser shared by the OAuth routes. */
export const formBody = express.urlencoded({ extended: false, limit: '64kb' });

/**
 * Builds the token router (mounted at the root).
 * @param deps state, app, faults and the stop signal
 * @returns the router
 */
export function createTokenRouter(deps: TokenDeps): Router {
  const router = Router();
  router.post(['/oauth/v1/token', '/oauth/v3/token', '/oauth/2026-03/token'], formBody, async (req, res) => {
    const fault = deps.faults.takeTokenFault();
    if (fault && fault.mode !== 'late') return failCall(deps, res, fault);
    const params = formParams(req, req.path.startsWith('/oauth/v1/'));
    const grantType = params.grant_type;
    if (!grantType) throw oauthError(400, 'invalid_request', 'grant_type is required', 'BAD_GRANT_TYPE', 'missing grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw oauthError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported by the emulator`, 'BAD_GRANT_TYPE', `unsupported grant_type ${grantType}`);
    }
    assertClient(deps.app, params);
    let result: GrantResult;
    if (grantType === 'authorization_code') {
      if (!params.code) throw grantError('BAD_AUTH_CODE');
      if (!params.redirect_uri) throw grantError('BAD_REDIRECT_URI');
      result = exchangeCode(deps.state.ctx, params.code, params.redirect_uri);
    } else {
      if (!params.refresh_token) throw grantError('BAD_REFRESH_TOKEN');
      result = refreshAccessToken(deps.state.ctx, params.refresh_token);
    }
    if (!result.ok) throw grantError(result.reason);
    const { access, refresh } = result;
    res.locals.portalId = access.portalId;
    // The grant is made and counted; its answer comes late, or never when the emulator stops.
    if (fault && !(await delay(fault.hangMs, deps.signal))) return;
    res.set('cache-control', 'no-store').json({
      access_token: access.token,
      refresh_token: refresh.token,
      expires_in: Math.round((access.expiresAt - access.issuedAt) / 1000),
      token_type: 'bearer',
      hub_id: access.portalId,
      user_id: access.userId,
      scopes: access.scopes,
      token_use: 'access_token',
    });
  });
  return router;
}

/**
 * Reads OAuth parameters: the form body, plus the query string where HubSpot accepted it (v1).
 * @returns string parameters only
 */
export function formParams(req: Request, includeQuery: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const sources: unknown[] = includeQuery ? [req.query, req.body] : [req.body];
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * Checks client_id and client_secret. HubSpot reports a wrong secret as BAD_CLIENT_ID too.
 * @throws HttpError 400 invalid_client
 */
export function assertClient(app: OAuthApp, params: Record<string, string>): void {
  if (params.client_id !== app.clientId) {
    throw oauthError(400, 'invalid_client', 'The client ID is invalid', 'BAD_CLIENT_ID', 'missing or invalid client id');
  }
  if (params.client_secret !== app.clientSecret) {
    throw oauthError(400, 'invalid_client', 'The client secret is invalid', 'BAD_CLIENT_ID', 'missing or invalid client secret');
  }
}

function grantError(reason: Extract<GrantResult, { ok: false }>['reason']): HttpError {
  switch (reason) {
    case 'BAD_AUTH_CODE':
      return oauthError(400, 'invalid_grant', 'auth code is invalid, expired or already used', 'BAD_AUTH_CODE', 'missing or unknown auth code');
    case 'EXPIRED_AUTH_CODE':
      return oauthError(400, 'invalid_grant', 'auth code is invalid, expired or already used', 'EXPIRED_AUTH_CODE', 'auth code is expired');
    case 'BAD_REDIRECT_URI':
      return oauthError(400, 'invalid_grant', 'redirect_uri does not match the one the code was issued for', 'BAD_REDIRECT_URI', 'redirect_uri mismatch');
    case 'BAD_REFRESH_TOKEN':
      return oauthError(400, 'invalid_grant', 'refresh token is invalid, expired or revoked', 'BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
  }
}

// Answers a call an `error` or `hang` fault fails, without a grant.
async function failCall(deps: TokenDeps, res: Response, fault: { mode: TokenFaultMode; status: number; hangMs: number }): Promise<void> {
  if (fault.mode === 'hang') {
    const elapsed = await delay(fault.hangMs, deps.signal);
    if (!elapsed) return; // stopping: the socket is being destroyed
    res.status(504).json(apiError(504, 'INTERNAL_ERROR', 'gateway timeout').body);
    return;
  }
  res.status(fault.status).json(apiError(fault.status, 'INTERNAL_ERROR', 'internal error').body);
}
