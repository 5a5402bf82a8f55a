import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { AppError, isRetryable, statusByCode } from '../../platform/errors.js';
import { parseCookies, serializeCookie } from '../../platform/http/cookies.js';
import { setRetryAfter } from '../../platform/http/error-middleware.js';
import { createHtmlErrorHandler, setBrowserSecurityHeaders } from '../../platform/http/html-page.js';
import { validate } from '../../platform/http/validate.js';
import type { Logger } from '../../platform/logger.js';
import type { Branding } from '../../config-branding.js';
import { BRAND_CSS_PATH, brandCss, CONNECT_PAGE_ASSETS } from './connect-page.assets.js';
import { connectParamsSchema, connectQuerySchema, disconnectFormSchema, helpdeskFormSchema, pendingFormSchema, privateAppFormSchema, settingsFormSchema } from './connect-page.schemas.js';
import type { ConnectPageModel, ConnectPageNotice, ConnectPageService } from './connect-page.service.js';
import { renderConnectPage, type FormError } from './connect-page.view.js';
import { CSRF_COOKIE, CSRF_COOKIE_SECONDS, CSRF_FIELD, csrfTokenFor, csrfTokenValid, isCsrfSecret, newCsrfSecret } from './csrf.js';
import { BINDING_COOKIE, CLAIM_COOKIE } from '../installs/installs.routes.js';
import { INSTALL_TTLS } from '../installs/installs.service.js';
import { pageUrl } from './view-helpers.js';

/**
 * The page loads only its own stylesheet and script; no inline code, no other origin, no framing.
 * `form-action 'self'`: every form posts to this origin (Connect is a link, not a form).
 */
export const CONNECT_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The CSP with the configured logo's origin allowed as an image source (nothing else changes). */
export function connectPageCsp(branding: Pick<Branding, 'logoUrl'>): string {
  if (!branding.logoUrl) return CONNECT_PAGE_CSP;
  return CONNECT_PAGE_CSP.replace("img-src 'self'", `img-src 'self' ${new URL(branding.logoUrl).origin}`);
}

/** Which form each POST action belongs to, for showing its error next to it. */
const FORM_OF_ACTION: Record<string, FormError['form']> = {
  'private-app': 'private_app',
  settings: 'settings',
  disconnect: 'disconnect',
  confirm: 'pending',
  cancel: 'pending',
  helpdesk: 'helpdesk',
};

/**
 * The hosted connection page, reached through an install link (the link token is the credential and is
 * resolved on every request): `GET /connect/:token` and its forms, each answering 303 back to the page
 * with a one-time notice:
 * `POST /connect/:token/{confirm,cancel}` (pending installs), `/disconnect`, `/private-app`
 * (legacy token, hidden for OAuth-only organizations), `/settings`, `/helpdesk` (the inbox picker);
 * plus `GET /connect-assets/*`.
 * `GET /connect/:token/claim` starts HubSpot's confirmation of a marketplace install waiting in this browser.
 * Every form carries a CSRF token bound to the link and to this browser's secret cookie.
 */
export function createConnectPageRouter(deps: { connectPage: ConnectPageService; publicBaseUrl: string; log: Logger; branding: Branding }): Router {
  const router = Router();
  const csp = connectPageCsp(deps.branding);
  const brandStylesheet = brandCss(deps.branding.accentColor);
  const secure = deps.publicBaseUrl.startsWith('https://');
  const cookieOptions = { path: '/connect', secure, sameSite: 'Lax' as const };
  const back = (token: string, notice?: ConnectPageNotice) => `${pageUrl(token)}${notice === 'connected' ? '?connected=1' : notice ? `?done=${notice}` : ''}`;

  /** Renders the page with a CSRF token for this browser (issuing its secret cookie when needed). */
  const sendConnectPage = (req: Request, res: Response, status: number, model: ConnectPageModel, linkToken: string, formError?: FormError) => {
    let secret = parseCookies(req.get('cookie'))[CSRF_COOKIE];
    if (!isCsrfSecret(secret)) {
      secret = newCsrfSecret();
      res.append('Set-Cookie', serializeCookie(CSRF_COOKIE, secret, { ...cookieOptions, maxAgeSeconds: CSRF_COOKIE_SECONDS }));
    }
    setBrowserSecurityHeaders(res);
    res.set({ 'Content-Security-Policy': csp, 'Cross-Origin-Opener-Policy': 'same-origin' });
    res.status(status).type('html').send(renderConnectPage({ model, form: { linkToken, csrfToken: csrfTokenFor(secret, linkToken) }, formError, brand: deps.branding }));
  };

  /**
   * Form guard: a browser that says the post comes from another site is refused outright; otherwise the
   * CSRF token must match this browser's secret and this link.
   */
  const checkForm: RequestHandler = (req, res, next) => {
    const site = req.get('sec-fetch-site');
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const submitted = typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
    if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !csrfTokenValid(parseCookies(req.get('cookie'))[CSRF_COOKIE], token, submitted)) {
      throw new AppError('forbidden', 'This form has expired or was not sent from the connection page. Reload the page and try again.');
    }
    res.locals.formChecked = true;
    next();
  };
  const form = [express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }), checkForm];

  router.get('/connect-assets/:file', function getConnectPageAsset(req, res) {
    const asset = req.path === BRAND_CSS_PATH ? { type: 'text/css; charset=utf-8', body: brandStylesheet } : CONNECT_PAGE_ASSETS.get(req.path);
    if (!asset) throw new AppError('not_found', 'No such file');
    res.set({ 'Cache-Control': 'public, max-age=3600', 'Cross-Origin-Resource-Policy': 'same-origin' });
    res.type(asset.type).send(asset.body);
  });

  router.get('/connect/:token', async function getConnectPage(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const query = validate('query', connectQuerySchema, req.query);
    const claimToken = parseCookies(req.get('cookie'))[CLAIM_COOKIE];
    const notice: ConnectPageNotice | undefined = query.connected === '1' ? 'connected' : query.done;
    const model = await deps.connectPage.getConnectPage({ linkToken: token, claimToken, notice });
    sendConnectPage(req, res, 200, model, token);
  });

  // A link, not a form (like Connect): it only starts a consent attempt at HubSpot, locked to the
  // waiting install's portal; the callback connects nothing unless HubSpot confirms that very portal.
  router.get('/connect/:token/claim', async function getConnectClaim(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const claimToken = parseCookies(req.get('cookie'))[CLAIM_COOKIE];
    if (!claimToken) throw new AppError('install_not_found', 'There is no HubSpot installation waiting to be claimed in this browser. Install the app again.');
    const { authorizeUrl, bindingCookie } = await deps.connectPage.claim({ linkToken: token, claimToken });
    setBrowserSecurityHeaders(res);
    res.append('Set-Cookie', serializeCookie(BINDING_COOKIE, bindingCookie, { path: '/oauth', maxAgeSeconds: INSTALL_TTLS.stateSeconds, secure, sameSite: 'Lax' }));
    res.redirect(302, authorizeUrl);
  });

  router.post('/connect/:token/confirm', ...form, async function postConnectConfirm(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', pendingFormSchema, req.body);
    await deps.connectPage.confirmPortalChange({ linkToken: token, pendingId: body.pending });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, 'connected'));
  });

  router.post('/connect/:token/cancel', ...form, async function postConnectCancel(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', pendingFormSchema, req.body);
    await deps.connectPage.cancelPortalChange({ linkToken: token, pendingId: body.pending });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, 'portal_kept'));
  });

  router.post('/connect/:token/disconnect', ...form, async function postConnectDisconnect(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', disconnectFormSchema, req.body);
    await deps.connectPage.disconnect({ linkToken: token, uninstall: body.uninstall === 'on' });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, 'disconnected'));
  });

  router.post('/connect/:token/private-app', ...form, async function postConnectPrivateApp(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', privateAppFormSchema, req.body);
    const result = await deps.connectPage.setPrivateAppToken({ linkToken: token, token: body.token, confirmRollback: body.confirmRollback === '1', confirmPortalChange: body.confirmPortalChange === 'on' });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, result === 'rolled_back' ? 'rolled_back' : 'private_app_saved'));
  });

  router.post('/connect/:token/settings', ...form, async function postConnectSettings(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', settingsFormSchema, req.body);
    await deps.connectPage.updateSettings({ linkToken: token, pauseOnOwnerChange: body.pauseOnOwnerChange === 'on' });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, 'settings_saved'));
  });

  router.post('/connect/:token/helpdesk', ...form, async function postConnectHelpdesk(req, res) {
    const { token } = validate('params', connectParamsSchema, req.params);
    const body = validate('body', helpdeskFormSchema, req.body);
    await deps.connectPage.connectHelpdeskInbox({ linkToken: token, inboxId: body.inboxId });
    setBrowserSecurityHeaders(res);
    res.redirect(303, back(token, 'helpdesk_connected'));
  });

  router.use('/connect/:token/:action', showFormError(deps, sendConnectPage));
  router.use(['/connect', '/connect-assets'], createHtmlErrorHandler(deps.log));
  return router;
}

/**
 * A form refused for a reason the admin can act on (HubSpot rejected the token, a confirmation is
 * missing) or that may pass when sent again (`isRetryable`: HubSpot or our database is away for a
 * moment) is shown again on the page, next to that form, with the same status.
 * Refusals of the request itself (CSRF, unknown link) and our own bugs go on to the error page.
 */
function showFormError(
  deps: { connectPage: ConnectPageService; log: Logger },
  send: (req: Request, res: Response, status: number, model: ConnectPageModel, linkToken: string, formError?: FormError) => void,
): ErrorRequestHandler {
  return async function renderFormError(err, req, res, next) {
    const formName = FORM_OF_ACTION[String(req.params.action)];
    const token = typeof req.params.token === 'string' ? req.params.token : undefined;
    const status = err instanceof AppError ? statusByCode[err.code] : 500;
    const shown = err instanceof AppError && (status < 500 || isRetryable(err)) && err.code !== 'install_link_invalid';
    if (req.method !== 'POST' || res.headersSent || res.locals.formChecked !== true || !formName || !token || !shown || req.accepts(['json', 'html']) !== 'html') {
      next(err);
      return;
    }
    let model: ConnectPageModel;
    try {
      model = await deps.connectPage.getConnectPage({ linkToken: token, claimToken: parseCookies(req.get('cookie'))[CLAIM_COOKIE] });
    } catch {
      next(err);
      return;
    }
    deps.log.warn({ code: err.code, status, method: req.method, form: formName }, err.message);
    // zod's generic message says nothing to a person; the field details below do.
    const message = err.message === 'Request body is invalid' ? 'Check the form and try again.' : err.message;
    const details = (err.details ?? []).filter((d) => d.path !== CSRF_FIELD).map((d) => d.message);
    setRetryAfter(res, err);
    send(req, res, status, model, token, { form: formName, message, details, askPortalChange: err.code === 'invalid_transition' && (err.details ?? []).some((d) => d.path === 'confirmPortalChange') });
  };
}
