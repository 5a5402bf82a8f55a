// Connecting the channel to an organization's inbox or help desk: through our API (the inbox picker
// of the connection page) or HubSpot's own "connect channel" flow (a redirect carrying an account
// token, completed through the staging-token endpoint). Both need the channel scopes; without them
// the state says which are missing and nothing is sent.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { AppError } from '../../platform/errors.js';
import type { HelpdeskDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo, type Channel, type ChannelAccount } from './helpdesk.repository.js';
import { connectionFingerprint, type InboxCache } from './inbox-cache.js';

/** The scopes the help desk needs (the last two are also required scopes of the app). */
export const HELPDESK_SCOPES = ['conversations.custom_channels.read', 'conversations.custom_channels.write', 'conversations.read', 'crm.objects.contacts.write'] as const;

/** Where an organization stands with the help desk. */
export interface HelpdeskStatus {
  state: 'not_connected' | 'needs_scopes' | 'channel_not_registered' | 'ready_to_connect' | 'connected';
  missingScopes: string[];
  channelId: string | null;
  account: ChannelAccount | null;
  failedMessages: number;
}

/** The account's delivery identifier: opaque, one per organization. */
export const accountIdentifier = (organizationId: string) => `switchboard-${organizationId}`;

/** Reads the organization's help-desk state. */
export async function getHelpdeskStatus(deps: HelpdeskDeps, organizationId: string): Promise<HelpdeskStatus> {
  const connection = await deps.connections.findByOrganization(organizationId);
  const channel = await findChannel(deps);
  const account = (await repo.findAccount(deps.db, organizationId)) ?? null;
  const failedMessages = (await repo.listFailed(deps.db, organizationId, 100)).length;
  const base = { channelId: channel?.channelId ?? null, account, failedMessages };
  if (!connection || connection.status !== 'connected') return { state: 'not_connected', missingScopes: [], ...base };
  const missingScopes = HELPDESK_SCOPES.filter((s) => !connection.scopes.includes(s));
  if (missingScopes.length > 0) return { state: 'needs_scopes', missingScopes, ...base };
  if (!channel) return { state: 'channel_not_registered', missingScopes: [], ...base };
  return { state: account ? 'connected' : 'ready_to_connect', missingScopes: [], ...base };
}

/**
 * The organization may use the channel: connected with every help-desk scope, channel registered.
 * @throws AppError missing_scope (with the missing scopes) | conflict (not connected, no channel)
 */
export async function requireChannelAccess(deps: HelpdeskDeps, organizationId: string): Promise<{ channel: Channel; portalId: number; fingerprint: string }> {
  const status = await getHelpdeskStatus(deps, organizationId);
  if (status.state === 'not_connected') throw new AppError('conflict', 'The organization is not connected to HubSpot');
  if (status.state === 'needs_scopes') {
    throw new AppError('missing_scope', `The HubSpot connection lacks the help-desk scopes: ${status.missingScopes.join(', ')}. Reconnect to grant them.`, {
      details: status.missingScopes.map((s) => ({ path: 'scopes', message: `missing ${s}` })),
    });
  }
  const channel = await findChannel(deps);
  if (!channel) throw new AppError('conflict', 'The help-desk channel is not registered: run `switchboard channel register`');
  const connection = (await deps.connections.findByOrganization(organizationId))!;
  return { channel, portalId: connection.portalId, fingerprint: connectionFingerprint(connection) };
}

/**
 * The portal's inboxes and help desks (the picker), reused for a minute per organization and
 * connection (see inbox-cache.ts). @throws as {@link requireChannelAccess}
 */
export async function listInboxes(deps: HelpdeskDeps & { inboxCache: InboxCache }, organizationId: string): Promise<{ id: string; name: string }[]> {
  const { fingerprint } = await requireChannelAccess(deps, organizationId);
  const cached = deps.inboxCache.get(organizationId, fingerprint);
  if (cached) return cached;
  const inboxes = await deps.hubspot.listInboxes(organizationId);
  deps.inboxCache.set(organizationId, fingerprint, inboxes);
  return inboxes;
}

/**
 * Connects the channel to an inbox: creates the channel account at HubSpot and stores it. Connecting
 * again (another inbox) creates a new account and replaces the stored one.
 * @throws as {@link requireChannelAccess}; AppError not_found (no such inbox in the portal) | hubspot_upstream_error when HubSpot refuses the inbox
 */
export async function connectInbox(deps: HelpdeskDeps, organizationId: string, input: { inboxId: string; name?: string }): Promise<ChannelAccount> {
  const { channel, portalId } = await requireChannelAccess(deps, organizationId);
  const existing = await repo.findAccount(deps.db, organizationId);
  if (existing && existing.inboxId === input.inboxId && existing.channelId === channel.channelId) return existing;
  // An id of no inbox of this portal (another portal's, a typo) is the caller's mistake, not HubSpot's.
  const inboxes = await deps.hubspot.listInboxes(organizationId);
  if (!inboxes.some((i) => i.id === input.inboxId)) throw new AppError('not_found', 'This HubSpot account has no inbox or help desk with this id', { details: [{ path: 'inboxId', message: 'no such inbox' }] });
  const name = input.name ?? `${deps.config.branding.productName} AI`;
  const deliveryIdentifier = accountIdentifier(organizationId);
  const created = await deps.hubspot.createChannelAccount(organizationId, channel.channelId, {
    inboxId: input.inboxId,
    name,
    authorized: true,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: deliveryIdentifier },
  });
  return repo.upsertAccount(deps.db, { organizationId, portalId, channelId: channel.channelId, channelAccountId: created.id, inboxId: created.inboxId, name, deliveryIdentifier, connectedVia: 'api' });
}

/**
 * HubSpot's own connect flow: the admin picked an inbox in HubSpot, which sent them to our redirect
 * URL with an account token; naming the account on the staging token lets HubSpot create it, and
 * HubSpot then reports it on the channel webhook (`CHANNEL_ACCOUNT_CREATED`).
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-203
 * @returns the organization that owns the portal
 * @throws AppError not_found (portal never connected) | as {@link requireChannelAccess}
 */
export async function completeHubSpotConnect(deps: HelpdeskDeps, input: { accountToken: string; portalId: number }): Promise<{ organizationId: string }> {
  const connection = await deps.connections.findByPortalId(input.portalId);
  if (!connection || connection.status !== 'connected') throw new AppError('not_found', 'This HubSpot account is not connected: connect it first, then add the channel again');
  const { channel } = await requireChannelAccess(deps, connection.organizationId);
  await deps.hubspot.completeStagingToken(connection.organizationId, channel.channelId, input.accountToken, {
    accountName: `${deps.config.branding.productName} AI`,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: accountIdentifier(connection.organizationId) },
  });
  return { organizationId: connection.organizationId };
}

/** Stores an account HubSpot reports as created for a portal (its own connect flow). */
export async function recordHubSpotCreatedAccount(deps: HelpdeskDeps, input: { portalId: number; channelId: string; channelAccountId: string; inboxId: string; name: string }): Promise<boolean> {
  const connection = await deps.connections.findByPortalId(input.portalId);
  const channel = await findChannel(deps);
  if (!connection || !channel || channel.channelId !== input.channelId) return false;
  // The account we created through the API is reported too: keep how it was connected (decided in
  // the write itself, since the report can arrive while our own connect is storing that account).
  await repo.upsertReportedAccount(deps.db, { organizationId: connection.organizationId, portalId: input.portalId, channelId: input.channelId, channelAccountId: input.channelAccountId, inboxId: input.inboxId, name: input.name, deliveryIdentifier: accountIdentifier(connection.organizationId), connectedVia: 'hubspot' });
  return true;
}

/** The app's registered channel, if any. */
export async function findChannel(deps: Pick<HelpdeskDeps, 'db' | 'config'>): Promise<Channel | undefined> {
  const appId = deps.config.hubspot.appId;
  return appId === undefined ? undefined : repo.findChannel(deps.db, appId);
}
