// `GET /oauth/authorize` and `GET /oauth/{hubId}/authorize` render the consent page; the form POSTs back
// to the same path. Approve → redirect to `redirect_uri?code=…&state=…`; Cancel → redirect with
// `error=access_denied` (HubSpot's denial parameters are unconfirmed; Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-1). A bad install URL
// gets an HTML error page and no redirect.
import express, { Router, type Request, type Response } from 'express';
import { approveInstall, findUser, listUsers, type EmulatorState, type Portal, type User } from '../state.js';
import { grantedScopes, validateAuthorizeRequest, type AuthorizeRequest, type OAuthApp } from './authorize-request.js';
import { pageCsp, renderConsentPage, renderErrorPage } from './consent-page.js';

/**
 * Builds the authorize router (mounted at the root).
 * @param deps the state and the emulated app
 * @returns the router
 */
export function createAuthorizeRouter(deps: { state: EmulatorState; app: OAuthApp }): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const paths = ['/oauth/authorize', '/oauth/:hubId/authorize'];

  const fixedPortal = (req: Request): Portal | undefined | 'invalid' => {
    const hubId: unknown = req.params.hubId;
    if (hubId === undefined) return undefined;
    const portal = typeof hubId === 'string' && /^\d+$/.test(hubId) ? ctx.data.portals.get(Number(hubId)) : undefined;
    return portal ?? 'invalid';
  };

  router.get(paths, (req, res) => {
    const checked = validateAuthorizeRequest(deps.app, req.query);
    if (!checked.ok) return sendError(res, checked.problem.title, checked.problem.detail);
    const fixed = fixedPortal(req);
    if (fixed === 'invalid') return sendError(res, 'Account not found', `No account with Hub ID ${String(req.params.hubId)} exists, or you don't have access to it.`);
    const portals = fixed ? [fixed] : [...ctx.data.portals.values()].sort((a, b) => a.id - b.id);
    if (portals.length === 0) return sendError(res, 'No accounts', 'There is no HubSpot account to install the app in.');
    const r = checked.request;
    res
      .status(200)
      .set('content-security-policy', pageCsp)
      .type('html')
      .send(
        renderConsentPage({
          appName: deps.app.name,
          request: r,
          action: req.path,
          portals: portals.map((portal) => ({ portal, installer: defaultInstaller(deps.state, portal.id) })),
          fixedPortal: fixed !== undefined,
          requiredScopes: r.scopes,
          optionalScopes: r.optionalScopes.filter((s) => !r.scopes.includes(s)),
        }),
      );
  });

  router.post(paths, express.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const checked = validateAuthorizeRequest(deps.app, form);
    if (!checked.ok) return sendError(res, checked.problem.title, checked.problem.detail);
    const request = checked.request;
    if (form.action === 'cancel') {
      return redirect(res, request, { error: 'access_denied', error_description: 'The user declined to connect the app.' });
    }
    if (form.action !== 'approve') return sendError(res, 'Invalid form', 'Choose Connect app or Cancel.');
    const fixed = fixedPortal(req);
    if (fixed === 'invalid') return sendError(res, 'Account not found', `No account with Hub ID ${String(req.params.hubId)} exists.`);
    const portalId = fixed?.id ?? Number(form.portal_id);
    if (fixed && form.portal_id !== undefined && String(form.portal_id) !== String(fixed.id)) {
      return sendError(res, 'Account mismatch', 'The chosen account is not the one in the install URL.');
    }
    if (!Number.isSafeInteger(portalId) || !ctx.data.portals.has(portalId)) {
      return sendError(res, 'Choose an account', 'Pick the HubSpot account to connect the app to.');
    }
    const installer = form.user_id !== undefined ? findUser(ctx, portalId, Number(form.user_id)) : defaultInstaller(deps.state, portalId);
    if (!installer) return sendError(res, 'No user', `No such user can install apps in account ${portalId}.`);
    const code = approveInstall(ctx, { portalId, userId: installer.id, scopes: grantedScopes(request), redirectUri: request.redirectUri });
    return redirect(res, request, { code: code.code });
  });

  return router;
}

/** The user who installs when none is chosen: the portal's first super admin, else its first user. */
function defaultInstaller(state: EmulatorState, portalId: number): User | undefined {
  const users = listUsers(state.ctx, portalId).sort((a, b) => a.id - b.id);
  return users.find((u) => u.superAdmin) ?? users[0];
}

function redirect(res: Response, request: AuthorizeRequest, params: Record<string, string>): void {
  const target = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  res.redirect(302, target.toString());
}

function sendError(res: Response, title: string, detail: string): void {
  res.status(400).set('content-security-policy', pageCsp).type('html').send(renderErrorPage(title, detail));
}
