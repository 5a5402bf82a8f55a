/**
 * The one way to fail. Services and repositories throw AppError with a code from this closed union;
 * the error middleware (and the job runner) map the code to a status. Adding a code without a status
 * in `statusByCode` fails to compile.
 */
export type ErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_params'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'install_state_invalid'
  | 'install_code_invalid'
  | 'install_link_invalid'
  | 'signature_invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'missing_scope'
  | 'oauth_only'
  | 'not_found'
  | 'install_not_found'
  | 'conflict'
  | 'portal_conflict'
  | 'invalid_transition'
  | 'reinstall_required'
  | 'rate_limited'
  | 'hubspot_upstream_error'
  | 'hubspot_unavailable'
  | 'service_unavailable'
  | 'server_error';

/** HTTP status for each error code; the only place statuses live. */
export const statusByCode: Record<ErrorCode, number> = {
  invalid_body: 400,
  invalid_query: 400,
  invalid_params: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  install_state_invalid: 400,
  install_code_invalid: 400,
  install_link_invalid: 404,
  signature_invalid: 401,
  unauthorized: 401,
  forbidden: 403,
  missing_scope: 403,
  oauth_only: 403,
  not_found: 404,
  install_not_found: 404,
  conflict: 409,
  portal_conflict: 409,
  invalid_transition: 409,
  reinstall_required: 409,
  rate_limited: 429,
  hubspot_upstream_error: 502,
  hubspot_unavailable: 503,
  service_unavailable: 503,
  server_error: 500,
};

/**
 * Whether the same operation, tried again later unchanged, may succeed. Only the error's code
 * decides it (never its HTTP status), so every caller that retries (the job runner, webhook
 * processing, note write-backs, the connection page) draws the same line. Adding a code without
 * deciding here fails to compile.
 *
 * - Retryable: something outside the request is away or busy and will come back: HubSpot answering
 *   429 or 5xx, our rate budget or a refresh lock (`hubspot_unavailable`, 503), our own database
 *   or queue (`service_unavailable`, 503), our inbound limiter (`rate_limited`, 429).
 * - Final: the request itself is refused and an identical retry gets the identical answer: bad
 *   input (400, 413, 415), unknown or missing things (404), authentication and permission (401,
 *   403), and conflicts with stored state (409: already completed, wrong portal, a dead grant that
 *   needs a person to reinstall): a 409 reports stored state, which a retry reads again unchanged.
 * - `hubspot_upstream_error` (502) is final although its status is 5xx: it means HubSpot answered,
 *   and refused the request (a 4xx other than 429) or answered in a shape we cannot read. HubSpot's
 *   outages (429, 5xx) are `hubspot_unavailable` instead (hubspot/http.ts `upstreamError`).
 * - `server_error` (500) thrown on purpose is final: it names a state of our own data or
 *   configuration (a secret sealed with an unknown key, a claimed execution without its answer)
 *   that no retry changes; parking it at once shows it to an operator instead of burning retries.
 * - No code maps to 408 or 504. A timeout code added later belongs with the retryable ones.
 */
const retryableByCode: Record<ErrorCode, boolean> = {
  invalid_body: false,
  invalid_query: false,
  invalid_params: false,
  payload_too_large: false,
  unsupported_media_type: false,
  install_state_invalid: false,
  install_code_invalid: false,
  install_link_invalid: false,
  signature_invalid: false,
  unauthorized: false,
  forbidden: false,
  missing_scope: false,
  oauth_only: false,
  not_found: false,
  install_not_found: false,
  conflict: false,
  portal_conflict: false,
  invalid_transition: false,
  reinstall_required: false,
  rate_limited: true,
  hubspot_upstream_error: false,
  hubspot_unavailable: true,
  service_unavailable: true,
  server_error: false,
};

/** One validation problem, as sent in `error.details`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Options for AppError: client-visible details and a private cause for the log. */
export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  /**
   * When a retry makes sense, the earliest one, in whole seconds. A hint, not a header: the HTTP
   * error middleware turns it into `Retry-After`; a job runner or a domain caller may read it too.
   */
  retryAfterSeconds?: number;
}

/** An expected failure with a stable code; its message is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return statusByCode[this.code];
  }
}

/** True when `err` is an AppError (also across module copies, by shape). */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * True when trying the same operation again later may succeed (see `retryableByCode` for the
 * rule). Anything that is not an AppError is retryable: a dropped connection, a deadlock or a
 * timeout arrives as a plain Error and cannot be told apart from a bug, and the caller's bounded
 * retry schedule parks a real bug after its last attempt.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof AppError ? retryableByCode[err.code] : true;
}
