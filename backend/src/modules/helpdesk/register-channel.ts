// Registering the app's custom channel at HubSpot, once per app and idempotently: the stored
// channel (or the one HubSpot already holds with our webhook URL) is updated to the current branding
// and URLs; only when neither exists is a channel created.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import type { ChannelCreate } from '../../hubspot/models/custom-channels.js';
import { AppError } from '../../platform/errors.js';
import type { HelpdeskDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo } from './helpdesk.repository.js';

/** Where HubSpot posts the channel's events (agent replies, channel accounts created). */
export const CHANNEL_WEBHOOK_PATH = '/hubspot/channel/webhooks';
/** Where HubSpot's own "connect channel" flow sends the admin, with an `accountToken`. */
export const CHANNEL_CONNECT_PATH = '/hubspot/channel/connect';

/**
 * What the channel can do: HubSpot threads by our integration thread id (one per conversation), rich
 * text, and agents may write outgoing messages (the agent replies). Keys from the guide above.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-200
 */
export const CHANNEL_CAPABILITIES = Object.freeze({
  deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER'],
  richText: ['HYPERLINK', 'TEXT_ALIGNMENT', 'BLOCKQUOTE'],
  threadingModel: 'INTEGRATION_THREAD_ID',
  allowConversationStart: false,
  allowOutgoingMessages: true,
  allowInlineImages: false,
  outgoingAttachmentTypes: [],
  allowedFileAttachmentMimeTypes: [],
  maxFileAttachmentCount: 0,
  maxFileAttachmentSizeBytes: 0,
  maxTotalFileAttachmentSizeBytes: 0,
});

/** What a registration did. */
export interface RegistrationResult {
  channelId: string;
  outcome: 'created' | 'updated' | 'adopted';
  webhookUrl: string;
  redirectUrl: string;
}

/** The channel as it should be: branding name and logo, our webhook and connect URLs. */
export function desiredChannel(deps: Pick<HelpdeskDeps, 'config'>): ChannelCreate {
  const { branding, publicBaseUrl } = deps.config;
  return {
    name: branding.productName,
    capabilities: { ...CHANNEL_CAPABILITIES },
    webhookUrl: `${publicBaseUrl}${CHANNEL_WEBHOOK_PATH}`,
    channelAccountConnectionRedirectUrl: `${publicBaseUrl}${CHANNEL_CONNECT_PATH}`,
    channelDescription: `${branding.productName}: AI conversations in your help desk, with handoff to your team`,
    // The reference's update requires a logo: without a branded one, the branded icon the backend serves.
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-201
    channelLogoUrl: branding.logoUrl ?? `${publicBaseUrl}/favicon.ico`,
  };
}

/**
 * Registers (or updates) the app's channel.
 * @param input.developerApiKey overrides the configured key
 * @throws AppError conflict when the app id or the developer API key is not configured; unauthorized when HubSpot refuses the key
 */
export async function registerChannel(deps: Pick<HelpdeskDeps, 'db' | 'config' | 'registry' | 'log'>, input: { developerApiKey?: string }): Promise<RegistrationResult> {
  const appId = deps.config.hubspot.appId;
  const developerApiKey = input.developerApiKey ?? deps.config.hubspot.developerApiKey;
  if (appId === undefined) throw new AppError('conflict', 'HUBSPOT_APP_ID is not set: the channel belongs to the app');
  if (!developerApiKey) throw new AppError('conflict', 'HUBSPOT_DEVELOPER_API_KEY is not set: HubSpot registers channels with the developer API key');
  const auth = { appId, developerApiKey };
  const channel = desiredChannel(deps);
  const stored = await repo.findChannel(deps.db, appId);
  let channelId: string;
  let outcome: RegistrationResult['outcome'];
  if (stored) {
    await deps.registry.updateChannel(auth, stored.channelId, channel);
    channelId = stored.channelId;
    outcome = 'updated';
  } else {
    // A registration whose answer was lost (or a fresh database) must not create a second channel.
    const existing = (await deps.registry.listChannels(auth)).find((c) => c.webhookUrl === channel.webhookUrl);
    if (existing) {
      await deps.registry.updateChannel(auth, existing.id, channel);
      channelId = existing.id;
      outcome = 'adopted';
    } else {
      channelId = (await deps.registry.createChannel(auth, channel)).id;
      outcome = 'created';
    }
  }
  await repo.upsertChannel(deps.db, { appId, channelId, name: channel.name, webhookUrl: channel.webhookUrl, redirectUrl: channel.channelAccountConnectionRedirectUrl, logoUrl: channel.channelLogoUrl });
  deps.log.info({ channelId, outcome }, 'help-desk channel registered');
  return { channelId, outcome, webhookUrl: channel.webhookUrl, redirectUrl: channel.channelAccountConnectionRedirectUrl };
}
