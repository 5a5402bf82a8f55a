// Control routes for accounts and credentials: portals, users, owners, installs, private-app tokens and
// the token knobs (revoke a portal's tokens, expire one access token now).
import { Router } from 'express';
import { notFound } from '../http/errors.js';
import { idParam, parseInput, stringParam } from '../http/validate.js';
import {
  approveInstall,
  createOwner,
  createPortal,
  createUser,
  exchangeCode,
  expireAccessToken,
  issuePrivateAppToken,
  listOwners,
  listUsers,
  requirePortal,
  revokePortalTokens,
  revokePrivateAppToken,
  revokeRefreshToken,
  uninstall,
} from '../state.js';
import type { ControlDeps } from './deps.js';
import { createOwnerSchema, createPortalSchema, createUserSchema, installSchema, privateAppSchema } from './schemas.js';

/**
 * Builds the accounts-and-credentials control router (mounted at `/_emulator`).
 * @param deps control dependencies
 * @returns the router
 */
export function createPortalsControlRouter(deps: ControlDeps): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const portalId = (raw: unknown) => requirePortal(ctx, idParam(raw, 'portalId')).id;

  router.get('/portals', (_req, res) => {
    res.json({ portals: [...ctx.data.portals.values()] });
  });
  router.post('/portals', (req, res) => {
    res.status(201).json(createPortal(ctx, parseInput(createPortalSchema, req.body ?? {})));
  });
  router.get('/portals/:portalId', (req, res) => {
    const id = portalId(req.params.portalId);
    res.json({ portal: requirePortal(ctx, id), users: listUsers(ctx, id), owners: listOwners(ctx, id) });
  });

  router.get('/portals/:portalId/users', (req, res) => {
    res.json({ users: listUsers(ctx, portalId(req.params.portalId)) });
  });
  router.post('/portals/:portalId/users', (req, res) => {
    res.status(201).json(createUser(ctx, portalId(req.params.portalId), parseInput(createUserSchema, req.body ?? {})));
  });
  router.get('/portals/:portalId/owners', (req, res) => {
    const archived = stringParam(req.query.archived) === 'true';
    res.json({ owners: listOwners(ctx, portalId(req.params.portalId), archived) });
  });
  router.post('/portals/:portalId/owners', (req, res) => {
    res.status(201).json(createOwner(ctx, portalId(req.params.portalId), parseInput(createOwnerSchema, req.body ?? {})));
  });

  // A shortcut past the consent page for tests that only need a token set: installs and issues tokens.
  // It does not count as a token exchange (the backend did not make one).
  router.post('/portals/:portalId/install', (req, res) => {
    const id = portalId(req.params.portalId);
    const body = parseInput(installSchema, req.body ?? {});
    const userId = body.userId ?? listUsers(ctx, id).sort((a, b) => a.id - b.id).find((u) => u.superAdmin)?.id;
    if (userId === undefined) throw notFound(`portal ${id} has no user who can install`);
    const scopes = body.scopes ?? [...deps.app.requiredScopes, ...deps.app.optionalScopes];
    const redirectUri = deps.app.redirectUrls[0] ?? 'http://localhost/oauth/callback';
    const code = approveInstall(ctx, { portalId: id, userId, scopes, redirectUri });
    const result = exchangeCode(ctx, code.code, redirectUri, false);
    if (!result.ok) throw new Error(`control install failed: ${result.reason}`);
    res.status(201).json({
      access_token: result.access.token,
      refresh_token: result.refresh.token,
      expires_in: Math.round((result.access.expiresAt - result.access.issuedAt) / 1000),
      token_type: 'bearer',
      hub_id: id,
      user_id: userId,
      scopes,
      token_use: 'access_token',
    });
  });
  router.post('/portals/:portalId/uninstall', (req, res) => {
    uninstall(ctx, portalId(req.params.portalId), 'control');
    res.json({ uninstalled: true });
  });
  router.post('/portals/:portalId/revoke-tokens', (req, res) => {
    res.json({ revoked: revokePortalTokens(ctx, portalId(req.params.portalId)) });
  });
  router.get('/installs', (_req, res) => {
    res.json({ installs: ctx.data.installs });
  });
  router.get('/uninstalls', (_req, res) => {
    res.json({ uninstalls: ctx.data.uninstalls });
  });

  router.get('/portals/:portalId/private-app-tokens', (req, res) => {
    const id = portalId(req.params.portalId);
    res.json({ tokens: [...ctx.data.privateAppTokens.values()].filter((t) => t.portalId === id) });
  });
  router.post('/portals/:portalId/private-app-tokens', (req, res) => {
    res.status(201).json(issuePrivateAppToken(ctx, portalId(req.params.portalId), parseInput(privateAppSchema, req.body ?? {})));
  });
  router.delete('/private-app-tokens/:token', (req, res) => {
    if (!revokePrivateAppToken(ctx, String(req.params.token))) throw notFound('unknown private app token');
    res.json({ revoked: true });
  });

  router.get('/tokens', (req, res) => {
    const filter = stringParam(req.query.portalId);
    const match = (t: { portalId: number }) => filter === undefined || String(t.portalId) === filter;
    res.json({
      accessTokens: [...ctx.data.accessTokens.values()].filter(match),
      refreshTokens: [...ctx.data.refreshTokens.values()].filter(match),
    });
  });
  router.post('/tokens/:token/expire', (req, res) => {
    if (!expireAccessToken(ctx, String(req.params.token))) throw notFound('unknown access token');
    res.json({ expired: true });
  });
  router.post('/tokens/:token/revoke', (req, res) => {
    const token = String(req.params.token);
    const access = ctx.data.accessTokens.get(token);
    if (access) access.revoked = true;
    if (!access && !revokeRefreshToken(ctx, token)) throw notFound('unknown token');
    res.json({ revoked: true });
  });

  return router;
}
