import { checkEndpointScopes } from '../../hubspot/endpoint-scopes.js';
import type { HubSpotClient } from '../../hubspot/hubspot-client.js';
import { upstreamError } from '../../hubspot/http.js';
import { AppError } from '../../platform/errors.js';
import type { FeatureModule } from '../../platform/module.js';
import type { ConnectionsPort } from './proxy.ports.js';

/** A vendor request to forward. */
export interface ProxyRequest {
  method: string;
  /** The raw (still percent-encoded) path after `/api/v1/hubspot`, e.g. `/crm/v3/objects/tickets/12`. */
  rawPath: string;
  query: Record<string, string | string[]>;
  body?: unknown;
}

/** HubSpot's answer, as forwarded. */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The HubSpot API proxy for the vendor's own automations. */
export interface ProxyService {
  /**
   * Forwards one request with the organization's token (never the caller's). Checks the path
   * (relative, no traversal), then the granted scopes against the endpoint table.
   * @throws AppError invalid_params (bad path) | forbidden (path not offered) | missing_scope (names it) | install_not_found | reinstall_required | hubspot_unavailable (HubSpot 5xx, timeout)
   */
  forward(organizationId: string, req: ProxyRequest): Promise<ProxyResponse>;
}

// Headers worth passing back; everything else (cookies, HubSpot internals) stays here.
const FORWARDED_HEADERS = ['content-type', 'retry-after', 'x-hubspot-correlation-id', 'x-hubspot-ratelimit-daily', 'x-hubspot-ratelimit-daily-remaining', 'x-hubspot-ratelimit-interval-milliseconds', 'x-hubspot-ratelimit-max', 'x-hubspot-ratelimit-remaining'];

/**
 * Validates a raw proxy path and returns it decoded-checked but still encoded for sending.
 * @throws AppError invalid_params for absolute URLs, `..`/`.` segments (also percent-encoded),
 *   encoded slashes or backslashes, empty segments and control characters
 */
export function validateProxyPath(rawPath: string): string {
  const bad = (message: string) => new AppError('invalid_params', 'The HubSpot path is invalid', { details: [{ path: 'path', message }] });
  if (!rawPath.startsWith('/') || rawPath.length < 2) throw bad('a HubSpot API path is required, e.g. /crm/v3/objects/tickets');
  if (rawPath.length > 2000) throw bad('the path is too long');
  if (rawPath.includes('\\') || [...rawPath].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw bad('the path contains forbidden characters');
  if (/%(2f|5c|00)/i.test(rawPath)) throw bad('encoded slashes are not allowed');
  const segments = rawPath.slice(1).split('/');
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw bad('the path is not valid percent-encoding');
    }
    if (segment === '') throw bad('empty path segments are not allowed');
    if (decoded === '.' || decoded === '..') throw bad('relative segments (. and ..) are not allowed');
    if (decoded.includes(':') && segments.indexOf(segment) === 0) throw bad('absolute URLs are not allowed; pass a path on the HubSpot API');
  }
  return rawPath;
}

/** What the proxy needs. */
export interface ProxyDeps {
  hubspot: HubSpotClient;
  connections: ConnectionsPort;
}

/** The proxy module: its service; it has no jobs. */
export function createProxyModule(deps: ProxyDeps): FeatureModule<ProxyService> {
  return { service: createProxyService(deps), jobs: [], schedules: [] };
}

/** Builds the proxy service. */
export function createProxyService(deps: ProxyDeps): ProxyService {
  return Object.freeze<ProxyService>({
    async forward(organizationId: string, req: ProxyRequest): Promise<ProxyResponse> {
      const path = validateProxyPath(req.rawPath);
      const connection = await deps.connections.findByOrganization(organizationId);
      if (!connection || connection.status === 'disconnected') throw new AppError('install_not_found', 'This organization has no HubSpot connection');
      // Private App scopes cannot be read back from HubSpot; for those connections HubSpot enforces them.
      const decodedPath = decodeURIComponent(path);
      const check = checkEndpointScopes(req.method, decodedPath, connection.auth === 'oauth' ? connection.scopes : ['*']);
      if (!check.ok && check.reason === 'not_allowed') throw new AppError('forbidden', `${req.method} ${decodedPath} is not available through the Switchboard HubSpot proxy`);
      if (!check.ok && check.reason === 'missing_scope' && connection.auth === 'oauth') {
        throw new AppError('missing_scope', `The HubSpot connection was not granted the scope "${check.scope}", which ${req.method} ${decodedPath} needs. Reconnect HubSpot and approve it.`, {
          details: [{ path: 'scope', message: check.scope }],
        });
      }
      const res = await deps.hubspot.request(organizationId, { method: req.method, path, query: req.query, body: req.body, lane: 'interactive' });
      // A HubSpot outage is ours to report; a 4xx is HubSpot's answer to the caller's request.
      if (res.status >= 500) throw upstreamError(res, `proxy ${req.method}`);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) if (res.headers[name] !== undefined) headers[name] = res.headers[name]!;
      return { status: res.status, headers, body: res.body };
    },
  });
}
