import { describe, expect, it } from '@jest/globals';
import { AppError, isRetryable, statusByCode, type ErrorCode } from './errors.js';

const codes = Object.keys(statusByCode) as ErrorCode[];
const retryable = (code: ErrorCode) => isRetryable(new AppError(code, 'x'));

describe('isRetryable', () => {
  it('when something outside the request is away or busy (HubSpot down or rate-limiting, our database, our limiter), then a retry may succeed', () => {
    expect(codes.filter(retryable).sort()).toStrictEqual(['hubspot_unavailable', 'rate_limited', 'service_unavailable']);
  });

  it('when the request itself is refused (4xx: bad input, missing, forbidden, conflicting with stored state), then it is final', () => {
    const refusals = codes.filter((code) => statusByCode[code] < 500 && code !== 'rate_limited');
    expect(refusals).toEqual(expect.arrayContaining(['invalid_body', 'not_found', 'unauthorized', 'missing_scope', 'conflict', 'portal_conflict', 'invalid_transition', 'reinstall_required']));
    for (const code of refusals) expect([code, retryable(code)]).toStrictEqual([code, false]);
  });

  it('when HubSpot answered and refused (502 hubspot_upstream_error), then it is final although its status is 5xx', () => {
    expect(statusByCode.hubspot_upstream_error).toBe(502);
    expect(retryable('hubspot_upstream_error')).toBe(false);
  });

  it('when our own data or configuration is broken (a thrown server_error), then it is final; an unknown error stays retryable', () => {
    expect(retryable('server_error')).toBe(false);
    expect(isRetryable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isRetryable('a thrown string')).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
  });

  it('when a retryable error carries a retry hint, then it is kept in whole seconds of at least one', () => {
    expect(new AppError('hubspot_unavailable', 'x', { retryAfterSeconds: 14.2 }).retryAfterSeconds).toBe(15);
    expect(new AppError('hubspot_unavailable', 'x', { retryAfterSeconds: 0 }).retryAfterSeconds).toBe(1);
    expect(new AppError('hubspot_unavailable', 'x').retryAfterSeconds).toBeUndefined();
  });
});
