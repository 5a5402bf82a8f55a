// Validation of an install URL: client_id, redirect_uri (exact match with a registered
// URL), scope (every required scope, nothing the app does not declare), optional_scope and state.
// Pure: the routes turn a problem into an error page, never a redirect, because the redirect URI
// itself may be what is wrong.

/** The emulated app as the OAuth layer sees it. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  appId: number;
  name: string;
  requiredScopes: string[];
  optionalScopes: string[];
  /** Registered redirect URLs (manifest + extra ones), compared exactly. */
  redirectUrls: string[];
  /** The developer account's API key (`hapikey`), for developer-level endpoints such as custom channel registration. */
  developerApiKey: string;
}

/** A valid install request. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  /** `scope` as given (space-separated in the URL). */
  scopes: string[];
  /** `optional_scope` as given. */
  optionalScopes: string[];
  state?: string;
}

/** Why an install request was refused. */
export interface AuthorizeProblem {
  title: string;
  detail: string;
}

/**
 * Validates install-URL parameters (query of GET or form of POST).
 * @param app the emulated app
 * @param params the raw parameters
 * @returns the request or the problem to show
 */
export function validateAuthorizeRequest(app: OAuthApp, params: Record<string, unknown>): { ok: true; request: AuthorizeRequest } | { ok: false; problem: AuthorizeProblem } {
  const fail = (title: string, detail: string) => ({ ok: false as const, problem: { title, detail } });
  const clientId = single(params.client_id);
  if (!clientId) return fail('Missing client ID', 'The install URL has no client_id parameter.');
  if (clientId !== app.clientId) return fail('Invalid client ID', `No app with client ID ${clientId} exists.`);
  const redirectUri = single(params.redirect_uri);
  if (!redirectUri) return fail('Missing redirect URL', 'The install URL has no redirect_uri parameter.');
  if (!app.redirectUrls.includes(redirectUri)) {
    return fail('Redirect URL mismatch', `The redirect URL ${redirectUri} doesn't match the app's registered redirect URLs (${app.redirectUrls.join(', ')}).`);
  }
  const scopes = splitScopes(single(params.scope));
  const optionalScopes = splitScopes(single(params.optional_scope));
  if (scopes.length === 0) return fail('Missing scopes', 'The install URL has no scope parameter.');
  const missing = app.requiredScopes.filter((s) => !scopes.includes(s));
  if (missing.length > 0) {
    return fail('Scope mismatch', `The install URL's scope parameter is missing scopes the app requires: ${missing.join(', ')}.`);
  }
  const declared = new Set([...app.requiredScopes, ...app.optionalScopes]);
  const unknown = scopes.filter((s) => !declared.has(s));
  if (unknown.length > 0) {
    return fail('Scope mismatch', `The install URL requests scopes the app does not declare: ${unknown.join(', ')}.`);
  }
  const unknownOptional = optionalScopes.filter((s) => !app.optionalScopes.includes(s) && !app.requiredScopes.includes(s));
  if (unknownOptional.length > 0) {
    return fail('Scope mismatch', `The install URL's optional_scope lists scopes the app does not declare as optional: ${unknownOptional.join(', ')}.`);
  }
  const state = single(params.state);
  return { ok: true, request: { clientId, redirectUri, scopes, optionalScopes, ...(state !== undefined && state !== '' ? { state } : {}) } };
}

/** Granted scopes: everything in `scope` plus every optional scope asked for (no tier gating). */
export function grantedScopes(request: AuthorizeRequest): string[] {
  return [...new Set([...request.scopes, ...request.optionalScopes])];
}

// Space-separated; '+' also separates because a form-encoded space arrives as '+' in some clients.
function splitScopes(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/[\s+]+/).filter((s) => s !== ''))];
}

function single(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}
