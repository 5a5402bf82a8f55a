// Bearer authentication, rate limiting, fault injection and scope checks in front of every HubSpot API
// route, in HubSpot's order: a bad token is a 401 and uses no budget; an authenticated call counts
// against the (app, portal) budget even when it then fails its scope check.
import type { Request, RequestHandler, Response } from 'express';
import { delay, type Faults } from '../faults.js';
import { apiError, HttpError } from '../http/errors.js';
import type { RateLimiter } from '../rate-limit.js';
import { rateLimitBody } from '../rate-limit.js';
import { bumpCounter, lookupToken, type EmulatorState, type Message } from '../state.js';
import type { WorkflowEngine } from '../workflows/types.js';

/** What HubSpot API routes need. */
export interface ApiDeps {
  state: EmulatorState;
  limiter: RateLimiter;
  faults: Faults;
  appId: number;
  /** Aborted when the emulator stops, to end injected waits. */
  signal: AbortSignal;
  /** The workflow engine, for callback completion. */
  engine?: WorkflowEngine;
  /** Told of every MESSAGE posted through the conversations API (a custom channel sends it on to its webhook). */
  onThreadMessage?: (message: Message) => void;
}

/** The authenticated caller of an API request. */
export interface Principal {
  kind: 'oauth' | 'private';
  portalId: number;
  scopes: string[];
  /** The installing user (OAuth); null for private apps. */
  userId: number | null;
  token: string;
}

/** Per-route requirements. */
export interface GuardOptions {
  /** Any one of these scopes is enough; empty means any valid token. May depend on the request. */
  scopes: string[] | ((req: Request) => string[]);
  /** Search endpoints: per-second limit, no rate-limit headers. */
  search?: boolean;
  /** App-level endpoints (callbacks, uninstall) that a private-app token cannot call. */
  oauthOnly?: boolean;
}

const authDocs = 'https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/**
 * Builds the guard factory for one emulator.
 * @param deps state, limiter and faults
 * @returns a function that makes the middleware for one route
 */
export function createGuard(deps: ApiDeps): (opts: GuardOptions) => RequestHandler {
  return (opts) => async (req, res, next) => {
    const principal = authenticate(deps, req, opts);
    res.locals.portalId = principal.portalId;
    res.locals.principal = principal;
    const ctx = deps.state.ctx;
    bumpCounter(ctx, principal.portalId, 'apiCalls');
    const subject =
      principal.kind === 'oauth'
        ? { key: `app:${deps.appId}:${principal.portalId}`, groupName: `publicapi:oauth-app:${deps.appId}:${principal.portalId}`, privateApp: false }
        : { key: `private:${principal.token}`, groupName: `publicapi:private-app:${principal.portalId}`, privateApp: true };
    if (deps.faults.takeForced429()) {
      bumpCounter(ctx, principal.portalId, 'rateLimited');
      throw new HttpError(429, rateLimitBody('TEN_SECONDLY_ROLLING', subject.groupName), forcedHeaders(deps));
    }
    const decision = deps.limiter.check({ ...subject, search: opts.search === true });
    res.set(decision.headers);
    if (!decision.allowed) {
      bumpCounter(ctx, principal.portalId, 'rateLimited');
      throw new HttpError(429, decision.body ?? {}, decision.headers);
    }
    await delay(deps.faults.get().apiLatencyMs, deps.signal);
    const failure = deps.faults.takeApiFailure(`${req.method} ${req.originalUrl.split('?')[0]}`);
    if (failure !== undefined) throw apiError(failure, 'INTERNAL_ERROR', 'internal error');
    const needed = typeof opts.scopes === 'function' ? opts.scopes(req) : opts.scopes;
    if (needed.length > 0 && !needed.some((s) => principal.scopes.includes(s))) throw missingScopes(needed);
    next();
  };
}

/** The principal the guard stored; only valid behind a guard. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

function authenticate(deps: ApiDeps, req: Request, opts: GuardOptions): Principal {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw apiError(401, 'INVALID_AUTHENTICATION', `Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at ${authDocs}`);
  }
  const token = match[1];
  const found = lookupToken(deps.state.ctx, token);
  if (found.kind === 'unknown') {
    throw apiError(401, 'INVALID_AUTHENTICATION', `Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at ${authDocs}`);
  }
  if (found.state === 'revoked') {
    throw apiError(401, 'INVALID_AUTHENTICATION', 'The OAuth token used to make this call has been revoked.');
  }
  if (found.kind === 'oauth' && found.state === 'expired') {
    const minutes = Math.floor((deps.state.ctx.now() - found.record.expiresAt) / 60_000);
    throw apiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`);
  }
  if (found.kind === 'private' && opts.oauthOnly) {
    throw apiError(401, 'INVALID_AUTHENTICATION', 'This endpoint requires the OAuth access token of an installed app; private app tokens are not accepted.');
  }
  return found.kind === 'oauth'
    ? { kind: 'oauth', portalId: found.record.portalId, scopes: found.record.scopes, userId: found.record.userId, token }
    : { kind: 'private', portalId: found.record.portalId, scopes: found.record.scopes, userId: null, token };
}

function missingScopes(needed: string[]): HttpError {
  return apiError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: needed } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
  });
}

function forcedHeaders(deps: ApiDeps): Record<string, string> {
  const limits = deps.state.ctx.settings().rateLimit;
  return {
    'X-HubSpot-RateLimit-Max': String(limits.max),
    'X-HubSpot-RateLimit-Remaining': '0',
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(limits.intervalMs),
  };
}
