// A small in-memory rate limiter for the public endpoints (token buckets, one per key).
//
// Per process, on purpose: its job is to shed abusive traffic before it costs a database round
// trip, so counting in Postgres (the resource it protects) would defeat it. With N web processes
// the effective limit is N × the configured one; put an edge limiter (load balancer, CDN/WAF) in
// front for a hard global cap. See SECURITY.md.
//
// Nothing HubSpot signed is ever refused by the per-IP limits: the signature is checked first and
// only failures count. An IP that keeps failing is answered 429 (with Retry-After) before its body
// is read or its key looked up; if HubSpot itself ever shared that address it would get the same
// 429 and retry (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide), so an acknowledged event is never dropped.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** One bucket family: `perMinute` requests per key, refilled continuously; 0 = unlimited. */
export interface TokenBuckets {
  /** Takes one token; returns the seconds to wait when none is left. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Whether the key has no token left, without taking one. */
  exhausted(key: string, now: number): { retryAfterSeconds: number } | undefined;
  /** Keys currently tracked (for tests). */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets of `perMinute` capacity refilled at `perMinute` per minute. At most `maxKeys` keys
 * are tracked: past that, full buckets (which carry no information) are dropped first, then the
 * oldest, so a flood of fresh addresses cannot grow memory without bound.
 */
export function createTokenBuckets(opts: { perMinute: number; maxKeys?: number }): TokenBuckets {
  const capacity = opts.perMinute;
  const ratePerMs = capacity / 60_000;
  const maxKeys = opts.maxKeys ?? 50_000;
  const buckets = new Map<string, Bucket>();

  const current = (key: string, now: number): Bucket => {
    const b = buckets.get(key);
    if (!b) return { tokens: capacity, at: now };
    return { tokens: Math.min(capacity, b.tokens + Math.max(0, now - b.at) * ratePerMs), at: now };
  };
  const waitSeconds = (b: Bucket) => Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
  const evict = (now: number) => {
    for (const [key, b] of buckets) if (b.tokens + (now - b.at) * ratePerMs >= capacity) buckets.delete(key);
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys * 0.9) break;
      buckets.delete(key);
    }
  };

  return {
    take(key, now) {
      if (capacity <= 0) return { ok: true };
      const b = current(key, now);
      if (b.tokens < 1) {
        buckets.set(key, b);
        return { ok: false, retryAfterSeconds: waitSeconds(b) };
      }
      b.tokens -= 1;
      buckets.delete(key);
      buckets.set(key, b);
      if (buckets.size > maxKeys) evict(now);
      return { ok: true };
    },
    exhausted(key, now) {
      if (capacity <= 0 || !buckets.has(key)) return undefined;
      const b = current(key, now);
      return b.tokens < 1 ? { retryAfterSeconds: waitSeconds(b) } : undefined;
    },
    size: () => buckets.size,
  };
}

const tooMany = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds });

/** The client address (Express's `req.ip`, which honours the app's `trust proxy` setting). */
const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Refuses a client IP past `buckets` with 429 (browser routes: every request counts). */
export function limitByIp(buckets: TokenBuckets, now: () => number): RequestHandler {
  return function rateLimitByIp(req, _res, next) {
    const r = buckets.take(clientIp(req), now());
    if (!r.ok) throw tooMany(r.retryAfterSeconds);
    next();
  };
}

/**
 * Counts the answers with `status` (401: a bad key or signature) per client IP; an IP past its
 * budget gets 429 before anything else is done for it, until the bucket refills.
 */
export function limitFailuresByIp(buckets: TokenBuckets, now: () => number, status = 401): RequestHandler {
  return function rateLimitFailuresByIp(req, res, next) {
    const ip = clientIp(req);
    const blocked = buckets.exhausted(ip, now());
    if (blocked) throw tooMany(blocked.retryAfterSeconds);
    res.on('finish', () => {
      if (res.statusCode === status) buckets.take(ip, now());
    });
    next();
  };
}

/** Refuses a key (the authenticated organization, read by `keyOf`) past `buckets` with 429. */
export function limitByKey(buckets: TokenBuckets, now: () => number, keyOf: (res: Parameters<RequestHandler>[1]) => string | undefined): RequestHandler {
  return function rateLimitByKey(_req, res, next) {
    const key = keyOf(res);
    if (key !== undefined) {
      const r = buckets.take(key, now());
      if (!r.ok) throw tooMany(r.retryAfterSeconds);
    }
    next();
  };
}

/**
 * Runs `limit` after `guard` succeeded, as one handler (routers take the organization guard as a
 * single RequestHandler). Errors of either, thrown or rejected, go to `next`.
 */
export function withRateLimit(guard: RequestHandler, limit: RequestHandler): RequestHandler {
  return function guardThenLimit(req, res, next) {
    const afterGuard = (err?: unknown) => {
      if (err !== undefined && err !== null) {
        next(err);
        return;
      }
      try {
        limit(req, res, next);
      } catch (e) {
        next(e);
      }
    };
    try {
      Promise.resolve(guard(req, res, afterGuard)).catch(next);
    } catch (e) {
      next(e);
    }
  };
}
