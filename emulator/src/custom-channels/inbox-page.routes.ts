// Routes of the help desk page, under `/_emulator/ui/inbox`: the page (GET, `?portalId=&threadId=`) and
// its forms (POST reply / assign / status / connect), each answered with a 303 back to the page (or, for
// connect, to the channel's connection URL as HubSpot sends the admin there). A refused form shows the
// page again with the reason and the refusal's status.
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { idParam, parseInput, stringParam } from '../http/validate.js';
import { pageCsp } from '../oauth/consent-page.js';
import { listUsers, requirePortal } from '../state.js';
import { startConnectFlow } from './accounts.js';
import { listChannels, listInboxes } from './channels.js';
import type { ChannelDeps } from './deps.js';
import { agentAssign, agentReply, agentSetStatus, inboxThreads } from './inbox.js';
import { renderInboxPage } from './inbox-page.js';

const id = z.string().regex(/^\d{1,15}$/, 'must be a numeric id').transform(Number);
const threadForm = z.object({ portalId: id, threadId: id });
const replyForm = threadForm.extend({ userId: id, text: z.string().min(1, 'the message is empty').max(65_536) });
const assignForm = threadForm.extend({ userId: z.union([z.literal('').transform(() => null), id]) });
const statusForm = threadForm.extend({ status: z.enum(['OPEN', 'CLOSED']) });
const connectForm = z.object({ portalId: id, channelId: id, inboxId: z.string().regex(/^\d{1,15}$/) });

/**
 * Builds the page's router (mounted at `/_emulator`).
 * @param deps state, app id and the channel webhook sender
 */
export function createInboxPageRouter(deps: ChannelDeps): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  router.use('/ui/inbox', express.urlencoded({ extended: false, limit: '100kb' }));

  const show = (res: Response, portalId: number, threadId: number | undefined, status = 200, error?: string) => {
    const threads = inboxThreads(deps, portalId);
    const selected = threadId === undefined ? threads[0] : threads.find((t) => t.id === threadId);
    const view = { portalId, threads, selected, users: listUsers(ctx, portalId), channels: listChannels(ctx, deps.appId), inboxes: listInboxes(ctx, portalId), ...(error ? { error } : {}) };
    res.status(status).set('content-security-policy', pageCsp).type('html').send(renderInboxPage(view));
  };
  const back = (res: Response, portalId: number, threadId: number) => res.redirect(303, `/_emulator/ui/inbox?portalId=${portalId}&threadId=${threadId}`);
  // A refused action keeps the agent on the page with the reason; the portal itself must exist.
  const act = (res: Response, portalId: number, threadId: number | undefined, action: () => void) => {
    try {
      action();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      show(res, portalId, threadId, error.status, error.message);
    }
  };

  router.get('/ui/inbox', (req, res) => {
    const portalId = requirePortal(ctx, idParam(req.query.portalId, 'portalId')).id;
    const thread = stringParam(req.query.threadId);
    show(res, portalId, thread === undefined ? undefined : idParam(thread, 'threadId'));
  });
  router.post('/ui/inbox/reply', (req, res) => {
    const form = parseInput(replyForm, req.body ?? {}, 'form');
    const portalId = requirePortal(ctx, form.portalId).id;
    act(res, portalId, form.threadId, () => {
      agentReply(deps, portalId, form.threadId, { userId: form.userId, text: form.text });
      back(res, portalId, form.threadId);
    });
  });
  router.post('/ui/inbox/assign', (req, res) => {
    const form = parseInput(assignForm, req.body ?? {}, 'form');
    const portalId = requirePortal(ctx, form.portalId).id;
    act(res, portalId, form.threadId, () => {
      agentAssign(deps, portalId, form.threadId, form.userId);
      back(res, portalId, form.threadId);
    });
  });
  router.post('/ui/inbox/status', (req, res) => {
    const form = parseInput(statusForm, req.body ?? {}, 'form');
    const portalId = requirePortal(ctx, form.portalId).id;
    act(res, portalId, form.threadId, () => {
      agentSetStatus(deps, portalId, form.threadId, form.status);
      back(res, portalId, form.threadId);
    });
  });
  router.post('/ui/inbox/connect', (req, res) => {
    const form = parseInput(connectForm, req.body ?? {}, 'form');
    const portalId = requirePortal(ctx, form.portalId).id;
    act(res, portalId, undefined, () => {
      res.redirect(303, startConnectFlow(deps, portalId, form.channelId, { inboxId: form.inboxId }).redirectUrl);
    });
  });
  return router;
}
