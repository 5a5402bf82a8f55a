import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import { expectOk, type HubSpotClient } from './hubspot-client.js';
import { upstreamError, type HubSpotHttp, type HubSpotLane } from './http.js';
import {
  channelAccountEggModel,
  channelCreateModel,
  messageEggModel,
  messageUpdateModel,
  stagingTokenUpdateModel,
  type ChannelAccountEgg,
  type ChannelCreate,
  type DeliveryIdentifier,
  type MessageEgg,
} from './models/custom-channels.js';
import { HUBSPOT_PATHS } from './paths.js';

/**
 * HubSpot's custom channels API (2026-03,
 * https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide):
 * registering the app's channel (developer auth), connecting it to a portal's inbox, publishing
 * messages into threads and reporting delivery (the portal's OAuth token, through the budgeted client).
 */

const channelSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string().optional() });
const channelListSchema = z.object({ results: z.array(channelSchema.extend({ webhookUrl: z.string().nullish() })) });
const accountSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), inboxId: z.union([z.string(), z.number()]).transform(String) });
const messageSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), conversationsThreadId: z.union([z.string(), z.number()]).transform(String) });
const inboxesSchema = z.object({ results: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string() })) });

/** The developer credentials channel registration needs. */
export interface DeveloperAuth {
  appId: number;
  developerApiKey: string;
}

/** Channel registration, with the app developer's key (not a portal's token). */
export interface HubSpotChannelRegistry {
  /** `GET /conversations/custom-channels/2026-03?appId=…`: the app's channels. */
  listChannels(auth: DeveloperAuth): Promise<{ id: string; webhookUrl: string | null }[]>;
  /** `POST /conversations/custom-channels/2026-03?appId=…`. @returns the new channel's id */
  createChannel(auth: DeveloperAuth, channel: ChannelCreate): Promise<{ id: string }>;
  /** `PATCH /conversations/custom-channels/2026-03/{channelId}?appId=…` (every field, as the reference requires). */
  updateChannel(auth: DeveloperAuth, channelId: string, channel: ChannelCreate): Promise<void>;
}

/** The channel calls made for an organization, with its portal's token. */
export interface HubSpotCustomChannelsApi {
  /** `GET /conversations/v3/conversations/inboxes`: the portal's inboxes and help desks. */
  listInboxes(organizationId: string): Promise<{ id: string; name: string }[]>;
  /** `POST /{channelId}/channel-accounts`. @returns the account id */
  createChannelAccount(organizationId: string, channelId: string, account: ChannelAccountEgg): Promise<{ id: string; inboxId: string }>;
  /** `PATCH /{channelId}/channel-account-staging-tokens/{accountToken}`: completes HubSpot's own connect flow. */
  completeStagingToken(organizationId: string, channelId: string, accountToken: string, update: { accountName: string; deliveryIdentifier: DeliveryIdentifier }): Promise<void>;
  /**
   * `POST /{channelId}/messages`. Safe to repeat: HubSpot keeps one message per
   * `integrationIdempotencyId`. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-202
   * @returns HubSpot's message id and thread id
   * @throws AppError hubspot_unavailable (429/5xx: retry) | hubspot_upstream_error (refused)
   */
  publishMessage(organizationId: string, channelId: string, message: MessageEgg, lane?: HubSpotLane): Promise<{ messageId: string; threadId: string }>;
  /** `PATCH /{channelId}/messages/{messageId}` with `statusType`. */
  updateMessageStatus(organizationId: string, channelId: string, messageId: string, status: 'SENT' | 'FAILED' | 'READ', errorMessage?: string): Promise<void>;
}

/** Builds the registry over the HTTP layer (single unbudgeted calls: they are not a portal's). */
export function createHubSpotChannelRegistry(deps: { http: Pick<HubSpotHttp, 'request'> }): HubSpotChannelRegistry {
  // The reference's developer_hapikey scheme: the key travels as `hapikey`; the HTTP layer never logs queries.
  const query = (auth: DeveloperAuth) => ({ hapikey: auth.developerApiKey, appId: auth.appId });
  const refuse = (status: number, what: string) => {
    if (status === 401 || status === 403) return new AppError('unauthorized', `HubSpot refused the developer API key (${what})`);
    return undefined;
  };
  return Object.freeze({
    async listChannels(auth: DeveloperAuth) {
      const res = await deps.http.request({ method: 'GET', path: HUBSPOT_PATHS.customChannels, query: query(auth) });
      const refusal = refuse(res.status, 'list channels');
      if (refusal) throw refusal;
      const parsed = channelListSchema.parse(expectOk(res, 'list channels').body);
      return parsed.results.map((c) => ({ id: c.id, webhookUrl: c.webhookUrl ?? null }));
    },
    async createChannel(auth: DeveloperAuth, channel: ChannelCreate) {
      const res = await deps.http.request({ method: 'POST', path: HUBSPOT_PATHS.customChannels, query: query(auth), json: channelCreateModel.parse(channel) });
      const refusal = refuse(res.status, 'create channel');
      if (refusal) throw refusal;
      return { id: channelSchema.parse(expectOk(res, 'create channel').body).id };
    },
    async updateChannel(auth: DeveloperAuth, channelId: string, channel: ChannelCreate) {
      const res = await deps.http.request({ method: 'PATCH', path: HUBSPOT_PATHS.customChannel(channelId), query: query(auth), json: channelCreateModel.parse(channel) });
      const refusal = refuse(res.status, 'update channel');
      if (refusal) throw refusal;
      expectOk(res, 'update channel');
    },
  });
}

/** Builds the organization-scoped channel calls over the budgeted client. */
export function createHubSpotCustomChannelsApi(deps: { client: Pick<HubSpotClient, 'request'> }): HubSpotCustomChannelsApi {
  const { client } = deps;
  return Object.freeze({
    async listInboxes(organizationId: string) {
      const res = expectOk(await client.request(organizationId, { method: 'GET', path: HUBSPOT_PATHS.inboxes, query: { limit: 100 } }), 'list inboxes');
      return inboxesSchema.parse(res.body).results;
    },
    async createChannelAccount(organizationId: string, channelId: string, account: ChannelAccountEgg) {
      const body = channelAccountEggModel.parse(account);
      const res = expectOk(await client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.channelAccounts(channelId), body }), 'create channel account');
      return accountSchema.parse(res.body);
    },
    async completeStagingToken(organizationId: string, channelId: string, accountToken: string, update: { accountName: string; deliveryIdentifier: DeliveryIdentifier }) {
      const body = stagingTokenUpdateModel.parse(update);
      expectOk(await client.request(organizationId, { method: 'PATCH', path: HUBSPOT_PATHS.stagingToken(channelId, accountToken), body }), 'complete staging token');
    },
    async publishMessage(organizationId: string, channelId: string, message: MessageEgg, lane: HubSpotLane = 'bulk') {
      const body = messageEggModel.parse(message);
      // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-202 (a repeat with the same integrationIdempotencyId answers the first message)
      const res = await client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.channelMessages(channelId), body, lane, idempotent: true });
      if (res.status < 200 || res.status >= 300) throw upstreamError(res, 'publish message');
      const parsed = messageSchema.parse(res.body);
      return { messageId: parsed.id, threadId: parsed.conversationsThreadId };
    },
    async updateMessageStatus(organizationId: string, channelId: string, messageId: string, status: 'SENT' | 'FAILED' | 'READ', errorMessage?: string) {
      const body = messageUpdateModel.parse({ statusType: status, ...(errorMessage ? { errorMessage } : {}) });
      expectOk(await client.request(organizationId, { method: 'PATCH', path: HUBSPOT_PATHS.channelMessage(channelId, messageId), body }), 'update message status');
    },
  });
}
