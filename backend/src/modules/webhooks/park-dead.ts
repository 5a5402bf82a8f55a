// The error text kept on a parked (dead) inbox row: it stays in the inbox with its error, visible in
// the troubleshooting panel and `GET /api/v1/webhook-events?status=dead`, and is never processed again.
import { AppError } from '../../platform/errors.js';

/**
 * The error text kept on the inbox row: the code and message of an AppError (safe by construction),
 * and the cause's message for our own diagnostics; never a stack.
 */
export function describeError(err: unknown): string {
  if (err instanceof AppError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.code}: ${err.message}${cause}`.slice(0, 1000);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
