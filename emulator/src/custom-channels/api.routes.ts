// HubSpot's custom channels API, 2026-03, at `/conversations/custom-channels/2026-03`: channel
// registration (developer key), and with a portal's OAuth token (legacy private app tokens refused, as
// the guide says) channel accounts, staging tokens, messages and delivery status. Also the inbox list a
// connection page picks from (`conversations.read`). Scopes as the reference's security lists them.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import express, { Router, type RequestHandler, type Response } from 'express';
import { afterParam, idParam, limitParam, parseInput, stringParam } from '../http/validate.js';
import type { Faults } from '../faults.js';
import { principalOf, type GuardOptions } from '../crm/guard.js';
import { page } from '../crm/present.js';
import { completeStagingToken, createAccount, listAccounts, requireAccount, updateAccount } from './accounts.js';
import { archiveChannel, assertHttpUrl, listChannels, listInboxes, registerChannel, requireChannel, requireInbox, updateChannel } from './channels.js';
import type { ChannelDeps } from './deps.js';
import { developerGuard } from './developer-auth.js';
import { findChannelMessage, publishMessage, updateMessageStatus } from './messages.js';
import { presentAccount, presentChannel, presentChannelMessage, presentInbox, presentStagingToken } from './present.js';
import { accountCreateSchema, accountUpdateSchema, channelCreateSchema, channelPatchSchema, publishSchema, stagingTokenSchema, statusSchema } from './schemas.js';
import { apiError, notFound } from '../http/errors.js';

/** Base path of the custom channels API. */
export const CUSTOM_CHANNELS_BASE = '/conversations/custom-channels/2026-03';

/**
 * Builds the router of the custom channels API and the inbox list (mounted at the root).
 * @param deps state, app id and webhook sender
 * @param app the developer API key
 * @param faults fault injection for the developer-level routes (the guard applies it to the rest)
 * @param guard the HubSpot API guard factory
 */
export function createCustomChannelsApiRouter(deps: ChannelDeps, app: { developerApiKey: string }, faults: Faults, guard: (opts: GuardOptions) => RequestHandler): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const dev = developerGuard({ developerApiKey: app.developerApiKey, appId: deps.appId }, faults);
  const devWithApp = developerGuard({ developerApiKey: app.developerApiKey, appId: deps.appId }, faults, true);
  const anyChannelScope = guard({ scopes: ['conversations.custom_channels.read', 'conversations.custom_channels.write'], oauthOnly: true });
  const channelRead = guard({ scopes: ['conversations.custom_channels.read'], oauthOnly: true });
  const channelWrite = guard({ scopes: ['conversations.custom_channels.write'], oauthOnly: true });
  const inboxRead = guard({ scopes: ['conversations.read'] });
  const portalOf = (res: Response) => principalOf(res).portalId;
  const channelIdOf = (raw: unknown) => idParam(raw, 'channelId');
  const base = CUSTOM_CHANNELS_BASE;
  router.use([base, '/conversations/v3/conversations/inboxes', '/conversations/conversations/2026-09/inboxes'], express.json({ limit: '1mb' }));

  router.get(base, dev, (req, res) => {
    const all = listChannels(ctx, deps.appId);
    const { results, paging } = page(all, afterParam(req.query.after), limitParam(req.query.limit, 100, 500));
    res.json({ results: results.map(presentChannel), total: all.length, ...(paging ? { paging } : {}) });
  });
  router.post(base, devWithApp, (req, res) => {
    const body = parseInput(channelCreateSchema, req.body);
    assertHttpUrl(body.webhookUrl, 'webhookUrl');
    assertHttpUrl(body.channelAccountConnectionRedirectUrl, 'channelAccountConnectionRedirectUrl');
    res.status(201).json(presentChannel(registerChannel(ctx, deps.appId, body)));
  });
  router.get(`${base}/:channelId`, dev, (req, res) => {
    res.json(presentChannel(requireChannel(ctx, deps.appId, channelIdOf(req.params.channelId))));
  });
  router.patch(`${base}/:channelId`, dev, (req, res) => {
    const body = parseInput(channelPatchSchema, req.body);
    assertHttpUrl(body.webhookUrl, 'webhookUrl');
    assertHttpUrl(body.channelAccountConnectionRedirectUrl, 'channelAccountConnectionRedirectUrl');
    res.json(presentChannel(updateChannel(ctx, deps.appId, channelIdOf(req.params.channelId), body)));
  });
  router.delete(`${base}/:channelId`, dev, (req, res) => {
    archiveChannel(ctx, deps.appId, channelIdOf(req.params.channelId));
    res.status(204).end();
  });

  router.patch(`${base}/:channelId/channel-account-staging-tokens/:accountToken`, anyChannelScope, (req, res) => {
    const body = parseInput(stagingTokenSchema, req.body);
    const token = completeStagingToken(deps, portalOf(res), channelIdOf(req.params.channelId), String(req.params.accountToken), body);
    res.json(presentStagingToken(token));
  });
  router.get(`${base}/:channelId/channel-accounts`, anyChannelScope, (req, res) => {
    const all = listAccounts(deps, portalOf(res), channelIdOf(req.params.channelId), stringParam(req.query.archived) === 'true');
    const { results, paging } = page(all, afterParam(req.query.after), limitParam(req.query.limit, 100, 500));
    res.json({ results: results.map(presentAccount), total: all.length, ...(paging ? { paging } : {}) });
  });
  router.post(`${base}/:channelId/channel-accounts`, anyChannelScope, (req, res) => {
    const body = parseInput(accountCreateSchema, req.body);
    res.status(201).json(presentAccount(createAccount(deps, portalOf(res), channelIdOf(req.params.channelId), body)));
  });
  router.get(`${base}/:channelId/channel-accounts/:channelAccountId`, anyChannelScope, (req, res) => {
    const archived = stringParam(req.query.archived) === 'true';
    const account = requireAccount(deps, portalOf(res), channelIdOf(req.params.channelId), idParam(req.params.channelAccountId, 'channelAccountId'), archived);
    res.json(presentAccount(account));
  });
  router.patch(`${base}/:channelId/channel-accounts/:channelAccountId`, anyChannelScope, (req, res) => {
    const body = parseInput(accountUpdateSchema, req.body);
    res.json(presentAccount(updateAccount(deps, portalOf(res), channelIdOf(req.params.channelId), idParam(req.params.channelAccountId, 'channelAccountId'), body)));
  });

  router.post(`${base}/:channelId/messages`, channelWrite, (req, res) => {
    const body = parseInput(publishSchema, req.body);
    const principal = principalOf(res);
    const { message, meta, repeat } = publishMessage(deps, { portalId: principal.portalId, scopes: principal.scopes }, channelIdOf(req.params.channelId), body);
    if (!repeat && deps.faults.lostPublishAnswers > 0) {
      deps.faults.lostPublishAnswers -= 1;
      throw apiError(500, 'INTERNAL_ERROR', 'internal error');
    }
    res.status(201).json(presentChannelMessage(message, meta));
  });
  router.get(`${base}/:channelId/messages/:messageId`, channelRead, (req, res) => {
    const channelId = channelIdOf(req.params.channelId);
    requireChannel(ctx, deps.appId, channelId);
    const found = findChannelMessage(ctx, portalOf(res), channelId, String(req.params.messageId));
    if (!found) throw notFound(`Message ${String(req.params.messageId).slice(0, 64)} not found`);
    res.json(presentChannelMessage(found.message, found.meta));
  });
  router.patch(`${base}/:channelId/messages/:messageId`, channelWrite, (req, res) => {
    const body = parseInput(statusSchema, req.body);
    const found = updateMessageStatus(deps, portalOf(res), channelIdOf(req.params.channelId), String(req.params.messageId), body);
    res.json(presentChannelMessage(found.message, found.meta));
  });

  for (const inboxes of ['/conversations/v3/conversations/inboxes', '/conversations/conversations/2026-09/inboxes']) {
    router.get(inboxes, inboxRead, (req, res) => {
      const all = listInboxes(ctx, portalOf(res));
      const { results, paging } = page(all, afterParam(req.query.after), limitParam(req.query.limit, 100, 500));
      res.json({ results: results.map(presentInbox), total: all.length, ...(paging ? { paging } : {}) });
    });
    router.get(`${inboxes}/:inboxId`, inboxRead, (req, res) => {
      res.json(presentInbox(requireInbox(ctx, portalOf(res), String(req.params.inboxId))));
    });
  }
  return router;
}
