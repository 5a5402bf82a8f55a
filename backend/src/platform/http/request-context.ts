import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../context.js';
import type { Logger } from '../logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (a well-formed incoming X-Request-Id is kept), echoes it, and runs the
 * rest of the chain inside a log context so every line carries it. Logs one line per request,
 * path only: query strings can hold OAuth codes and state.
 */
export function createRequestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    runWithContext({ requestId }, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
      next();
    });
  };
}
