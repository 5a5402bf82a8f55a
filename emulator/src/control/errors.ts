// Errors of the control API in the project's own wire shape `{ error: { code, message, details? } }`
// (the backend's error shape), like the outbound control routes. The state functions throw HubSpot-shaped errors
// (they serve the CRM API too), so this middleware translates them for `/_emulator/*`.
import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../http/errors.js';

const codeByCategory: Record<string, string> = {
  VALIDATION_ERROR: 'invalid_body',
  OBJECT_NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
};

/**
 * Error middleware for `/_emulator/*`.
 * @param warn where unexpected errors are reported
 * @returns the middleware
 */
export function createControlErrorMiddleware(warn: (message: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      const category = typeof err.body.category === 'string' ? err.body.category : '';
      const details = err.body.errors ?? err.body.context;
      res.status(err.status).json({ error: { code: codeByCategory[category] ?? 'error', message: err.message, ...(details !== undefined ? { details } : {}) } });
      return;
    }
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    if (type === 'entity.parse.failed' || type === 'entity.too.large') {
      res.status(400).json({ error: { code: 'invalid_body', message: 'Request body is not valid JSON' } });
      return;
    }
    warn(`[emulator] control route ${req.method} ${req.originalUrl} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    res.status(500).json({ error: { code: 'server_error', message: 'Emulator control route failed' } });
  };
}
