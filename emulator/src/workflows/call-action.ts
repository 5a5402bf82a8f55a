// One execution's HTTP exchange with `actionUrl`, retried as HubSpot documents (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference):
// 2xx is an answer; 4xx other than 429 fails at once; 429 waits for `Retry-After`; 5xx, timeouts and
// connection errors back off and try again. HubSpot keeps retrying for up to 3 days; the emulator stops
// after `maxAttempts` so a test ends. Every attempt is signed again with a fresh timestamp.
import { signedHeaders } from '../signing.js';
import { parseRetryAfter, sendOutbound } from '../outbound/http.js';
import type { OutboundResult } from '../outbound/http.js';
import { backoffMs } from '../outbound/timing.js';
import type { ExecutionAttempt } from './types.js';

/** How the exchange ended. */
export type CallOutcome =
  | { kind: 'answered'; status: number; body: unknown }
  | { kind: 'failed'; reason: string };

/** Inputs of {@link callActionUrl}. */
export interface CallActionInput {
  url: string;
  /** Exact JSON text to POST; the same bytes on every attempt. */
  body: string;
  clientSecret: string;
  now: () => number;
  /** Real ms per attempt (already scaled). */
  timeoutMs: number;
  maxAttempts: number;
  /** First backoff delay in real ms (already scaled); doubles per retry. */
  backoffBaseMs: number;
  timeScale: number;
  random: () => number;
  /** Aborts the current attempt and any wait (engine stop/reset). */
  signal: AbortSignal;
  /** Called once per finished attempt, so the record shows progress while retries are pending. */
  onAttempt(attempt: ExecutionAttempt): void;
}

/**
 * POSTs an execution request (signed v2 and v3) until it is answered, refused, or attempts run out.
 * @param input URL, body, secret, clock, timings and the attempt callback
 * @returns `answered` with the parsed 2xx body, or `failed` with a reason
 */
export async function callActionUrl(input: CallActionInput): Promise<CallOutcome> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    if (input.signal.aborted) return { kind: 'failed', reason: 'cancelled' };
    const at = input.now();
    const headers = {
      'Content-Type': 'application/json',
      ...signedHeaders({ method: 'POST', url: input.url, body: input.body, clientSecret: input.clientSecret, timestamp: at, versions: ['v2', 'v3'] }),
    };
    const result = await sendOutbound({ url: input.url, method: 'POST', headers, body: input.body, timeoutMs: input.timeoutMs, signal: input.signal });
    const attempt: ExecutionAttempt = { attemptNumber, latencyMs: result.latencyMs, at };
    if (result.kind === 'response') {
      attempt.status = result.status;
      attempt.responseBody = parseBody(result.text);
    }
    const verdict = judge(result, input, attemptNumber);
    if (verdict.kind === 'retry') {
      attempt.error = verdict.error;
      attempt.retryInMs = Math.round(verdict.delayMs);
      input.onAttempt(attempt);
      await wait(verdict.delayMs, input.signal);
      continue;
    }
    if (verdict.kind === 'failed') attempt.error = verdict.reason;
    input.onAttempt(attempt);
    return verdict.kind === 'failed' ? verdict : { kind: 'answered', status: verdict.status, body: attempt.responseBody };
  }
}

type Verdict =
  | { kind: 'answered'; status: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; error: string; delayMs: number };

function judge(result: OutboundResult, input: CallActionInput, attemptNumber: number): Verdict {
  const lastAttempt = attemptNumber >= input.maxAttempts;
  const backoff = () => backoffMs(input.backoffBaseMs, attemptNumber, input.random);
  switch (result.kind) {
    case 'aborted':
      return { kind: 'failed', reason: 'cancelled' };
    case 'timeout':
      return lastAttempt ? { kind: 'failed', reason: 'timeout' } : { kind: 'retry', error: 'timeout', delayMs: backoff() };
    case 'connection_error': {
      const error = `connection_error: ${result.message}`;
      return lastAttempt ? { kind: 'failed', reason: error } : { kind: 'retry', error, delayMs: backoff() };
    }
    case 'response': {
      const { status } = result;
      const error = `http_${status}`;
      if (status >= 200 && status < 300) return { kind: 'answered', status };
      if (status === 429) {
        if (lastAttempt) return { kind: 'failed', reason: error };
        // Retry-After is in HubSpot's seconds; it shrinks with timeScale like every other wait.
        const retryAfter = parseRetryAfter(result.headers['retry-after'], input.now());
        return { kind: 'retry', error, delayMs: retryAfter === undefined ? backoff() : retryAfter * input.timeScale };
      }
      if (status >= 500) return lastAttempt ? { kind: 'failed', reason: error } : { kind: 'retry', error, delayMs: backoff() };
      // 4xx (and a 3xx, which HubSpot does not follow): the action failed, no retry.
      return { kind: 'failed', reason: error };
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// A wait that ends early when the engine stops, so stop() never hangs on a long backoff.
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, Math.round(ms)));
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
