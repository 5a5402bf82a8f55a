import express, { Router } from 'express';
import { AppError } from '../../platform/errors.js';
import { parseCookies, serializeCookie } from '../../platform/http/cookies.js';
import { createHtmlErrorHandler, sendPage, setBrowserSecurityHeaders } from '../../platform/http/html-page.js';
import { validate } from '../../platform/http/validate.js';
import type { Logger } from '../../platform/logger.js';
import { connectParamsSchema, connectQuerySchema, pendingFormSchema } from './connect-page.schemas.js';
import type { ConnectPageService } from './connect-page.service.js';
import { renderConnectPage } from './connect-page.view.js';

// Same name and path as set by the OAuth callback for HubSpot-initiated installs.
const CLAIM_COOKIE = 'sb_install_claim';

/**
 * The hosted connection page, reached through an install link (the link token is the credential):
 * `GET /connect/:token`, and the form posts `POST /connect/:token/claim`, `/confirm`, `/cancel`,
 * each answering 303 back to the page.
 */
export function createConnectPageRouter(deps: { connectPage: ConnectPageService; publicBaseUrl: string; log: Logger }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const secure = deps.publicBaseUrl.startsWith('https://');
  const back = (token: string, connected: boolean) => `/connect/${encodeURIComponent(token)}${connected ? '?connected=1' : ''}`;

  router.get('/connect/:token', async function getConnectPage(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const query = validate('query', connectQuerySchema, req.query);
    const claimToken = parseCookies(req.get('cookie'))[CLAIM_COOKIE];
    const model = await deps.connectPage.getConnectPage({ linkToken: token, claimToken, justConnected: query.connected === '1' });
    sendPage(res, 200, `Connect HubSpot – ${model.organizationName}`, renderConnectPage(model, token));
  });

  router.post('/connect/:token/claim', form, async function postConnectClaim(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const claimToken = parseCookies(req.get('cookie'))[CLAIM_COOKIE];
    if (!claimToken) throw new AppError('install_not_found', 'There is no HubSpot installation waiting to be claimed in this browser. Install the app again.');
    const result = await deps.connectPage.claim({ linkToken: token, claimToken });
    setBrowserSecurityHeaders(res);
    res.append('Set-Cookie', serializeCookie(CLAIM_COOKIE, '', { path: '/connect', maxAgeSeconds: 0, secure, sameSite: 'Lax' }));
    res.redirect(303, back(token, result.kind === 'connected'));
  });

  router.post('/connect/:token/confirm', form, async function postConnectConfirm(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', pendingFormSchema, req.body ?? {});
    await deps.connectPage.confirmPortalChange({ linkToken: token, pendingId: body.pending });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, true));
  });

  router.post('/connect/:token/cancel', form, async function postConnectCancel(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', pendingFormSchema, req.body ?? {});
    await deps.connectPage.cancelPortalChange({ linkToken: token, pendingId: body.pending });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, false));
  });

  router.use('/connect', createHtmlErrorHandler(deps.log));
  return router;
}
