import type { RequestHandler } from 'express';

/**
 * Headers every answer carries. The JSON API and HubSpot's routes serve no active content, so their
 * CSP allows nothing at all, framing included; the server-rendered pages replace it with their own
 * (still `frame-ancestors 'none'`). Nothing the API answers may be cached by a browser or proxy:
 * it is tenant data. HSTS only when the public origin is https (browsers ignore it over http).
 */
export function securityHeaders(opts: { https: boolean }): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    ...(opts.https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
  return function setSecurityHeaders(_req, res, next) {
    res.set(headers);
    next();
  };
}
