import { createHubSpotCallbacksApi, type HubSpotCallbacksApi } from './callbacks-api.js';
import { createHubSpotCustomChannelsApi, type HubSpotCustomChannelsApi } from './custom-channels-api.js';
import type { HubSpotClient } from './hubspot-client.js';
import { createHubSpotRecordsApi, type HubSpotRecordsApi } from './records-api.js';
import { createHubSpotThreadCommentsApi, type HubSpotThreadCommentsApi } from './thread-comments-api.js';

/**
 * The typed HubSpot adapter modules use (`services.hubspotApi`): one function per endpoint, each
 * knowing its path, building its body through the reference's model and parsing the answer. Only the
 * vendor proxy still sends raw requests (`services.hubspot`), because forwarding arbitrary paths is
 * its job; which paths it may forward is decided in endpoint-scopes.ts.
 */
export type HubSpotApi = HubSpotRecordsApi & HubSpotCallbacksApi & HubSpotCustomChannelsApi & HubSpotThreadCommentsApi;

/** Builds the adapter over the organization-scoped client. */
export function createHubSpotApi(deps: { client: Pick<HubSpotClient, 'request'> }): HubSpotApi {
  return Object.freeze({ ...createHubSpotRecordsApi(deps), ...createHubSpotCallbacksApi(deps), ...createHubSpotCustomChannelsApi(deps), ...createHubSpotThreadCommentsApi(deps) });
}
