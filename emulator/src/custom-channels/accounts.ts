// Channel accounts (a channel connected to one inbox of one portal) and the staging tokens of
// HubSpot's own "connect channel" flow: an admin starts connecting in HubSpot, HubSpot sends them to
// the channel's `channelAccountConnectionRedirectUrl` with an `accountToken`, and the integration
// completes the token with `PATCH …/channel-account-staging-tokens/{accountToken}`.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { randomUUID } from 'node:crypto';
import { notFound, validationError } from '../http/errors.js';
import { findUser, requirePortal } from '../state/portals.js';
import { requireChannel, requireInbox } from './channels.js';
import { emitChannelEvent, type ChannelDeps } from './deps.js';
import { presentAccount } from './present.js';
import type { Channel, ChannelAccount, DeliveryIdentifier, StagingToken } from './types.js';

/** Input of {@link createAccount} (`PublicChannelAccountEgg`). */
export interface AccountInput {
  inboxId: string;
  name: string;
  authorized: boolean;
  deliveryIdentifier?: DeliveryIdentifier | undefined;
}

/**
 * Connects a channel to an inbox of the portal and sends `CHANNEL_ACCOUNT_CREATED`.
 * @throws HttpError 404 for an unknown channel or inbox
 */
export function createAccount(deps: ChannelDeps, portalId: number, channelId: number, input: AccountInput): ChannelAccount {
  const ctx = deps.state.ctx;
  const channel = requireChannel(ctx, deps.appId, channelId);
  requireInbox(ctx, portalId, input.inboxId);
  const account: ChannelAccount = {
    id: ctx.ids.next('channelAccount'),
    channelId,
    portalId,
    inboxId: input.inboxId,
    name: input.name,
    deliveryIdentifier: input.deliveryIdentifier ?? null,
    authorized: input.authorized,
    createdAt: ctx.now(),
    archived: false,
    archivedAt: null,
  };
  ctx.data.customChannels.accounts.set(account.id, account);
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-205
  emitChannelEvent(deps, channel, portalId, 'CHANNEL_ACCOUNT_CREATED', { channelAccountId: String(account.id), channelAccount: presentAccount(account) });
  return account;
}

/** The portal's accounts of a channel, oldest first. */
export function listAccounts(deps: ChannelDeps, portalId: number, channelId: number, archived = false): ChannelAccount[] {
  requireChannel(deps.state.ctx, deps.appId, channelId);
  return [...deps.state.ctx.data.customChannels.accounts.values()]
    .filter((a) => a.portalId === portalId && a.channelId === channelId && a.archived === archived)
    .sort((a, b) => a.id - b.id);
}

/**
 * One account of the portal on that channel.
 * @throws HttpError 404 when it does not exist there
 */
export function requireAccount(deps: ChannelDeps, portalId: number, channelId: number, accountId: number, archived = false): ChannelAccount {
  requireChannel(deps.state.ctx, deps.appId, channelId);
  const account = deps.state.ctx.data.customChannels.accounts.get(accountId);
  if (!account || account.portalId !== portalId || account.channelId !== channelId || account.archived !== archived) {
    throw notFound(`Channel account ${accountId} not found`);
  }
  return account;
}

/** Renames an account or (un)authorizes it; an unauthorized account accepts no messages. */
export function updateAccount(deps: ChannelDeps, portalId: number, channelId: number, accountId: number, input: { name?: string | undefined; authorized?: boolean | undefined }): ChannelAccount {
  const account = requireAccount(deps, portalId, channelId, accountId);
  if (input.name !== undefined) account.name = input.name;
  if (input.authorized !== undefined) account.authorized = input.authorized;
  return account;
}

/**
 * Starts HubSpot's connect flow as an admin of the portal would: a staging token for (channel, inbox,
 * user), and the URL HubSpot sends the admin to.
 * @throws HttpError 404 for an unknown channel, inbox or user; 400 when the channel has no redirect URL
 */
export function startConnectFlow(deps: ChannelDeps, portalId: number, channelId: number, input: { inboxId?: string | undefined; userId?: number | undefined }): { token: StagingToken; redirectUrl: string } {
  const ctx = deps.state.ctx;
  const channel = requireChannel(ctx, deps.appId, channelId);
  const portal = requirePortal(ctx, portalId);
  if (channel.channelAccountConnectionRedirectUrl === null) throw validationError(`channel ${channelId} has no channelAccountConnectionRedirectUrl`);
  const inbox = requireInbox(ctx, portalId, input.inboxId ?? '147959634');
  const userId = input.userId ?? [...ctx.data.users.values()].find((u) => u.portalId === portalId && u.superAdmin)?.id;
  if (userId === undefined || !findUser(ctx, portalId, userId)) throw notFound(`user ${String(input.userId)} is not a user of portal ${portalId}`);
  const token: StagingToken = {
    accountToken: randomUUID(),
    channelId,
    portalId: portal.id,
    inboxId: inbox.id,
    userId,
    createdAt: ctx.now(),
    accountName: null,
    deliveryIdentifier: null,
    channelAccountId: null,
  };
  ctx.data.customChannels.stagingTokens.set(token.accountToken, token);
  return { token, redirectUrl: connectRedirectUrl(channel, token) };
}

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-206
function connectRedirectUrl(channel: Channel, token: StagingToken): string {
  const url = new URL(channel.channelAccountConnectionRedirectUrl ?? '');
  url.searchParams.set('accountToken', token.accountToken);
  url.searchParams.set('portalId', String(token.portalId));
  url.searchParams.set('inboxId', token.inboxId);
  return url.toString();
}

/**
 * Completes a staging token with the account's name and delivery identifier. The first completion
 * creates the channel account (and sends `CHANNEL_ACCOUNT_CREATED`); a later one renames it.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-207
 * @throws HttpError 404 for a token of another portal or channel
 */
export function completeStagingToken(
  deps: ChannelDeps,
  portalId: number,
  channelId: number,
  accountToken: string,
  input: { accountName?: string | undefined; deliveryIdentifier?: DeliveryIdentifier | undefined },
): StagingToken {
  const ctx = deps.state.ctx;
  requireChannel(ctx, deps.appId, channelId);
  const token = ctx.data.customChannels.stagingTokens.get(accountToken);
  if (!token || token.portalId !== portalId || token.channelId !== channelId) throw notFound('Channel account staging token not found');
  const accountName = input.accountName ?? token.accountName;
  // Checked before anything is written: a refused completion leaves the token as it was.
  if (token.channelAccountId === null && accountName === null) throw validationError('accountName is required to complete the staging token');
  token.accountName = accountName;
  if (input.deliveryIdentifier !== undefined) token.deliveryIdentifier = input.deliveryIdentifier;
  if (token.channelAccountId === null) {
    const account = createAccount(deps, portalId, channelId, {
      inboxId: token.inboxId,
      name: accountName ?? '',
      authorized: true,
      deliveryIdentifier: token.deliveryIdentifier ?? undefined,
    });
    token.channelAccountId = account.id;
  } else {
    updateAccount(deps, portalId, channelId, token.channelAccountId, { name: token.accountName ?? undefined });
  }
  return token;
}
