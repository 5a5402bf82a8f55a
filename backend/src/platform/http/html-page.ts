import type { ErrorRequestHandler, Response } from 'express';
import { AppError, statusByCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { databaseUnavailable } from '../db-errors.js';
import { fromParserError, setRetryAfter } from './error-middleware.js';

/**
 * Server-rendered pages for the browser flows (connection page, OAuth install and callback). Every
 * interpolated value goes through `escapeHtml`; pages carry a strict CSP, no caching and no referrer
 * (their URLs hold install-link tokens, which must not leak to HubSpot or anyone else in a Referer).
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Headers every browser page and redirect of these flows gets. */
export function setBrowserSecurityHeaders(res: Response): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
  });
}

/** A complete HTML document around already-escaped body HTML. */
export function renderPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
.notice{padding:.75rem 1rem;border-radius:.5rem;margin:1rem 0}
.ok{background:#dcfce7}.warn{background:#fef3c7}.err{background:#fee2e2}
.button{display:inline-block;background:#ff7a59;color:#fff;border:0;padding:.6rem 1.2rem;border-radius:.4rem;text-decoration:none;font-size:1rem;cursor:pointer}
.secondary{background:#e5e7eb;color:#111827}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
</style>
</head>
<body>
${bodyHtml}
</body>
</html>
`;
}

/** Sends an HTML page with the browser security headers. */
export function sendPage(res: Response, status: number, title: string, bodyHtml: string): void {
  setBrowserSecurityHeaders(res);
  res.status(status).type('html').send(renderPage(title, bodyHtml));
}

/**
 * Error handler for routers a person reaches in a browser: when the client prefers HTML, an
 * AppError becomes a page with the same status and its (safe) message; an unknown error a generic
 * page. Anything else goes on to the JSON error funnel. Logged once here, like the funnel does.
 */
export function createHtmlErrorHandler(log: Logger): ErrorRequestHandler {
  return (rawErr, req, res, next) => {
    // Express 5 rejects a malformed percent-escape in a route parameter with a bare URIError
    // (status 400), which the JSON funnel would report as a 500: it is the caller's bad input.
    // Body-reader errors (too large, too many form fields, bad encoding) are the caller's too: they
    // were shown as a 500 page.
    const err: unknown =
      rawErr instanceof URIError ? new AppError('invalid_params', 'Path parameters are invalid', { details: [{ path: 'path', message: 'not valid percent-encoding' }] }) : rawErr instanceof AppError ? rawErr : (fromParserError(rawErr) ?? databaseUnavailable(rawErr) ?? rawErr);
    if (res.headersSent || req.accepts(['json', 'html']) !== 'html') {
      next(err);
      return;
    }
    if (err instanceof AppError) {
      const status = statusByCode[err.code];
      const fields = { code: err.code, status, method: req.method, path: req.path };
      if (status >= 500) log.error({ ...fields, err: err.cause ?? err }, err.message);
      else log.warn(fields, err.message);
      setRetryAfter(res, err);
      const details = err.details?.length ? `<ul>${err.details.map((d) => `<li>${escapeHtml(d.message)}</li>`).join('')}</ul>` : '';
      sendPage(res, status, 'Switchboard', `<h1>Something went wrong</h1><div class="notice err"><p>${escapeHtml(err.message)}</p>${details}</div><p><small>Error code: ${escapeHtml(err.code)}</small></p>`);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    sendPage(res, 500, 'Switchboard', '<h1>Something went wrong</h1><div class="notice err"><p>Internal server error. Please try again.</p></div>');
  };
}
