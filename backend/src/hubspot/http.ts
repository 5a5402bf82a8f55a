import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * The one function through which every HTTP call to HubSpot goes (OAuth, account info, app
 * uninstall, the API client, the proxy). Issue 8 puts the per-portal rate budget here, so nothing
 * else may call `fetch` against HubSpot.
 *
 * Every call has a timeout. Network errors and timeouts become `hubspot_unavailable`; any HTTP status
 * is returned to the caller, which knows what a 400 or a 401 means for its endpoint.
 */

/** Which queue a call belongs to: interactive (a person or HubSpot is waiting) or bulk (jobs). */
export type HubSpotLane = 'interactive' | 'bulk';

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
  lane?: HubSpotLane;
  /** Overrides the default timeout. */
  timeoutMs?: number;
  /** For the log line and, later, the per-portal budget. */
  portalId?: number;
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
   * Sends one request.
   * @throws AppError hubspot_unavailable on a network error or timeout
   * @throws Error when `path` is not a plain absolute path (a programming error)
   */
  request(req: HubSpotHttpRequest): Promise<HubSpotHttpResponse>;
}

/** Options for createHubSpotHttp. */
export interface HubSpotHttpOptions {
  baseUrl: string;
  log: Logger;
  /** Default timeout per call (ms). */
  timeoutMs?: number;
  /** Injectable for tests of this layer only; everything else uses the real fetch over a socket. */
  fetchImpl?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Builds the HubSpot HTTP layer over `baseUrl`. */
export function createHubSpotHttp(options: HubSpotHttpOptions): HubSpotHttp {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  return Object.freeze({
    baseUrl,
    async request(req: HubSpotHttpRequest): Promise<HubSpotHttpResponse> {
      const url = buildUrl(baseUrl, req.path, req.query);
      const headers: Record<string, string> = { accept: 'application/json' };
      let body: string | undefined;
      if (req.bearer) headers.authorization = `Bearer ${req.bearer}`;
      if (req.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(req.form).toString();
      } else if (req.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.json);
      }
      const started = Date.now();
      const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let res: Response;
      try {
        res = await doFetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        options.log.debug({ method: req.method, path: req.path, ms: Date.now() - started, timedOut }, 'hubspot call failed');
        throw new AppError('hubspot_unavailable', timedOut ? 'HubSpot did not answer in time' : 'HubSpot could not be reached', {
          cause: new Error(`${req.method} ${req.path}: ${timedOut ? `timeout after ${timeoutMs} ms` : errorName(err)}`),
        });
      }
      const text = await res.text();
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        responseHeaders[key] = value;
      });
      options.log.debug({ method: req.method, path: req.path, status: res.status, ms: Date.now() - started, lane: req.lane ?? 'interactive', portalId: req.portalId }, 'hubspot call');
      return { status: res.status, headers: responseHeaders, body: parseBody(text, responseHeaders['content-type']) };
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
      ...(retryAfter && /^\d+$/.test(retryAfter) ? { headers: { 'Retry-After': retryAfter } } : {}),
    });
  }
  return new AppError('hubspot_upstream_error', `HubSpot refused the request (${what})`, { cause });
}
