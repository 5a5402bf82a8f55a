// Control routes for acting as a help desk agent and as a HubSpot admin, under `/_emulator`:
//   GET  /portals/:portalId/inbox/threads                       → { threads: InboxThread[] } (messages in order)
//   POST /portals/:portalId/inbox/threads/:threadId/agent-reply { userId, text, richText? } → { message }
//   PUT  /portals/:portalId/inbox/threads/:threadId/assignee    { userId | null } → { thread }
//   POST /portals/:portalId/inbox/threads/:threadId/close       → { thread } (…/reopen opens it again)
//   POST /portals/:portalId/custom-channels/:channelId/connect  { inboxId?, userId? } → { accountToken, redirectUrl }
//        (HubSpot's own "connect channel" flow: where HubSpot would send the admin)
//   GET  /custom-channels                                       → { channels, accounts }
//   POST /custom-channels/faults                                { lostPublishAnswers } → the faults (publishes stored, then answered 500)
//   GET  /custom-channels/webhooks                              → { events, deliveries }
//   POST /custom-channels/webhooks/retry-now                    → { retried }
//   POST /custom-channels/webhooks/wait-idle?timeoutMs=         → { idle: true } (504 when still busy)
import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { ControlError, controlErrorHandler } from '../outbound/control-errors.js';
import { idParam, parseInput, stringParam } from '../http/validate.js';
import { requirePortal, requireThread } from '../state.js';
import { startConnectFlow } from './accounts.js';
import type { ChannelDeps } from './deps.js';
import { agentAssign, agentReply, agentSetStatus, inboxThread, inboxThreads } from './inbox.js';
import { presentAccount, presentChannel } from './present.js';

const replySchema = z.strictObject({ userId: z.number().int().positive(), text: z.string().min(1).max(65_536), richText: z.string().max(262_144).optional() });
const assigneeSchema = z.strictObject({ userId: z.number().int().positive().nullable() });
const faultsSchema = z.strictObject({ lostPublishAnswers: z.number().int().min(0).max(1000) });
const connectSchema = z.strictObject({ inboxId: z.string().regex(/^\d+$/).optional(), userId: z.number().int().positive().optional() });

/**
 * Builds the router (mounted at `/_emulator`, before the core control router).
 * @param deps state, app id and the channel webhook sender
 */
export function createChannelControlRouter(deps: ChannelDeps): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const portalOf = (raw: unknown) => requirePortal(ctx, idParam(raw, 'portalId')).id;
  const threadOf = (raw: unknown) => idParam(raw, 'threadId');
  router.use(['/portals/:portalId/inbox', '/portals/:portalId/custom-channels', '/custom-channels'], express.json({ limit: '1mb' }));

  router.get('/portals/:portalId/inbox/threads', (req, res) => {
    res.json({ threads: inboxThreads(deps, portalOf(req.params.portalId)) });
  });
  router.post('/portals/:portalId/inbox/threads/:threadId/agent-reply', (req, res) => {
    const body = parseInput(replySchema, req.body ?? {});
    const portalId = portalOf(req.params.portalId);
    const message = agentReply(deps, portalId, threadOf(req.params.threadId), body);
    res.status(201).json({ message: inboxThread(deps, requireThread(ctx, portalId, message.threadId)).messages.find((m) => m.id === message.id) });
  });
  router.put('/portals/:portalId/inbox/threads/:threadId/assignee', (req, res) => {
    const body = parseInput(assigneeSchema, req.body ?? {});
    const portalId = portalOf(req.params.portalId);
    res.json({ thread: inboxThread(deps, agentAssign(deps, portalId, threadOf(req.params.threadId), body.userId)) });
  });
  for (const [action, status] of [['close', 'CLOSED'], ['reopen', 'OPEN']] as const) {
    router.post(`/portals/:portalId/inbox/threads/:threadId/${action}`, (req, res) => {
      const portalId = portalOf(req.params.portalId);
      res.json({ thread: inboxThread(deps, agentSetStatus(deps, portalId, threadOf(req.params.threadId), status)) });
    });
  }
  router.post('/portals/:portalId/custom-channels/:channelId/connect', (req, res) => {
    const body = parseInput(connectSchema, req.body ?? {});
    const { token, redirectUrl } = startConnectFlow(deps, portalOf(req.params.portalId), idParam(req.params.channelId, 'channelId'), body);
    res.status(201).json({ accountToken: token.accountToken, redirectUrl });
  });

  router.get('/custom-channels', (_req, res) => {
    const data = ctx.data.customChannels;
    res.json({ channels: [...data.channels.values()].map(presentChannel), accounts: [...data.accounts.values()].map((a) => ({ ...presentAccount(a), portalId: a.portalId })) });
  });
  router.post('/custom-channels/faults', (req, res) => {
    deps.faults.lostPublishAnswers = parseInput(faultsSchema, req.body ?? {}).lostPublishAnswers;
    res.json({ lostPublishAnswers: deps.faults.lostPublishAnswers });
  });
  router.get('/custom-channels/webhooks', (_req, res) => {
    res.json({ events: deps.webhooks.events(), deliveries: deps.webhooks.deliveries() });
  });
  router.post('/custom-channels/webhooks/retry-now', (_req, res) => {
    res.json({ retried: deps.webhooks.retryNow() });
  });
  router.post('/custom-channels/webhooks/wait-idle', async (req, res) => {
    const timeoutMs = Math.min(Number(stringParam(req.query.timeoutMs) ?? 10_000) || 10_000, 120_000);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const idle = await Promise.race([deps.webhooks.idle().then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (!idle) throw new ControlError(504, 'webhooks_not_idle', `custom channel deliveries still pending after ${timeoutMs} ms`);
    res.json({ idle: true });
  });
  return router;
}

/** Answers a {@link ControlError} in the control wire shape; anything else goes on to the core control error middleware. */
export const channelControlErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (err instanceof ControlError) controlErrorHandler(err, req, res, next);
  else next(err);
};
