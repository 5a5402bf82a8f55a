/**
 * The pure retry decisions of the HubSpot layer: which answers are retried, how long to wait, and
 * whether the wait must be shared with every other process (a 429 means HubSpot counts the portal's
 * window as full, whoever sent the call). The layer in http.ts does the waiting and the IO.
 *
 * The SDK's own retry decorator is never used: it waits 10 s × attempt on a 429,
 * ignores `Retry-After` and is process-global.
 */

/** Retry numbers (configurable; tests shrink them). */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts: number;
  /** First backoff after a 5xx or network failure; doubles per attempt, with ±50 % jitter. */
  baseDelayMs: number;
  /** Longest backoff. */
  maxDelayMs: number;
}

/** What one attempt produced. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'network_error'; timedOut: boolean };

/** Whether and when to try again. */
export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      waitMs: number;
      reason: 'rate_limited' | 'server_error' | 'network_error' | 'timeout';
      /** A 10-second-window 429: every process must hold off this portal for `waitMs`. */
      sharedPause: boolean;
    };

/** The defaults (10 s window fallback: HubSpot documents no Retry-After on REST 429s). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
const SECONDLY_WAIT_MS = 1_000;

// Safe to repeat: reads, and writes that set a state (HubSpot's PATCH sets property values).
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

/**
 * Decides the retry after attempt number `attempt` (1-based).
 * - 429, both lanes: always retried (HubSpot refused it unprocessed), after `Retry-After`, else a
 *   secondly policy's second, else the window from `X-HubSpot-RateLimit-Interval-Milliseconds`,
 *   else 10 s.
 * - The rest only for interactive calls (short retries where someone waits; a bulk
 *   call runs in a pg-boss job, whose retries are slower and visible):
 *   - 502/503/504: retried whatever the method (the request did not reach HubSpot's application);
 *   - other 5xx, timeouts and network errors: retried only when repeating is safe (idempotent
 *     method or a caller's `idempotent: true`), since HubSpot may have applied the first attempt.
 * @param input.random a [0, 1) source for the jitter (injected for tests)
 */
export function decideRetry(input: {
  outcome: AttemptOutcome;
  method: string;
  lane: 'interactive' | 'bulk';
  idempotent?: boolean;
  attempt: number;
  policy: RetryPolicy;
  now: number;
  random: () => number;
}): RetryDecision {
  const { outcome, attempt, policy } = input;
  if (attempt >= policy.maxAttempts) return { retry: false };
  const rateLimited = outcome.kind === 'response' && outcome.status === 429;
  if (input.lane === 'bulk' && !rateLimited) return { retry: false };
  const safe = input.idempotent ?? IDEMPOTENT_METHODS.has(input.method.toUpperCase());
  const backoff = () => jitteredBackoff(attempt, policy, input.random);
  if (outcome.kind === 'network_error') {
    return safe ? { retry: true, waitMs: backoff(), reason: outcome.timedOut ? 'timeout' : 'network_error', sharedPause: false } : { retry: false };
  }
  if (outcome.status === 429) {
    const wait = rateLimitWait(outcome.headers, outcome.body, input.now);
    return { retry: true, waitMs: wait.waitMs, reason: 'rate_limited', sharedPause: wait.policy === 'window' };
  }
  if (outcome.status >= 500) {
    const gateway = outcome.status === 502 || outcome.status === 503 || outcome.status === 504;
    return gateway || safe ? { retry: true, waitMs: backoff(), reason: 'server_error', sharedPause: false } : { retry: false };
  }
  return { retry: false };
}

/**
 * How long a 429 asks us to wait, and whether it is the portal's window (shared by every caller)
 * or search's per-second limit.
 */
export function rateLimitWait(headers: Record<string, string>, body: unknown, now: number): { waitMs: number; policy: 'window' | 'secondly' } {
  const b = (body && typeof body === 'object' ? body : {}) as { policyName?: unknown; message?: unknown };
  const secondly = b.policyName === 'SECONDLY' || (typeof b.message === 'string' && b.message.includes('secondly limit'));
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return { waitMs: retryAfter, policy: secondly ? 'secondly' : 'window' };
  if (secondly) return { waitMs: SECONDLY_WAIT_MS, policy: 'secondly' };
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  return { waitMs: Number.isFinite(interval) && interval > 0 ? Math.min(interval, 60_000) : DEFAULT_RATE_LIMIT_WAIT_MS, policy: 'window' };
}

/** `Retry-After` as ms from now: delta-seconds or an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  // Capped at a minute: a larger value is more likely a misreading than a real instruction.
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, 60_000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), 60_000);
}

/** `baseDelayMs · 2^(attempt−1)`, capped, times a factor in [0.5, 1.5). */
export function jitteredBackoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random()));
}
