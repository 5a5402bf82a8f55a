import { describe, expect, it } from '@jest/globals';
import { decideRetry, jitteredBackoff, parseRetryAfter, rateLimitWait, type AttemptOutcome, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };
const now = Date.parse('2026-11-24T12:00:00Z');
const response = (status: number, headers: Record<string, string> = {}, body: unknown = null): AttemptOutcome => ({ kind: 'response', status, headers, body });
const decide = (outcome: AttemptOutcome, method = 'GET', extra: { attempt?: number; idempotent?: boolean; lane?: 'interactive' | 'bulk' } = {}) =>
  decideRetry({ outcome, method, lane: extra.lane ?? 'interactive', attempt: extra.attempt ?? 1, policy, now, random: () => 0.5, ...(extra.idempotent === undefined ? {} : { idempotent: extra.idempotent }) });

describe('decideRetry', () => {
  it('when HubSpot answers a 2xx or a 4xx other than 429, then the answer is final', () => {
    for (const status of [200, 204, 400, 401, 403, 404, 409]) expect(decide(response(status))).toStrictEqual({ retry: false });
  });

  it('when HubSpot answers a window 429, then it is retried after the interval header and the pause is shared by every process', () => {
    const res = response(429, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, { policyName: 'TEN_SECONDLY_ROLLING' });
    expect(decide(res, 'POST')).toStrictEqual({ retry: true, waitMs: 10_000, reason: 'rate_limited', sharedPause: true });
  });

  it('when a 429 carries Retry-After, then that wait wins', () => {
    expect(decide(response(429, { 'retry-after': '2' }))).toMatchObject({ retry: true, waitMs: 2_000, sharedPause: true });
  });

  it('when search answers its secondly 429, then it waits one second and pauses nobody else', () => {
    expect(decide(response(429, {}, { policyName: 'SECONDLY', message: 'You have reached your secondly limit.' }))).toStrictEqual({ retry: true, waitMs: 1_000, reason: 'rate_limited', sharedPause: false });
  });

  it('when a gateway 5xx comes back, then any method is retried with jittered backoff', () => {
    for (const status of [502, 503, 504]) expect(decide(response(status), 'POST')).toStrictEqual({ retry: true, waitMs: 200, reason: 'server_error', sharedPause: false });
  });

  it('when a 500 answers a POST, then it is not repeated (HubSpot may have applied it) unless the caller says it is idempotent', () => {
    expect(decide(response(500), 'POST')).toStrictEqual({ retry: false });
    expect(decide(response(500), 'POST', { idempotent: true })).toMatchObject({ retry: true, reason: 'server_error' });
    expect(decide(response(500), 'GET')).toMatchObject({ retry: true, reason: 'server_error' });
  });

  it('when the call timed out or the network failed, then only idempotent calls are repeated', () => {
    expect(decide({ kind: 'network_error', timedOut: true }, 'GET')).toMatchObject({ retry: true, reason: 'timeout' });
    expect(decide({ kind: 'network_error', timedOut: false }, 'DELETE')).toMatchObject({ retry: true, reason: 'network_error' });
    expect(decide({ kind: 'network_error', timedOut: true }, 'POST')).toStrictEqual({ retry: false });
  });

  it('when a bulk call fails with a 5xx or a network error, then the layer leaves the retry to its pg-boss job; a 429 is still waited out', () => {
    expect(decide(response(503), 'GET', { lane: 'bulk' })).toStrictEqual({ retry: false });
    expect(decide({ kind: 'network_error', timedOut: true }, 'GET', { lane: 'bulk' })).toStrictEqual({ retry: false });
    expect(decide(response(429, { 'retry-after': '1' }), 'POST', { lane: 'bulk' })).toMatchObject({ retry: true, waitMs: 1_000, sharedPause: true });
  });

  it('when the attempts are used up, then nothing more is tried, 429 included', () => {
    expect(decide(response(503), 'GET', { attempt: 3 })).toStrictEqual({ retry: false });
    expect(decide(response(429), 'GET', { attempt: 3 })).toStrictEqual({ retry: false });
  });
});

describe('rateLimitWait', () => {
  it('when no header says how long, then a 10-second window is assumed', () => {
    expect(rateLimitWait({}, { policyName: 'TEN_SECONDLY_ROLLING' }, now)).toStrictEqual({ waitMs: 10_000, policy: 'window' });
  });
});

describe('parseRetryAfter', () => {
  it('when given seconds or an HTTP date, then ms from now, capped at a minute', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(new Date(now + 4_500).toUTCString(), now)).toBe(4_000);
    expect(parseRetryAfter('86400', now)).toBe(60_000);
  });
  it('when absent or garbled, then undefined', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('jitteredBackoff', () => {
  it('when attempts grow, then the delay doubles up to the cap, within ±50 %', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => jitteredBackoff(a, policy, () => 0.5))).toStrictEqual([200, 400, 800, 1600, 2000, 2000]);
    expect(jitteredBackoff(1, policy, () => 0)).toBe(100);
    expect(jitteredBackoff(1, policy, () => 0.999)).toBe(300);
  });
});
