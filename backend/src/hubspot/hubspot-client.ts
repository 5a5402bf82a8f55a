import { upstreamError, type HubSpotHttp, type HubSpotHttpResponse, type HubSpotLane } from './http.js';

/**
 * HubSpot API calls on behalf of an organization: the token comes from the vault (refreshed there),
 * never from the caller, so a caller-supplied Authorization header can never reach HubSpot. Every
 * call here carries the portal id, so `HubSpotHttp` applies the per-portal budget, 429 waits and
 * bounded retries to it.
 */

/** One API call for an organization. */
export interface HubSpotApiRequest {
  method: string;
  /** Path on HUBSPOT_API_BASE_URL, e.g. `/crm/objects/2026-03/notes` (built in paths.ts). */
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** JSON body. */
  body?: unknown;
  lane?: HubSpotLane;
  /** Epoch ms after which the answer is useless (interactive calls default to the configured deadline). */
  deadlineAt?: number;
  /** Safe to repeat after a 500 or a timeout (default: by method; POST is not). */
  idempotent?: boolean;
}

/** What the vault provides (implemented by the tokens service). */
export interface CredentialProvider {
  getCredential(organizationId: string): Promise<{ token: string; kind: 'oauth' | 'private_app'; portalId: number }>;
  handleUnauthorized(organizationId: string, rejectedToken: string): Promise<{ retryWith?: string }>;
}

/** The organization-scoped HubSpot API client (`services.hubspot`). */
export interface HubSpotClient {
  /**
   * Calls HubSpot with the organization's current token. Any HTTP status is returned as is, except
   * a 401: then the vault checks the token with HubSpot, refreshes it when dead and the call is
   * retried once; a dead grant marks the connection `needs_reauth`.
   * @throws AppError install_not_found | reinstall_required | hubspot_unavailable (network, timeout, refresh outage)
   */
  request(organizationId: string, req: HubSpotApiRequest): Promise<HubSpotHttpResponse>;
}

/** Builds the organization-scoped client. */
export function createHubSpotClient(deps: { http: HubSpotHttp; credentials: CredentialProvider }): HubSpotClient {
  return Object.freeze({
    async request(organizationId: string, req: HubSpotApiRequest): Promise<HubSpotHttpResponse> {
      const credential = await deps.credentials.getCredential(organizationId);
      const send = (bearer: string) =>
        deps.http.request({
          method: req.method,
          path: req.path,
          query: req.query,
          json: req.body,
          bearer,
          lane: req.lane,
          portalId: credential.portalId,
          ...(req.deadlineAt === undefined ? {} : { deadlineAt: req.deadlineAt }),
          ...(req.idempotent === undefined ? {} : { idempotent: req.idempotent }),
        });
      const first = await send(credential.token);
      if (first.status !== 401) return first;
      const { retryWith } = await deps.credentials.handleUnauthorized(organizationId, credential.token);
      return retryWith ? send(retryWith) : first;
    },
  });
}

/**
 * Returns the response when it is a 2xx, else the house error for it (429/5xx →
 * hubspot_unavailable, other → hubspot_upstream_error).
 * @throws AppError hubspot_unavailable | hubspot_upstream_error
 */
export function expectOk(res: HubSpotHttpResponse, what: string): HubSpotHttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  throw upstreamError(res, what);
}
