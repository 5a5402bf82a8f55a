// The guard every signed route declares: URI from configuration, raw body, verifier injected. It knows
// nothing about a given signer; `hubspot/require-hubspot-signature.ts` plugs in HubSpot's rules.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { rawBodyOf } from './raw-body.js';

/** What a verifier sees: method, the full public URI, the raw bytes and the (lower-cased) headers. */
export interface SignedHttpRequest {
  method: string;
  uri: string;
  rawBody: Buffer;
  headers: Request['headers'];
}

/** A verifier's answer; `reason` is logged, never sent. */
export type SignatureOutcome = { ok: true; version?: string } | { ok: false; reason: string; version?: string };

/** Options of {@link requireSignature}. */
export interface RequireSignatureOptions {
  /**
   * Public origin the signer called (config.publicBaseUrl). The URI is this plus `req.originalUrl`,
   * never rebuilt from Host / X-Forwarded-*: behind a proxy those differ from what was signed.
   * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-4
   */
  publicBaseUrl: string;
  verify(req: SignedHttpRequest): SignatureOutcome;
  log: Logger;
}

/**
 * Builds a middleware that refuses requests whose signature does not verify. Mount it after
 * `rawBody()`. On success the verified version is left in `res.locals.signatureVersion`.
 * @returns the middleware
 * @throws AppError signature_invalid (401) through the error funnel; the reason is logged at warn
 */
export function requireSignature(opts: RequireSignatureOptions): RequestHandler {
  return function checkSignature(req, res, next) {
    const outcome = opts.verify({
      method: req.method,
      uri: opts.publicBaseUrl + req.originalUrl,
      rawBody: rawBodyOf(req),
      headers: req.headers,
    });
    if (!outcome.ok) {
      // The signature itself is never logged (the logger also redacts its header).
      opts.log.warn({ reason: outcome.reason, version: outcome.version, method: req.method, path: req.path }, 'request signature refused');
      next(new AppError('signature_invalid', 'Request signature is missing or invalid'));
      return;
    }
    res.locals.signatureVersion = outcome.version;
    next();
  };
}
