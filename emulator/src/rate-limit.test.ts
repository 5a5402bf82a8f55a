// The limiter as a pure function of the clock: rolling window, search per-second limit, headers.
import { describe, expect, it } from '@jest/globals';
import { createRateLimiter, rateLimitBody } from './rate-limit.js';
import { defaultSettings } from './settings.js';

const setup = (max = 3) => {
  const clock = { now: 1_000_000 };
  const limiter = createRateLimiter({ now: () => clock.now, settings: () => ({ ...defaultSettings.rateLimit, max }) });
  const app = { key: 'app:1:62515', groupName: 'g', privateApp: false, search: false };
  return { clock, limiter, app };
};

describe('createRateLimiter', () => {
  it('when the window is full, then the next call is refused with TEN_SECONDLY_ROLLING and Remaining 0', () => {
    const { limiter, app } = setup(2);
    expect(limiter.check(app).headers['X-HubSpot-RateLimit-Remaining']).toBe('1');
    expect(limiter.check(app).headers['X-HubSpot-RateLimit-Remaining']).toBe('0');
    const refused = limiter.check(app);
    expect(refused.allowed).toBe(false);
    expect(refused.headers).toStrictEqual({ 'X-HubSpot-RateLimit-Max': '2', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' });
    expect(refused.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.', groupName: 'g' });
  });

  it('when the window rolls, then calls older than 10 s stop counting', () => {
    const { limiter, app, clock } = setup(2);
    limiter.check(app);
    clock.now += 5_000;
    limiter.check(app);
    expect(limiter.check(app).allowed).toBe(false);
    clock.now += 5_001;
    expect(limiter.check(app).allowed).toBe(true);
    expect(limiter.check(app).allowed).toBe(false);
  });

  it('when budgets belong to different portals, then one portal cannot exhaust another', () => {
    const { limiter, app } = setup(1);
    limiter.check(app);
    expect(limiter.check(app).allowed).toBe(false);
    expect(limiter.check({ ...app, key: 'app:1:99' }).allowed).toBe(true);
  });

  it('when search runs more than 5 times in a second, then it is refused SECONDLY and carries no headers', () => {
    const { limiter, app, clock } = setup(110);
    const search = { ...app, search: true };
    for (let i = 0; i < 5; i += 1) expect(limiter.check(search)).toStrictEqual({ allowed: true, headers: {} });
    const refused = limiter.check(search);
    expect(refused.allowed).toBe(false);
    expect(refused.headers).toStrictEqual({});
    expect(refused.body).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    clock.now += 1_000;
    expect(limiter.check(search).allowed).toBe(true);
  });

  it('when a private app calls, then the daily headers are added', () => {
    const { limiter, app } = setup(10);
    const headers = limiter.check({ ...app, key: 'private:x', privateApp: true }).headers;
    expect(headers).toMatchObject({ 'X-HubSpot-RateLimit-Daily': '500000', 'X-HubSpot-RateLimit-Daily-Remaining': '499999' });
  });

  it('when reset, then every window is empty again', () => {
    const { limiter, app } = setup(1);
    limiter.check(app);
    limiter.reset();
    expect(limiter.check(app).allowed).toBe(true);
  });

  it('rateLimitBody builds each policy message', () => {
    expect(rateLimitBody('DAILY', 'g')).toMatchObject({ message: 'You have reached your daily limit.', policyName: 'DAILY' });
  });
});
