// Control-API errors of the outbound parts, in the project's wire shape
// `{ error: { code, message, details? } }` (the backend's error shape), so a bad request is a 4xx JSON, never a crash.
import type { Request, Response, NextFunction, ErrorRequestHandler } from 'express';
import type { z } from 'zod';

/** A control-API failure with its HTTP status. */
export class ControlError extends Error {
  /** @param status HTTP status @param code snake_case code @param message human text @param details extra data */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** Error handler for the outbound control routers: ControlError → its status; bad JSON → 400; else 500. */
export const controlErrorHandler: ErrorRequestHandler = (
  error: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof ControlError) {
    res.status(error.status).json({
      error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) },
    });
    return;
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed' || type === 'entity.too.large') {
    res.status(400).json({ error: { code: 'invalid_body', message: 'Request body is not valid JSON' } });
    return;
  }
  console.error('[emulator] control route failed', error);
  res.status(500).json({ error: { code: 'server_error', message: 'Emulator control route failed' } });
};

/**
 * Turns zod issues into the `details` list of an `invalid_body` error.
 * @param issues zod's `error.issues`
 * @returns `[{ path, message }]`
 */
export function issueDetails(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Parses control-route input with zod.
 * @param schema the schema
 * @param input `req.body`, `req.query` or `req.params`
 * @param code the error code on failure
 * @returns the parsed value
 * @throws ControlError 400 with every issue in `details`
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, code: 'invalid_body' | 'invalid_query' | 'invalid_params'): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const what = code === 'invalid_body' ? 'Request body' : code === 'invalid_query' ? 'Query' : 'Path parameters';
    throw new ControlError(400, code, `${what} is invalid`, issueDetails(result.error.issues));
  }
  return result.data;
}
