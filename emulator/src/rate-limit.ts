// HubSpot's API rate limits (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
// a rolling window per app per portal (110 per 10 s by default) and a per-second limit on search. The
// budget belongs to the (app, portal) pair, not the token, so it survives token refreshes exactly like
// HubSpot's does.
import type { RateLimitSettings } from './settings.js';
import { newCorrelationId } from './support/ids.js';

/** Who is calling: the budget key and how HubSpot would name its group. */
export interface RateLimitSubject {
  /** `app:<appId>:<portalId>` or `private:<privateAppId>:<portalId>`. */
  key: string;
  /** `groupName` in the 429 body. */
  groupName: string;
  /** Private apps also get daily-quota headers; OAuth apps have no daily cap. */
  privateApp: boolean;
  /** Search endpoints have their own per-second limit and carry no rate-limit headers. */
  search: boolean;
}

/** The limiter's answer. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Headers to set on the response (empty for search). */
  headers: Record<string, string>;
  /** The 429 body when not allowed. */
  body?: Record<string, unknown>;
}

/** Rolling-window limiter state for one emulator. */
export interface RateLimiter {
  /** Counts the call when allowed; otherwise reports the exceeded policy. */
  check(subject: RateLimitSubject): RateLimitDecision;
  /** Forgets every window. */
  reset(): void;
}

/**
 * Builds the 429 body HubSpot sends (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 * @param policy `TEN_SECONDLY_ROLLING` for the window, `SECONDLY` for search
 * @param groupName the limited group
 * @returns the JSON body
 */
export function rateLimitBody(policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY', groupName: string): Record<string, unknown> {
  const message =
    policy === 'TEN_SECONDLY_ROLLING'
      ? 'You have reached your ten_secondly_rolling limit.'
      : policy === 'SECONDLY'
        ? 'You have reached your secondly limit.'
        : 'You have reached your daily limit.';
  return { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: newCorrelationId(), policyName: policy, groupName };
}

/**
 * Creates the limiter.
 * @param opts the clock and a getter for the current limits (knobs can change them at run time)
 * @returns the limiter
 */
export function createRateLimiter(opts: { now: () => number; settings: () => RateLimitSettings }): RateLimiter {
  const windows = new Map<string, number[]>();
  const searchWindows = new Map<string, number[]>();
  const daily = new Map<string, { day: number; count: number }>();

  const recent = (map: Map<string, number[]>, key: string, spanMs: number, now: number) => {
    const kept = (map.get(key) ?? []).filter((t) => t > now - spanMs);
    map.set(key, kept);
    return kept;
  };

  return {
    check(subject) {
      const limits = opts.settings();
      const now = opts.now();
      const window = recent(windows, subject.key, limits.intervalMs, now);
      const day = Math.floor(now / 86_400_000);
      const used = daily.get(subject.key);
      const usedToday = used?.day === day ? used.count : 0;
      const headers = (remaining: number, dailyUsed: number): Record<string, string> => {
        if (subject.search) return {};
        const base: Record<string, string> = {
          'X-HubSpot-RateLimit-Max': String(limits.max),
          'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
          'X-HubSpot-RateLimit-Interval-Milliseconds': String(limits.intervalMs),
        };
        if (subject.privateApp) {
          base['X-HubSpot-RateLimit-Daily'] = String(limits.privateAppDaily);
          base['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, limits.privateAppDaily - dailyUsed));
        }
        return base;
      };
      if (subject.privateApp && usedToday >= limits.privateAppDaily) {
        return { allowed: false, headers: headers(limits.max - window.length, usedToday), body: rateLimitBody('DAILY', subject.groupName) };
      }
      if (window.length >= limits.max) {
        return { allowed: false, headers: headers(0, usedToday), body: rateLimitBody('TEN_SECONDLY_ROLLING', subject.groupName) };
      }
      if (subject.search) {
        const perSecond = recent(searchWindows, subject.key, 1000, now);
        if (perSecond.length >= limits.searchPerSecond) {
          return { allowed: false, headers: {}, body: rateLimitBody('SECONDLY', subject.groupName) };
        }
        perSecond.push(now);
      }
      window.push(now);
      if (subject.privateApp) daily.set(subject.key, { day, count: usedToday + 1 });
      return { allowed: true, headers: headers(limits.max - window.length, subject.privateApp ? usedToday + 1 : 0) };
    },
    reset() {
      windows.clear();
      searchWindows.clear();
      daily.clear();
    },
  };
}
