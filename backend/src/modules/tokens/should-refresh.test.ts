import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cooldownMs, inCooldown, isStillUsable, shouldRefresh } from './should-refresh.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('shouldRefresh', () => {
  it('when the token expires after the margin, then it is not refreshed', () => {
    expect(shouldRefresh({ accessExpiresAt: NOW + 301_000 }, NOW, 300)).toBe(false);
  });
  it('when the token expires exactly at the margin or inside it, then it is refreshed', () => {
    expect(shouldRefresh({ accessExpiresAt: NOW + 300_000 }, NOW, 300)).toBe(true);
    expect(shouldRefresh({ accessExpiresAt: NOW + 1_000 }, NOW, 300)).toBe(true);
  });
  it('when the token has expired, then it is refreshed whatever the margin', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1700 }), fc.integer({ min: 0, max: 10_000_000 }), (margin, ago) => shouldRefresh({ accessExpiresAt: NOW - ago }, NOW, margin)));
  });
  it('when the margin is 0, then only an expired token is refreshed', () => {
    expect(shouldRefresh({ accessExpiresAt: NOW + 1 }, NOW, 0)).toBe(false);
    expect(shouldRefresh({ accessExpiresAt: NOW }, NOW, 0)).toBe(true);
  });
});

describe('isStillUsable', () => {
  it('when more than 10 s are left, then the token can be used; otherwise not', () => {
    expect(isStillUsable({ accessExpiresAt: NOW + 10_001 }, NOW)).toBe(true);
    expect(isStillUsable({ accessExpiresAt: NOW + 10_000 }, NOW)).toBe(false);
    expect(isStillUsable({ accessExpiresAt: NOW - 1 }, NOW)).toBe(false);
  });
});

describe('inCooldown', () => {
  it('when no cooldown is set or it has passed, then it is not in cooldown', () => {
    expect(inCooldown({ retryAfter: null }, NOW)).toBe(false);
    expect(inCooldown({ retryAfter: NOW }, NOW)).toBe(false);
    expect(inCooldown({ retryAfter: NOW + 1 }, NOW)).toBe(true);
  });
});

describe('cooldownMs', () => {
  it('when failures grow, then the cooldown doubles from 15 s and stops at 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(cooldownMs)).toStrictEqual([0, 15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
  });
  it('when failures grow, then the cooldown never shrinks', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), (n) => cooldownMs(n + 1) >= cooldownMs(n)));
  });
});
