// JSON request bodies are UTF-8 (RFC 8259 §8.1: JSON exchanged between systems "MUST be encoded using
// UTF-8"). express.json alone accepts any `charset=utf-*` (UTF-16 bodies were parsed and stored) and
// decodes invalid byte sequences as U+FFFD (what we stored was not what was sent). So every JSON body
// goes through here: a charset other than UTF-8 is refused with 415 before the body is read, and
// bytes that are not valid UTF-8 with 400, never repaired.
import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';

// `charset=utf-8` in any case, quoted or not; a missing charset means UTF-8 for JSON.
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/**
 * The charset a request's Content-Type claims, lower-cased; undefined when it claims none.
 * @param req the request
 */
export function claimedCharset(req: Request): string | undefined {
  const match = CHARSET.exec(String(req.headers['content-type'] ?? ''));
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

/**
 * Refuses a body whose Content-Type claims a charset other than UTF-8.
 * @throws AppError unsupported_media_type (415)
 */
export function assertUtf8Charset(req: Request): void {
  const charset = claimedCharset(req);
  if (charset !== undefined && charset !== 'utf-8') throw new AppError('unsupported_media_type', 'Request body must be UTF-8 (charset=utf-8)');
}

/** The body-parser error type of bytes that are not UTF-8 (the error funnel answers 400). */
export const INVALID_UTF8_TYPE = 'entity.utf8.invalid';

/**
 * Refuses bytes that are not valid UTF-8. Throws a body-parser-style error (status and type), not an
 * AppError: body-parser re-labels what a `verify` hook throws and must be able to set its status.
 * @throws Error with type {@link INVALID_UTF8_TYPE} and status 400
 */
export function assertUtf8Bytes(body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('Request body is not valid UTF-8'), { status: 400, expose: true, type: INVALID_UTF8_TYPE });
}

/**
 * express.json with the UTF-8 rule above. Use it for every JSON route instead of express.json.
 * @param opts.limit largest accepted body; `type` as for express.json
 * @returns the middleware
 */
export function jsonBody(opts: { limit: string; type?: (req: Request) => boolean }): RequestHandler {
  const parse = express.json({
    limit: opts.limit,
    ...(opts.type ? { type: opts.type as (req: unknown) => boolean } : {}),
    // Runs on the (inflated) bytes before they are decoded; what it throws reaches the error funnel.
    verify: (_req, _res, buf) => assertUtf8Bytes(buf),
  });
  return function parseJsonUtf8(req, res, next) {
    if (hasBody(req)) assertUtf8Charset(req);
    parse(req, res, next);
  };
}

/** Whether the request carries a body (as body-parser decides it). */
export function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}
