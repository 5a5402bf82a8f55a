import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { parseCookies, serializeCookie } from '../../platform/http/cookies.js';
import { createHtmlErrorHandler, escapeHtml, sendPage, setBrowserSecurityHeaders } from '../../platform/http/html-page.js';
import { validate } from '../../platform/http/validate.js';
import type { Logger } from '../../platform/logger.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import { createInstallLinkBodySchema, callbackQuerySchema, installQuerySchema } from './installs.schemas.js';
import { INSTALL_TTLS, type InstallsService } from './installs.service.js';

/** Cookie binding an OAuth attempt to the browser that started it (`<nonce>.<link token>`). */
export const BINDING_COOKIE = 'sb_oauth_binding';
/** Cookie carrying the claim token of a HubSpot-initiated install to the connection page. */
export const CLAIM_COOKIE = 'sb_install_claim';

/**
 * `POST /api/v1/install-links` (organization key) → 201 `{ url, expiresAt }`;
 * `GET /oauth/install?link=` → 302 to HubSpot's consent page;
 * `GET /oauth/callback` → 303 to the connection page (or a page for marketplace installs).
 */
export function createInstallsRouter(deps: { installs: InstallsService; requireOrganization: RequestHandler; publicBaseUrl: string; log: Logger }): Router {
  const router = Router();
  const secure = deps.publicBaseUrl.startsWith('https://');

  router.post('/api/v1/install-links', deps.requireOrganization, jsonBody({ limit: '10kb' }), async function postInstallLink(req, res) {
    const body = validate('body', createInstallLinkBodySchema, req.body ?? {});
    const link = await deps.installs.createInstallLink(currentOrganization(res).id, body);
    res.status(201).json({ url: link.url, expiresAt: link.expiresAt.toISOString() });
  });

  router.get('/oauth/install', async function getOAuthInstall(req, res) {
    const query = validate('query', installQuerySchema, req.query);
    const { authorizeUrl, bindingCookie } = await deps.installs.startInstall(query.link);
    setBrowserSecurityHeaders(res);
    // SameSite=Lax: HubSpot's redirect back is a top-level GET navigation, which carries Lax cookies.
    res.append('Set-Cookie', serializeCookie(BINDING_COOKIE, bindingCookie, { path: '/oauth', maxAgeSeconds: INSTALL_TTLS.stateSeconds, secure, sameSite: 'Lax' }));
    res.redirect(302, authorizeUrl);
  });

  router.get('/oauth/callback', async function getOAuthCallback(req, res) {
    const query = validate('query', callbackQuerySchema, req.query);
    const cookies = parseCookies(req.get('cookie'));
    const outcome = await deps.installs.completeInstall({
      code: query.code,
      state: query.state,
      error: query.error,
      errorDescription: query.error_description,
      bindingCookie: cookies[BINDING_COOKIE],
    });
    setBrowserSecurityHeaders(res);
    if (outcome.kind === 'connected' || outcome.kind === 'needs_confirmation') {
      res.append('Set-Cookie', serializeCookie(BINDING_COOKIE, '', { path: '/oauth', maxAgeSeconds: 0, secure, sameSite: 'Lax' }));
      // A claimed marketplace install is gone; a plain install makes any waiting claim moot too.
      res.append('Set-Cookie', serializeCookie(CLAIM_COOKIE, '', { path: '/connect', maxAgeSeconds: 0, secure, sameSite: 'Lax' }));
      const suffix = outcome.kind === 'connected' ? '?connected=1' : '';
      res.redirect(303, `/connect/${encodeURIComponent(outcome.linkToken)}${suffix}`);
      return;
    }
    if (outcome.kind === 'reconnected') {
      sendPage(res, 200, 'HubSpot connected', `<h1>HubSpot connected</h1><div class="notice ok"><p>HubSpot portal ${escapeHtml(outcome.portalId)} is connected again for ${escapeHtml(outcome.organizationName)}. You can close this page.</p></div>`);
      return;
    }
    res.append('Set-Cookie', serializeCookie(CLAIM_COOKIE, outcome.claimToken, { path: '/connect', maxAgeSeconds: INSTALL_TTLS.unclaimedSeconds, secure, sameSite: 'Lax' }));
    sendPage(
      res,
      200,
      'Finish connecting HubSpot',
      `<h1>Almost there</h1><div class="notice warn"><p>HubSpot reports that Switchboard was installed in portal ${escapeHtml(outcome.portalId)}${
        outcome.portalDomain ? ` (domain as reported by HubSpot: ${escapeHtml(outcome.portalDomain)})` : ''
      }.</p>
<p>To finish, open the connection link your provider sent you, in this browser, within 24 hours; HubSpot will ask you to confirm the portal. If you did not just install Switchboard from HubSpot, close this page: nothing is connected.</p></div>`,
    );
  });

  router.use('/oauth', createHtmlErrorHandler(deps.log));
  return router;
}
