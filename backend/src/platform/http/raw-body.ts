// Raw bodies for signed routes: signatures are computed over the exact bytes received,
// so these routes buffer the body untouched and parse it only after the signature has passed.
// Re-serialising parsed JSON changes bytes (key order, escapes, whitespace) and breaks the check.
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { assertUtf8Charset, hasBody } from './json-body.js';

/** Default limit of a signed body. HubSpot batches hold at most 100 small events (tens of KB). */
export const RAW_BODY_LIMIT = '1mb';

/**
 * Buffers the body as-is into `req.body` (a Buffer), whatever its content type: a signed request with
 * a surprising content type must still be verified over its bytes, then refused as not JSON.
 * Over the limit, body-parser raises `entity.too.large`, which the error funnel answers 413. A body
 * claiming a charset other than UTF-8 is refused (415) before it is read: every signed body we take is
 * JSON, which is UTF-8 (json-body.ts). Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-12
 * @param opts.limit largest accepted body (bytes or a size string such as '1mb')
 * @returns the middleware
 */
export function rawBody(opts: { limit?: string | number } = {}): RequestHandler {
  const read = express.raw({ type: () => true, limit: opts.limit ?? RAW_BODY_LIMIT });
  return function readRawBody(req, res, next) {
    if (hasBody(req)) assertUtf8Charset(req);
    read(req, res, next);
  };
}

/**
 * The raw body buffered by {@link rawBody}; an empty buffer when the request had none.
 * @param req the request
 * @returns the exact bytes received
 */
export function rawBodyOf(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/**
 * Parses a raw body as JSON (after its signature passed).
 * @param raw the bytes received
 * @returns the parsed value
 * @throws AppError invalid_body when the bytes are not UTF-8 JSON
 */
export function parseJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as unknown;
  } catch {
    throw new AppError('invalid_body', 'Request body is not valid JSON');
  }
}
