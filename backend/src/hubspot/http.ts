import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { BudgetSlot, HubSpotBudget } from './budget.js';
import type { HubSpotLane } from './budget-plan.js';
import { decideRetry, type AttemptOutcome, type RetryPolicy } from './retry-policy.js';

/**
 * The one function through which every HTTP call to HubSpot goes (OAuth, account info, app
 * uninstall, the API client, the proxy), so nothing else may call `fetch` against HubSpot.
 *
 * Calls for a portal (`portalId` set: everything through `services.hubspot`) take a slot from the
 * per-portal budget shared by all processes (budget.ts) and wait out 429s (the pause is shared
 * through the budget). Interactive calls also retry 5xx and network failures a bounded number of
 * times with jittered backoff, and give up early when the caller's deadline cannot be met; bulk
 * calls leave those retries to their pg-boss job (retry-policy.ts). Calls without a portal (the
 * OAuth token endpoints, checking a pasted Private App token, the uninstall call) are single
 * attempts: HubSpot does not count token calls against the API limit, and the token service owns
 * their retries because it holds the token row lock meanwhile.
 *
 * Every attempt has a timeout. Network errors and timeouts become `hubspot_unavailable`; any HTTP
 * status is returned to the caller, which knows what a 400 or a 401 means for its endpoint.
 */

export type { HubSpotLane };

/** One request to HubSpot's API. */
export interface HubSpotHttpRequest {
  method: string;
  /** Path on `HUBSPOT_API_BASE_URL`, starting with `/`. Never an absolute URL. */
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** Bearer token (access token or Private App token); sent only in the Authorization header. */
  bearer?: string;
  /** JSON body (sent as application/json). */
  json?: unknown;
  /** Form body (sent as application/x-www-form-urlencoded); OAuth endpoints take secrets only here. */
  form?: Record<string, string>;
  /** Default interactive. Bulk calls never use the interactive reserve and yield to interactive calls. */
  lane?: HubSpotLane;
  /** Overrides the default timeout of each attempt. */
  timeoutMs?: number;
  /** The portal whose budget the call uses; without it the call is a single unbudgeted attempt. */
  portalId?: number;
  /** Epoch ms after which the caller no longer wants an answer (default for interactive calls: config). */
  deadlineAt?: number;
  /** Safe to repeat after a 500 or a timeout; default: true for GET/HEAD/OPTIONS/PUT/DELETE/PATCH. */
  idempotent?: boolean;
}

/** HubSpot's answer. `body` is parsed JSON when HubSpot sent JSON, else the text (or null when empty). */
export interface HubSpotHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The HubSpot HTTP layer of one process. */
export interface HubSpotHttp {
  /** Base URL every path is resolved against (the emulator in tests). */
  readonly baseUrl: string;
  /**
   * Sends one request (with budget and retries when `portalId` is set).
   * @returns the last answer (a 429 or 5xx when retries ran out or the deadline came first)
   * @throws AppError hubspot_unavailable on a network error or timeout, or no budget slot before the deadline
   * @throws Error when `path` is not a plain absolute path (a programming error)
   */
  request(req: HubSpotHttpRequest): Promise<HubSpotHttpResponse>;
}

/** Options for createHubSpotHttp. */
export interface HubSpotHttpOptions {
  baseUrl: string;
  log: Logger;
  /** Default timeout per attempt (ms). */
  timeoutMs?: number;
  /** The per-portal budget; without it portal calls are not rate-budgeted (unit tests of other layers). */
  budget?: HubSpotBudget;
  /** Retries of portal calls (default 3 attempts, 200 ms doubling to 2 s). */
  retry?: RetryPolicy;
  /** Deadline of interactive portal calls that bring none (default 10 s). */
  interactiveDeadlineMs?: number;
  /** Injectable for tests of this layer only; everything else uses the real fetch over a socket. */
  fetchImpl?: typeof fetch;
  /** Jitter source (tests). */
  random?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Sent on every call. HubSpot asks integrations to identify themselves; the emulator also uses it to
 * tell the backend's requests (checked against HubSpot's API reference) from a test's own.
 */
export const USER_AGENT = 'Switchboard/0.1 (HubSpot app backend)';
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };
const SINGLE_ATTEMPT: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

/** Builds the HubSpot HTTP layer over `baseUrl`. */
export function createHubSpotHttp(options: HubSpotHttpOptions): HubSpotHttp {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  const random = options.random ?? Math.random;
  const log = options.log;

  /** One attempt: the answer, or a network failure (never throws for those). */
  async function attemptOnce(req: HubSpotHttpRequest, url: string, init: { headers: Record<string, string>; body?: string }, timeoutMs: number) {
    const started = Date.now();
    try {
      const res = await doFetch(url, { method: req.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      const text = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        headers[key] = value;
      });
      log.debug({ method: req.method, path: req.path, status: res.status, ms: Date.now() - started, lane: req.lane ?? 'interactive', portalId: req.portalId }, 'hubspot call');
      return { kind: 'response' as const, status: res.status, headers, body: parseBody(text, headers['content-type']) };
    } catch (err) {
      // By name, not instanceof: fetch's DOMException may come from another realm (jest's VM).
      const name = (err as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      log.debug({ method: req.method, path: req.path, ms: Date.now() - started, timedOut }, 'hubspot call failed');
      return { kind: 'network_error' as const, timedOut, detail: timedOut ? `timeout after ${timeoutMs} ms` : errorName(err) };
    }
  }

  return Object.freeze({
    baseUrl,
    async request(req: HubSpotHttpRequest): Promise<HubSpotHttpResponse> {
      const url = buildUrl(baseUrl, req.path, req.query);
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
      let body: string | undefined;
      if (req.bearer) headers.authorization = `Bearer ${req.bearer}`;
      if (req.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(req.form).toString();
      } else if (req.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.json);
      }
      const lane = req.lane ?? 'interactive';
      const budget = req.portalId !== undefined ? options.budget : undefined;
      const portalCall = req.portalId !== undefined;
      const policy = portalCall ? (options.retry ?? DEFAULT_RETRY) : SINGLE_ATTEMPT;
      const started = Date.now();
      const deadlineAt = req.deadlineAt ?? (portalCall && lane === 'interactive' ? started + (options.interactiveDeadlineMs ?? 10_000) : undefined);

      for (let attempt = 1; ; attempt++) {
        let slot: BudgetSlot | undefined;
        if (budget) slot = await budget.acquire(req.portalId!, lane, deadlineAt === undefined ? {} : { deadlineAt });
        const remaining = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
        const timeoutMs = Math.max(1, Math.min(req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS, remaining));
        const outcome = await attemptOnce(req, url, { headers, body }, timeoutMs);
        // The call reached HubSpot no later than now: from here on it counts at this moment.
        slot?.settle();
        const decision = decideRetry({
          outcome: outcome as AttemptOutcome,
          method: req.method,
          lane,
          ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }),
          attempt,
          policy,
          now: Date.now(),
          random,
        });
        const giveUp = !decision.retry || (deadlineAt !== undefined && Date.now() + decision.waitMs >= deadlineAt);
        if (decision.retry && decision.sharedPause && budget) {
          // Shared even when this caller gives up: HubSpot now counts the window as full for everyone.
          await budget.pause(req.portalId!, decision.waitMs).catch((err: unknown) => log.warn({ err, portalId: req.portalId }, 'could not record the HubSpot rate-limit pause'));
        }
        if (giveUp) {
          if (outcome.kind === 'response') {
            return { status: outcome.status, headers: outcome.headers, body: outcome.body };
          }
          throw new AppError('hubspot_unavailable', outcome.timedOut ? 'HubSpot did not answer in time' : 'HubSpot could not be reached', {
            cause: new Error(`${req.method} ${req.path}: ${outcome.detail}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`),
          });
        }
        log.debug({ method: req.method, path: req.path, portalId: req.portalId, attempt, reason: decision.reason, waitMs: decision.waitMs }, 'hubspot call will be retried');
        // After a shared pause the budget itself holds the next attempt back; otherwise wait here.
        const localWait = decision.sharedPause && budget ? 0 : decision.waitMs;
        if (localWait > 0) await new Promise((resolve) => setTimeout(resolve, localWait));
      }
    },
  });
}

/** Resolves `path` on the base URL; refuses anything that could leave the configured host. */
function buildUrl(baseUrl: string, path: string, query: HubSpotHttpRequest['query']): string {
  if (!path.startsWith('/') || path.startsWith('//') || /[\r\n]/.test(path)) throw new Error(`HubSpot path must be absolute-path form: ${path.slice(0, 40)}`);
  const url = new URL(baseUrl + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function errorName(err: unknown): string {
  if (err instanceof Error) {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${err.name} (${code})` : err.name;
  }
  return 'unknown error';
}

/** HubSpot's correlation id from an error body or headers, for logs. */
export function correlationIdOf(res: HubSpotHttpResponse): string | undefined {
  const body = res.body as { correlationId?: unknown } | null;
  if (body && typeof body === 'object' && typeof body.correlationId === 'string') return body.correlationId;
  return res.headers['x-hubspot-correlation-id'];
}

/**
 * Turns an unexpected HubSpot answer into the house error: 429 and 5xx are outages
 * (`hubspot_unavailable`), any other non-2xx is `hubspot_upstream_error`. Never a 400: HubSpot
 * failing is not our caller's mistake.
 */
export function upstreamError(res: HubSpotHttpResponse, what: string): AppError {
  const cause = new Error(`${what}: HubSpot answered ${res.status} (correlation id ${correlationIdOf(res) ?? 'none'})`);
  if (res.status === 429 || res.status >= 500) {
    const retryAfter = res.headers['retry-after'];
    return new AppError('hubspot_unavailable', 'HubSpot is unavailable or rate-limiting; try again shortly', {
      cause,
      ...(retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : {}),
    });
  }
  return new AppError('hubspot_upstream_error', `HubSpot refused the request (${what})`, { cause });
}
