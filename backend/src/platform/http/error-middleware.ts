import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { databaseUnavailable } from '../db-errors.js';
import { AppError, statusByCode, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { INVALID_UTF8_TYPE } from './json-body.js';

/** Wire shape of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: { path: string; message: string }[] };
}

/** Builds the standard error body for an AppError. */
export function presentError(err: AppError): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details && err.details.length > 0 ? { details: err.details } : {}),
    },
  };
}

// body-parser and raw-body raise errors with a `type`; they are the caller's fault, not ours.
// Exported for the HTML error handler of the browser routes, which must map them the same way.
export function fromParserError(err: unknown): AppError | undefined {
  // Express 5 decodes route parameters and throws a bare URIError on a malformed escape (`/x/%E0%A4%A`).
  if (err instanceof URIError) return new AppError('invalid_params', 'Path contains a malformed percent-escape');
  if (typeof err !== 'object' || err === null) return undefined;
  if (!('type' in err)) return fromClientHttpError(err);
  switch ((err as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new AppError('invalid_body', 'Request body is not valid JSON');
    case INVALID_UTF8_TYPE:
      return new AppError('invalid_body', 'Request body is not valid UTF-8');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Request body encoding is not supported');
    case 'request.aborted':
      return new AppError('invalid_body', 'Request was aborted');
    case 'request.size.invalid':
      return new AppError('invalid_body', 'Request body length does not match Content-Length');
    case 'parameters.too.many':
      return new AppError('payload_too_large', 'Request body has too many parameters');
    default:
      return fromClientHttpError(err);
  }
}

// Other errors the body readers raise for the client's input carry `expose: true` and a 4xx status
// but no known `type` (a gzip/deflate body that does not inflate: zlib's "incorrect header check").
// They were answered 500; they are the caller's bad input.
function fromClientHttpError(err: object): AppError | undefined {
  const { expose, status } = err as { expose?: unknown; status?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 413) return new AppError('payload_too_large', 'Request body is too large');
  if (status === 415) return new AppError('unsupported_media_type', 'Request body encoding is not supported');
  return new AppError('invalid_body', 'Request body could not be read');
}

/** Sets `Retry-After` from the error's retry hint, when it has one (statuses 429 and 503 use it). */
export function setRetryAfter(res: Response, err: AppError): void {
  if (err.retryAfterSeconds !== undefined) res.set('Retry-After', String(err.retryAfterSeconds));
}

/** Answers 404 not_found for any route nobody claimed. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'No such route'));
};

/**
 * The error funnel: maps AppError codes to statuses, hides unknown errors behind a generic 500,
 * and logs each failure once (warn for rejected requests, error for our bugs).
 */
export function createErrorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const appError = err instanceof AppError ? err : (fromParserError(err) ?? databaseUnavailable(err));
    if (appError) {
      const status = statusByCode[appError.code];
      const fields = { code: appError.code, status, method: req.method, path: req.path };
      if (status >= 500) log.error({ ...fields, err: appError.cause ?? appError }, appError.message);
      else log.warn(fields, appError.message);
      setRetryAfter(res, appError);
      res.status(status).json(presentError(appError));
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'server_error', message: 'Internal server error' } } satisfies ErrorBody);
  };
}
