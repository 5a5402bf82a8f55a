import { Router, type RequestHandler } from 'express';
import { AppError } from '../../platform/errors.js';
import { createHtmlErrorHandler, escapeHtml, sendPage } from '../../platform/http/html-page.js';
import { jsonBody } from '../../platform/http/json-body.js';
import { rawBody, rawBodyOf } from '../../platform/http/raw-body.js';
import { findUnstorable } from '../../platform/http/text.js';
import { validate } from '../../platform/http/validate.js';
import type { Logger } from '../../platform/logger.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import { CHANNEL_CONNECT_PATH, CHANNEL_WEBHOOK_PATH } from './register-channel.js';
import { connectInboxSchema, conversationMessagesParamsSchema, deliveryBodySchema, deliveryParamsSchema, hubspotConnectQuerySchema, publishMessageSchema } from './helpdesk.schemas.js';
import type { ChannelAccount, HelpdeskService, HelpdeskStatus, OutboxMessage } from './helpdesk.service.js';

/** Presents an outbox message. */
export function presentMessage(m: OutboxMessage) {
  return {
    id: m.id,
    author: m.author,
    text: m.text,
    richText: m.richText,
    idempotencyKey: m.idempotencyKey,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    hubspotMessageId: m.hubspotMessageId,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt ? m.sentAt.toISOString() : null,
  };
}

const presentAccount = (a: ChannelAccount) => ({ channelAccountId: a.channelAccountId, inboxId: a.inboxId, name: a.name, connectedVia: a.connectedVia, connectedAt: a.createdAt.toISOString() });

/** Presents the help-desk state. */
export function presentStatus(s: HelpdeskStatus) {
  return { state: s.state, missingScopes: s.missingScopes, channelId: s.channelId, account: s.account ? presentAccount(s.account) : null, failedMessages: s.failedMessages };
}

/**
 * The help-desk routes:
 * - vendor API (organization key): `GET /api/v1/helpdesk`, `GET /api/v1/helpdesk/inboxes`,
 *   `POST /api/v1/helpdesk/connect`, `GET|POST /api/v1/conversations/:id/messages`,
 *   `POST /api/v1/conversations/:id/messages/:messageId/delivery`;
 * - HubSpot: `POST /hubspot/channel/webhooks` (v3-signed) and `GET /hubspot/channel/connect` (the
 *   admin's browser, sent by HubSpot's connect flow).
 * Mounted before the conversations router, so its middleware runs once for these paths.
 */
export function createHelpdeskRouter(deps: { helpdesk: HelpdeskService; requireOrganization: RequestHandler; verifySignature: RequestHandler; log: Logger }): Router {
  const router = Router();
  const api = [deps.requireOrganization, jsonBody({ limit: '128kb' })];
  router.use('/api/v1/helpdesk', ...api);

  router.get('/api/v1/helpdesk', async function getHelpdesk(_req, res) {
    res.json(presentStatus(await deps.helpdesk.getStatus(currentOrganization(res).id)));
  });

  router.get('/api/v1/helpdesk/inboxes', async function getHelpdeskInboxes(_req, res) {
    res.json({ inboxes: await deps.helpdesk.listInboxes(currentOrganization(res).id) });
  });

  router.post('/api/v1/helpdesk/connect', async function postHelpdeskConnect(req, res) {
    const body = validate('body', connectInboxSchema, req.body);
    const account = await deps.helpdesk.connectInbox(currentOrganization(res).id, body);
    res.json({ account: presentAccount(account) });
  });

  router.post('/api/v1/conversations/:id/messages', ...api, async function postConversationMessage(req, res) {
    const { id } = validate('params', conversationMessagesParamsSchema, req.params);
    const body = validate('body', publishMessageSchema, req.body);
    const { message, created } = await deps.helpdesk.publishMessage(currentOrganization(res).id, id, body);
    res.status(created ? 202 : 200).json({ message: presentMessage(message) });
  });

  router.get('/api/v1/conversations/:id/messages', ...api, async function getConversationMessages(req, res) {
    const { id } = validate('params', conversationMessagesParamsSchema, req.params);
    const { threadId, messages } = await deps.helpdesk.listMessages(currentOrganization(res).id, id);
    res.json({ threadId, messages: messages.map(presentMessage) });
  });

  router.post('/api/v1/conversations/:id/messages/:messageId/delivery', ...api, async function postMessageDelivery(req, res) {
    const { id, messageId } = validate('params', deliveryParamsSchema, req.params);
    const body = validate('body', deliveryBodySchema, req.body);
    res.json(await deps.helpdesk.reportDelivery(currentOrganization(res).id, id, messageId, body));
  });

  router.post(CHANNEL_WEBHOOK_PATH, rawBody({ limit: '512kb' }), deps.verifySignature, async function postChannelWebhook(req, res) {
    let body: unknown;
    try {
      body = JSON.parse(rawBodyOf(req).toString('utf8'));
    } catch {
      throw new AppError('invalid_body', 'Body is not JSON');
    }
    const unstorable = findUnstorable(body);
    if (unstorable) throw new AppError('invalid_body', 'Body holds text that cannot be stored', { details: [{ path: unstorable.split(':')[0]!, message: 'cannot be stored' }] });
    res.json(await deps.helpdesk.receiveWebhook(body));
  });

  router.get(CHANNEL_CONNECT_PATH, async function getChannelConnect(req, res) {
    const query = validate('query', hubspotConnectQuerySchema, req.query);
    await deps.helpdesk.completeHubSpotConnect(query);
    sendPage(res, 200, 'Channel connected', `<h1>Channel connected</h1><p>${escapeHtml('HubSpot is adding the channel to your inbox. You can close this tab.')}</p>`);
  });
  router.use(CHANNEL_CONNECT_PATH, createHtmlErrorHandler(deps.log));

  return router;
}
