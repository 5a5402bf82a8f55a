// The one module through which the settings page reaches the backend (`GET`/`PATCH /hubspot/ui/settings`,
// `GET /hubspot/ui/helpdesk`, `POST /hubspot/ui/helpdesk/connect`).
//
// Why not reuse src/app/cards/utils/api.ts: HubSpot builds each UI extension from its own folder with
// its own package.json and node_modules (ui-extensions-dev-server warns that importing files from
// outside the extension directory "is not supported"), so runtime code is not shared across
// cards/ and settings/. Types are: `import type` is erased before bundling. The origin rule below is
// the cards' rule (cards/utils/config.ts); src/app/cards/__test__/config.test.ts keeps both fallbacks
// equal to src/hsprofile.production.json.
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import type { HelpdeskConnectRequest, HelpdeskResponse, SettingsPatch, SettingsResponse } from '../../cards/utils/contract.js';

/** The signature of `hubspot.fetch`, narrowed to string URLs. */
export type Fetcher = (url: string, options?: HubSpotFetchOptions) => Promise<Response>;

/** The real fetcher: HubSpot signs the request (the identity is already in the URL, see {@link withIdentity}). */
export const hubspotFetcher: Fetcher = (url, options) => hubspot.fetch(url, options);

/** Who is looking at the page, from the extension context (`context.portal.id`, `context.user`). */
export interface PageIdentity {
  portalId: number;
  userId: number;
  userEmail: string;
}

/**
 * Adds the page's identity to a backend URL as `portalId`, `userId` and `userEmail` query parameters,
 * escaped with `encodeURIComponent`; the backend trusts them only because HubSpot signs the whole URL
 * (docs/HUBSPOT-ASSUMPTIONS.md#S-1). Same rule as the cards' `withIdentity`
 * (src/app/cards/utils/api.ts); src/app/settings/__test__/identity.test.ts keeps the two equal.
 * @param url an absolute backend URL, with or without a query
 * @param identity the portal and user from the extension context
 * @returns the URL with the three parameters appended
 */
export function withIdentity(url: string, identity: PageIdentity): string {
  const query = [
    `portalId=${encodeURIComponent(String(identity.portalId))}`,
    `userId=${encodeURIComponent(String(identity.userId))}`,
    `userEmail=${encodeURIComponent(identity.userEmail)}`,
  ].join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Production's `BACKEND_URL` origin, used when HubSpot passes no profile variables. */
export const DEFAULT_BACKEND_ORIGIN = 'https://switchboard.example.com';

/**
 * Picks the backend origin: the profile's `BACKEND_URL` (from `context.variables`) or production's.
 * @param variables `context.variables`, when HubSpot provides them
 * @returns an origin without path or trailing slash
 */
export function backendOrigin(variables: Readonly<Record<string, unknown>> | undefined): string {
  const value = variables?.BACKEND_URL;
  if (typeof value !== 'string') return DEFAULT_BACKEND_ORIGIN;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : DEFAULT_BACKEND_ORIGIN;
  } catch {
    return DEFAULT_BACKEND_ORIGIN;
  }
}

/** Why a settings call failed: `network`, `invalid_response`, `http_<status>` or the backend's error code. */
export class SettingsApiError extends Error {
  /**
   * @param code machine-readable reason
   * @param message text that can be shown to the user
   * @param status HTTP status, or null when no response arrived
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'SettingsApiError';
  }
}

/** The backend calls the settings page makes. */
export interface SettingsApi {
  /** `GET /hubspot/ui/settings`. @throws SettingsApiError */
  getSettings(): Promise<SettingsResponse>;
  /** `PATCH /hubspot/ui/settings` with only the changed fields. @throws SettingsApiError */
  updateSettings(patch: SettingsPatch): Promise<SettingsResponse>;
  /** `GET /hubspot/ui/helpdesk`: the help-desk state and inbox picker. @throws SettingsApiError */
  getHelpdesk(): Promise<HelpdeskResponse>;
  /** `POST /hubspot/ui/helpdesk/connect`: connects the channel to the inbox. @throws SettingsApiError */
  connectHelpdesk(body: HelpdeskConnectRequest): Promise<HelpdeskResponse>;
}

/**
 * Builds the settings page's backend client. Every URL it fetches carries the identity ({@link withIdentity}).
 * @param fetcher `hubspotFetcher` in HubSpot, a fake in tests
 * @param origin the backend origin from {@link backendOrigin}
 * @param identity the portal and user from the extension context
 * @returns the client
 */
export function createSettingsApi(fetcher: Fetcher, origin: string, identity: PageIdentity): SettingsApi {
  const url = withIdentity(`${origin}/hubspot/ui/settings`, identity);
  const helpdeskUrl = withIdentity(`${origin}/hubspot/ui/helpdesk`, identity);
  const connectUrl = withIdentity(`${origin}/hubspot/ui/helpdesk/connect`, identity);
  return {
    getSettings: () => request(fetcher, url, { method: 'GET' }, isSettings),
    updateSettings: (patch) => request(fetcher, url, { method: 'PATCH', body: { ...patch } }, isSettings),
    getHelpdesk: () => request(fetcher, helpdeskUrl, { method: 'GET' }, isHelpdesk),
    connectHelpdesk: (body) => request(fetcher, connectUrl, { method: 'POST', body: { inboxId: body.inboxId } }, isHelpdesk),
  };
}

// Shallow checks: they catch a proxy error page or contract drift before components read missing fields.
const isSettings = (body: Record<string, unknown>): boolean => isObject(body.connection) && isObject(body.settings);
const isHelpdesk = (body: Record<string, unknown>): boolean => typeof body.state === 'string' && Array.isArray(body.missingScopes);

async function request<T>(fetcher: Fetcher, url: string, options: HubSpotFetchOptions, looksRight: (body: Record<string, unknown>) => boolean): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(url, options);
  } catch {
    throw new SettingsApiError('network', 'Switchboard could not be reached. Check your connection and try again.', null);
  }
  let body: unknown;
  try {
    body = (await response.json()) as unknown;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = isObject(body) && isObject(body.error) ? body.error : undefined;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new SettingsApiError(error.code, error.message, response.status);
    }
    throw new SettingsApiError(`http_${response.status}`, `Switchboard answered with an error (HTTP ${response.status}). Try again.`, response.status);
  }
  if (!isObject(body) || !looksRight(body)) {
    throw new SettingsApiError('invalid_response', 'Switchboard sent an answer this page does not understand.', null);
  }
  return body as unknown as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
