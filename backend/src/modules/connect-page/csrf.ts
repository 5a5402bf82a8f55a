// CSRF protection of the connection page's forms: a signed double-submit token bound to the link.
//
// The browser holds a random secret in an HttpOnly cookie; each form carries
// HMAC-SHA256(secret, "connect-page:" + link token). A forged cross-site form has neither the secret
// (the cookie is unreadable from another origin) nor, usually, the link token, and a token issued for
// one install link is refused on another. The server keeps no per-form state, so the page can be
// opened in several tabs.
import crypto from 'node:crypto';

/** Cookie holding the browser's CSRF secret (Path=/connect, HttpOnly, SameSite=Lax, Secure on https). */
export const CSRF_COOKIE = 'sb_csrf';
/** Name of the hidden form field carrying the token. */
export const CSRF_FIELD = 'csrf';
/** Lifetime of the secret cookie: a working session on the page. */
export const CSRF_COOKIE_SECONDS = 12 * 3600;

const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new random secret for the cookie (32 bytes, base64url). */
export function newCsrfSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * Whether a cookie value is a secret this module issued (anything else is replaced on the next page load).
 * @param value the cookie value, if any
 * @returns true when it has the secret's shape
 */
export function isCsrfSecret(value: string | undefined): value is string {
  return value !== undefined && SECRET_SHAPE.test(value);
}

/**
 * The form token for a link.
 * @param secret the browser's secret (from the cookie)
 * @param linkToken the install-link token in the page URL
 * @returns base64url HMAC-SHA256
 */
export function csrfTokenFor(secret: string, linkToken: string): string {
  return crypto.createHmac('sha256', secret).update(`connect-page:${linkToken}`, 'utf8').digest('base64url');
}

/**
 * Checks a submitted form token in constant time.
 * @param secret the cookie value, if any
 * @param linkToken the install-link token in the form's URL
 * @param submitted the form field, if any
 * @returns true only when the cookie holds an issued secret and the field is its token for this link
 */
export function csrfTokenValid(secret: string | undefined, linkToken: string, submitted: string | undefined): boolean {
  if (!isCsrfSecret(secret) || typeof submitted !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(secret, linkToken), 'utf8');
  const given = Buffer.from(submitted, 'utf8');
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
