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

/** One validation problem, as sent in `error.details`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Options for AppError: client-visible details and a private cause for the log. */
export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  /** Extra headers the error middleware should set (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/** An expected failure with a stable code; its message is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
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
