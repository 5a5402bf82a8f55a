// The one module through which the cards reach the backend. `hubspotFetcher` is the only call to
// `hubspot.fetch`; everything else takes a `Fetcher`, which the cards read from React context
// (hooks/useCardsApi.ts) so that tests hand in a fake one instead of mocking this module.
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import type {
  Conversation,
  RecordObjectType,
  RecordResponse,
  TransitionAction,
  TransitionRequest,
  TransitionResponse,
} from './contract.js';

/** The signature of `hubspot.fetch`, narrowed to string URLs. */
export type Fetcher = (url: string, options?: HubSpotFetchOptions) => Promise<Response>;

/** The real fetcher: HubSpot signs the request (the identity is already in the URL, see {@link withIdentity}). */
export const hubspotFetcher: Fetcher = (url, options) => hubspot.fetch(url, options);

/** Who is looking at the card, from the extension context (`context.portal.id`, `context.user`). */
export interface CardIdentity {
  portalId: number;
  userId: number;
  userEmail: string;
}

/**
 * Adds the card's identity to a backend URL as `portalId`, `userId` and `userEmail` query parameters,
 * each value escaped with `encodeURIComponent`. The card sends them itself because HubSpot's local dev
 * proxy adds none and production is not documented to (docs/HUBSPOT-ASSUMPTIONS.md#S-1); the backend
 * trusts them only because HubSpot signs the whole URL. The settings page has a copy of this function
 * (src/app/settings/utils/api.ts), kept equal by src/app/settings/__test__/identity.test.ts.
 * @param url an absolute backend URL, with or without a query
 * @param identity the portal and user from the extension context
 * @returns the URL with the three parameters appended
 */
export function withIdentity(url: string, identity: CardIdentity): string {
  const query = [
    `portalId=${encodeURIComponent(String(identity.portalId))}`,
    `userId=${encodeURIComponent(String(identity.userId))}`,
    `userEmail=${encodeURIComponent(identity.userEmail)}`,
  ].join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Why a backend call failed: `network`, `invalid_response`, `http_<status>` or the backend's error code. */
export class ApiError extends Error {
  /**
   * @param code machine-readable reason, e.g. `invalid_transition`
   * @param message text that can be shown to the user
   * @param status HTTP status, or null when no response arrived
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The backend calls the cards make. */
export interface CardsApi {
  /** `GET /hubspot/ui/records/:objectType/:objectId`. @throws ApiError */
  getRecord(objectType: RecordObjectType, objectId: string | number): Promise<RecordResponse>;
  /** `POST /hubspot/ui/conversations/:id/:action`. @throws ApiError (`invalid_transition` on 409) */
  transition(conversationId: string, action: TransitionAction, body?: TransitionRequest): Promise<Conversation>;
}

/**
 * Builds the cards' backend client. Every URL it fetches carries the identity ({@link withIdentity}).
 * @param fetcher `hubspotFetcher` in HubSpot, a fake in tests
 * @param origin the backend origin, from utils/config.ts
 * @param identity the portal and user from the extension context
 * @returns the client
 */
export function createCardsApi(fetcher: Fetcher, origin: string, identity: CardIdentity): CardsApi {
  return {
    async getRecord(objectType, objectId) {
      const path = `/hubspot/ui/records/${objectType}/${encodeURIComponent(String(objectId))}`;
      const body = await requestJson(fetcher, withIdentity(`${origin}${path}`, identity), { method: 'GET' });
      if (!isRecordResponse(body)) throw invalidResponse();
      return body;
    },
    async transition(conversationId, action, body = {}) {
      const path = `/hubspot/ui/conversations/${encodeURIComponent(conversationId)}/${action}`;
      const answer = await requestJson(fetcher, withIdentity(`${origin}${path}`, identity), { method: 'POST', body: { ...body } });
      if (!isTransitionResponse(answer)) throw invalidResponse();
      return answer.conversation;
    },
  };
}

/**
 * Sends one request and returns its parsed JSON body; shared with nothing else on purpose.
 * @param fetcher the fetcher to use
 * @param url absolute URL
 * @param options method and body
 * @returns the parsed body of a 2xx answer
 * @throws ApiError `network`, `invalid_response`, the backend's error code, or `http_<status>`
 */
export async function requestJson(fetcher: Fetcher, url: string, options: HubSpotFetchOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await fetcher(url, options);
  } catch {
    throw new ApiError('network', 'Switchboard could not be reached. Check your connection and try again.', null);
  }
  const body = await readJson(response);
  if (!response.ok) throw errorFromBody(body, response.status);
  if (body === undefined) throw invalidResponse();
  return body;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function errorFromBody(body: unknown, status: number): ApiError {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(error.code, error.message, status);
  }
  return new ApiError(`http_${status}`, `Switchboard answered with an error (HTTP ${status}). Try again.`, status);
}

function invalidResponse(): ApiError {
  return new ApiError('invalid_response', 'Switchboard sent an answer this card does not understand.', null);
}

// Shallow checks only: the backend is ours and validated on its side; these catch a proxy error page
// or a contract drift before the components read missing fields.
function isRecordResponse(body: unknown): body is RecordResponse {
  return isObject(body) && isObject(body.connection) && typeof body.connection.status === 'string' && Array.isArray(body.conversations);
}

function isTransitionResponse(body: unknown): body is TransitionResponse {
  return isObject(body) && isObject(body.conversation) && typeof body.conversation.id === 'string';
}

/**
 * Narrows an unknown value to a plain object.
 * @param value anything
 * @returns whether it is a non-null, non-array object
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
