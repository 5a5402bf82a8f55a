// Which database failures mean "busy or away for a moment" rather than "our bug". A request that
// fails on one of them is answered 503 service_unavailable with Retry-After, so HubSpot (which
// retries 5xx and timeouts on webhooks and workflow actions) and vendor API callers retry it, and
// the log says what happened instead of "unhandled error". Under CPU starvation the pool's
// acquire timeout was answered 500 server_error, which `retryableByCode` calls final.
import { AppError } from './errors.js';

// SQLSTATE classes and codes that a retry can get past: connection exceptions (08), insufficient
// resources (53: too many connections, out of memory, disk full), operator intervention (57P01–57P03:
// shutdown, crash shutdown, cannot connect now), and the two transaction conflicts Postgres resolves
// by aborting one side (40001 serialization failure, 40P01 deadlock).
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const RETRYABLE_SQLSTATE = /^(08|53)|^57P0[123]$|^40001$|^40P01$/;

// node-postgres and pg-pool raise plain Errors without a code for these.
const RETRYABLE_DRIVER_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated'];

// Socket errors while reaching the server.
const RETRYABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The 503 to answer when `err` (or its cause chain) is a passing database failure, else undefined. */
export function databaseUnavailable(err: unknown): AppError | undefined {
  // Duck-typed, not `instanceof Error`: errors from another realm (a vm context, a worker) count too.
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const retryable =
      (typeof code === 'string' && (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_SOCKET_CODES.has(code))) ||
      (typeof message === 'string' && RETRYABLE_DRIVER_MESSAGES.some((m) => message.startsWith(m)));
    if (retryable) return new AppError('service_unavailable', 'The database is busy or unavailable; retry later', { cause: err, retryAfterSeconds: 1 });
  }
  return undefined;
}
