// HubSpot's error bodies. API errors use `{ status: 'error', message, correlationId, category, ... }`
// (https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses);
// OAuth token errors carry both RFC 6749 `error`/`error_description` and HubSpot's
// `status`/`message`. Handlers throw `HttpError`; one middleware writes it, so every failure has the
// same shape and bad input never escapes as an unhandled 500.
import type { ErrorRequestHandler } from 'express';
import { newCorrelationId } from '../support/ids.js';

/** An HTTP answer to send as-is: status and JSON body. */
export class HttpError extends Error {
  /** @param status HTTP status @param body JSON body @param headers extra response headers */
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/** HubSpot API error categories the emulator emits. */
export type ErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'MISSING_SCOPES'
  | 'CONFLICT'
  | 'RATE_LIMITS'
  | 'INTERNAL_ERROR';

/**
 * Builds a HubSpot API error.
 * @param status HTTP status
 * @param category HubSpot `category`
 * @param message human-readable message
 * @param extra more fields (`errors`, `context`, `links`, `subCategory`)
 * @returns the error to throw
 */
export function apiError(
  status: number,
  category: ErrorCategory,
  message: string,
  extra: Record<string, unknown> = {},
): HttpError {
  return new HttpError(status, { status: 'error', message, correlationId: newCorrelationId(), category, ...extra });
}

/** A 400 VALIDATION_ERROR. */
export function validationError(message: string, extra: Record<string, unknown> = {}): HttpError {
  return apiError(400, 'VALIDATION_ERROR', message, extra);
}

/** A 404 OBJECT_NOT_FOUND. */
export function notFound(message: string, extra: Record<string, unknown> = {}): HttpError {
  return apiError(404, 'OBJECT_NOT_FOUND', message, extra);
}

/**
 * Builds an OAuth error in HubSpot's combined form (https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses).
 * @param status HTTP status (HubSpot answers 400 for every token error)
 * @param error RFC 6749 error code
 * @param errorDescription RFC 6749 description
 * @param hubspotStatus HubSpot's `status`, e.g. `BAD_AUTH_CODE`
 * @param message HubSpot's `message`
 * @returns the error to throw
 */
export function oauthError(
  status: number,
  error: string,
  errorDescription: string,
  hubspotStatus: string,
  message: string,
): HttpError {
  return new HttpError(status, {
    error,
    error_description: errorDescription,
    status: hubspotStatus,
    message,
    correlationId: newCorrelationId(),
  });
}

/**
 * Express error middleware: writes HttpError, turns body-parser failures into a HubSpot 400 and
 * anything else into a logged HubSpot 500.
 * @param warn where unexpected errors are reported
 * @returns the middleware
 */
export function createErrorMiddleware(warn: (message: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      res.status(err.status).set(err.headers).json(err.body);
      return;
    }
    const parserType = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    if (typeof parserType === 'string' && parserType.startsWith('entity.')) {
      const status = parserType === 'entity.too.large' ? 413 : 400;
      const message = parserType === 'entity.parse.failed' ? 'Invalid input JSON: could not parse the request body' : `Invalid request body (${parserType})`;
      res.status(status).json(apiError(status, 'VALIDATION_ERROR', message).body);
      return;
    }
    warn(`[emulator] unexpected error on ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res.status(500).json(apiError(500, 'INTERNAL_ERROR', 'internal error').body);
  };
}
