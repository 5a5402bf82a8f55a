// The request `hubspot.fetch` makes on a card's behalf
// (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data):
// only to permitted origins, v2 and v3 signatures with the app's client secret over the final URL as sent
// (v3 too: the dev proxy signs with `@hubspot/api-client`'s `Signature`, which does not decode), JSON
// body, 15 s default deadline (120 s at most), one retry on a connection failure or 5xx, at most 20
// requests in flight per portal, 1 MB each way.
//
// Like HubSpot's local dev proxy (`AppProxyService` in `@hubspot/ui-extensions-dev-server`, run by
// `hs project dev`), it adds no query parameters by default: the card's URL is sent as given. With
// `appendIdentity` it also appends `portalId`, `userId`, `userEmail` and `appId`, for testing a backend
// against a HubSpot that does (docs/HUBSPOT-ASSUMPTIONS.md#S-1).
import { Signature } from '@hubspot/api-client';
import { signedHeaders } from '../signing.js';
import { sendOutbound } from '../outbound/http.js';
import type { OutboundResult } from '../outbound/http.js';
import { ControlError } from '../outbound/control-errors.js';

/** What the card asked for, plus who is looking at it. */
export interface UiFetchRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  body?: unknown;
  /** The only header hubspot.fetch lets through. */
  headers?: { Authorization?: string };
  portalId: number;
  userId: number;
  userEmail: string;
  appId?: number;
  timeoutMs?: number;
  /** Append the identity parameters to the URL (default: the proxy's `appendIdentity`, else false). */
  appendIdentity?: boolean;
}

/** What the card's `hubspot.fetch` promise resolves with. */
export interface UiFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** How many requests were sent (2 when the one retry happened). */
  attempts: number;
  /** The final URL, exactly as sent and signed. */
  url: string;
}

/** One request as sent, for the control API's log. */
export interface UiFetchLogEntry {
  at: number;
  method: string;
  url: string;
  portalId: number;
  status?: number;
  error?: string;
  latencyMs: number;
}

/** Settings of the proxy. */
export interface UiFetchProxyOptions {
  clientSecret: string;
  appId: number;
  permittedFetch: string[];
  now: () => number;
  /** Default of {@link UiFetchRequest.appendIdentity} (false: behave like the dev proxy). */
  appendIdentity?: boolean;
}

/** HubSpot's documented limits. */
export const UI_FETCH_LIMITS = Object.freeze({ defaultTimeoutMs: 15_000, maxTimeoutMs: 120_000, maxBytes: 1_000_000, maxInFlightPerPortal: 20 });

/** The hubspot.fetch stand-in with its request log. */
export interface UiFetchProxy {
  /** @throws ControlError 403 fetch_not_permitted, 400 invalid_body, 413, 502 fetch_failed, 504 fetch_timeout */
  send(req: UiFetchRequest): Promise<UiFetchResponse>;
  requests(): UiFetchLogEntry[];
  reset(): void;
}

/**
 * Creates the hubspot.fetch stand-in.
 * @param opts client secret, app id, permitted origins and clock
 * @returns the proxy
 */
export function createUiFetchProxy(opts: UiFetchProxyOptions): UiFetchProxy {
  const permittedOrigins = new Set(opts.permittedFetch.map(originOf).filter((o): o is string => o !== undefined));
  const inFlight = new Map<number, number>();
  let log: UiFetchLogEntry[] = [];

  async function send(req: UiFetchRequest): Promise<UiFetchResponse> {
    const target = parseUrl(req.url);
    if (!permittedOrigins.has(target.origin)) {
      throw new ControlError(403, 'fetch_not_permitted', `${target.origin} is not in permittedUrls.fetch`, { permitted: [...permittedOrigins] });
    }
    const method = req.method ?? 'GET';
    if (method === 'GET' && req.body !== undefined) throw new ControlError(400, 'invalid_body', 'A GET request cannot have a body');
    const url = (req.appendIdentity ?? opts.appendIdentity ?? false) ? appendIdentity(target.toString(), req, opts.appId) : target.toString();
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined && Buffer.byteLength(body) > UI_FETCH_LIMITS.maxBytes) {
      throw new ControlError(413, 'fetch_body_too_large', 'hubspot.fetch bodies are limited to 1 MB');
    }
    const timeoutMs = Math.min(req.timeoutMs ?? UI_FETCH_LIMITS.defaultTimeoutMs, UI_FETCH_LIMITS.maxTimeoutMs);
    const open = inFlight.get(req.portalId) ?? 0;
    if (open >= UI_FETCH_LIMITS.maxInFlightPerPortal) {
      return { status: 429, headers: {}, body: { status: 'error', message: 'Too many concurrent hubspot.fetch requests' }, attempts: 0, url };
    }
    inFlight.set(req.portalId, open + 1);
    try {
      let result = await attempt(method, url, body, req, timeoutMs);
      let attempts = 1;
      if (result.kind === 'connection_error' || (result.kind === 'response' && result.status >= 500)) {
        result = await attempt(method, url, body, req, timeoutMs);
        attempts = 2;
      }
      return present(result, attempts, url);
    } finally {
      inFlight.set(req.portalId, (inFlight.get(req.portalId) ?? 1) - 1);
    }
  }

  async function attempt(method: string, url: string, body: string | undefined, req: UiFetchRequest, timeoutMs: number): Promise<OutboundResult> {
    const at = opts.now();
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(req.headers?.Authorization !== undefined ? { Authorization: req.headers.Authorization } : {}),
      ...signedHeaders({ method, url, body: body ?? '', clientSecret: opts.clientSecret, timestamp: at, versions: ['v2', 'v3'] }),
      // As HubSpot's dev proxy (dist/lib/proxy/signing.js): v3 over the URL exactly as sent.
      // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-3
      'X-HubSpot-Signature-v3': Signature.getSignature(method, 'v3', { clientSecret: opts.clientSecret, url, requestBody: body ?? '', timestamp: at, signature: '' }),
    };
    const result = await sendOutbound({ url, method, headers, ...(body !== undefined ? { body } : {}), timeoutMs });
    const entry: UiFetchLogEntry = { at, method, url, portalId: req.portalId, latencyMs: result.latencyMs };
    if (result.kind === 'response') entry.status = result.status;
    else entry.error = result.kind === 'connection_error' ? `connection_error: ${result.message}` : result.kind;
    log.push(entry);
    return result;
  }

  return {
    send,
    requests: () => log.map((entry) => ({ ...entry })),
    reset() {
      log = [];
    },
  };
}

function present(result: OutboundResult, attempts: number, url: string): UiFetchResponse {
  if (result.kind === 'timeout') throw new ControlError(504, 'fetch_timeout', `${url} did not answer in time`);
  if (result.kind !== 'response') {
    throw new ControlError(502, 'fetch_failed', `${url} could not be reached: ${result.kind === 'connection_error' ? result.message : result.kind}`);
  }
  if (Buffer.byteLength(result.text) > UI_FETCH_LIMITS.maxBytes) {
    throw new ControlError(502, 'fetch_response_too_large', 'hubspot.fetch responses are limited to 1 MB');
  }
  let body: unknown = result.text;
  if ((result.headers['content-type'] ?? '').includes('json') && result.text !== '') {
    try {
      body = JSON.parse(result.text) as unknown;
    } catch {
      // Declared JSON but is not: the card would get a parse error; hand the text over unchanged.
    }
  }
  return { status: result.status, headers: result.headers, body, attempts, url };
}

// Appended after whatever the card sent, its own parameters untouched: if the card sent the same names,
// they now appear twice, which is what a backend must cope with if HubSpot appends them too.
function appendIdentity(url: string, req: UiFetchRequest, appId: number): string {
  const identity = new URLSearchParams({ portalId: String(req.portalId), userId: String(req.userId), userEmail: req.userEmail, appId: String(req.appId ?? appId) });
  const joiner = !url.includes('?') ? '?' : url.endsWith('?') ? '' : '&';
  return `${url}${joiner}${identity.toString()}`;
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ControlError(400, 'invalid_body', `Not an absolute URL: ${url}`);
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
