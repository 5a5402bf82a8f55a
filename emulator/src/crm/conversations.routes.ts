// Conversations inbox & messages API: threads list/get/patch/delete and messages at
// `/conversations/v3/conversations`, plus the 2026-09 assignee endpoints. GETs need
// `conversations.read`, everything else `conversations.write`.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { notFound, validationError } from '../http/errors.js';
import { afterParam, limitParam, parseInput, stringParam } from '../http/validate.js';
import {
  assignThread,
  listMessages,
  listThreads,
  postMessage,
  requireThread,
  setThreadArchived,
  setThreadStatus,
  type ChangeOrigin,
  type Thread,
} from '../state.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';
import { page, presentMessage, presentThread } from './present.js';

const patchSchema = z.union([
  z.object({ status: z.enum(['OPEN', 'CLOSED']) }).strict(),
  z.object({ archived: z.literal(false) }).strict(),
]);
const recipientSchema = z.object({
  actorId: z.string().optional(),
  recipientField: z.enum(['TO', 'CC', 'BCC']).optional(),
  deliveryIdentifiers: z.array(z.object({ type: z.string(), value: z.string() })).optional(),
});
const messageSchema = z.object({
  type: z.enum(['MESSAGE', 'COMMENT']),
  text: z.string().min(1),
  richText: z.string().optional(),
  // Required for a MESSAGE; HubSpot's PublicCommentEgg names no sender. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-213
  senderActorId: z.string().regex(/^A-\d+$/, 'senderActorId must be an agent actor id (A-<userId>)').optional(),
  channelId: z.string().optional(),
  channelAccountId: z.string().optional(),
  subject: z.string().optional(),
  recipients: z.array(recipientSchema).optional(),
  attachments: z.array(z.unknown()).optional(),
});
const assigneeSchema = z.object({ actorId: z.string().regex(/^A-\d+$/, 'actorId must be an agent actor id (A-<userId>)') });

const apiOrigin: ChangeOrigin = { changeSource: 'API' };

/**
 * Builds the conversations router.
 * @param deps API dependencies
 * @param guard the guard factory
 * @param opts `assignee`: serve the 2026-09 assignee endpoints (absent from v3)
 * @returns the router
 */
export function createConversationsRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler, opts: { assignee: boolean }): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const read = guard({ scopes: ['conversations.read'] });
  const write = guard({ scopes: ['conversations.write'] });
  const portalOf = (res: Parameters<RequestHandler>[1]) => principalOf(res).portalId;
  const threadId = (raw: unknown) => (typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  const present = (thread: Thread) => presentThread(thread, ctx.data.messages.get(thread.id) ?? []);

  router.get('/threads', read, (req, res) => {
    const status = stringParam(req.query.threadStatus);
    const contactId = stringParam(req.query.associatedContactId);
    const inboxId = stringParam(req.query.inboxId);
    const threads = listThreads(ctx, portalOf(res), stringParam(req.query.archived) === 'true').filter(
      (t) =>
        (status === undefined || t.status === status) &&
        (contactId === undefined || String(t.associatedContactId) === contactId) &&
        (inboxId === undefined || t.inboxId === inboxId),
    );
    const { results, paging } = page(threads, afterParam(req.query.after), limitParam(req.query.limit, 20, 500));
    res.json({ results: results.map(present), ...(paging ? { paging } : {}) });
  });

  router.get('/threads/:threadId', read, (req, res) => {
    const archived = stringParam(req.query.archived) === 'true';
    res.json(present(requireThread(ctx, portalOf(res), threadId(req.params.threadId), archived)));
  });

  router.patch('/threads/:threadId', write, (req, res) => {
    const body = parseInput(patchSchema, req.body);
    const id = threadId(req.params.threadId);
    const thread = 'status' in body ? setThreadStatus(ctx, portalOf(res), id, body.status, apiOrigin) : setThreadArchived(ctx, portalOf(res), id, false, apiOrigin);
    res.json(present(thread));
  });

  router.delete('/threads/:threadId', write, (req, res) => {
    setThreadArchived(ctx, portalOf(res), threadId(req.params.threadId), true, apiOrigin);
    res.status(204).end();
  });

  router.get('/threads/:threadId/messages', read, (req, res) => {
    const messages = listMessages(ctx, portalOf(res), threadId(req.params.threadId));
    const { results, paging } = page(messages, afterParam(req.query.after), limitParam(req.query.limit, 20, 500));
    res.json({ results: results.map(presentMessage), ...(paging ? { paging } : {}) });
  });

  router.get('/threads/:threadId/messages/:messageId', read, (req, res) => {
    const message = listMessages(ctx, portalOf(res), threadId(req.params.threadId)).find((m) => m.id === req.params.messageId);
    if (!message) throw notFound(`Message ${String(req.params.messageId)} not found`);
    res.json(presentMessage(message));
  });

  router.post('/threads/:threadId/messages', write, (req, res) => {
    const body = parseInput(messageSchema, req.body);
    if (body.type === 'MESSAGE' && (!body.channelId || !body.channelAccountId)) {
      throw validationError('channelId and channelAccountId are required to send a MESSAGE (copy them from the thread)');
    }
    if (body.type === 'MESSAGE' && !body.senderActorId) throw validationError('senderActorId is required to send a MESSAGE');
    const principal = principalOf(res);
    // A comment without a sender is the app's own: its integration actor (a private app's is the system's).
    const senderActorId = body.senderActorId ?? (principal.kind === 'oauth' ? `I-${deps.appId}` : 'S-hubspot');
    const message = postMessage(ctx, principal.portalId, threadId(req.params.threadId), {
      ...body,
      senderActorId,
      direction: 'OUTGOING',
      integrationAppId: principal.kind === 'oauth' ? deps.appId : null,
    }, apiOrigin);
    if (message.type === 'MESSAGE') deps.onThreadMessage?.(message);
    res.status(201).json(presentMessage(message));
  });

  if (opts.assignee) {
    router.put('/threads/:threadId/assignee', write, (req, res) => {
      const body = parseInput(assigneeSchema, req.body);
      const thread = assignThread(ctx, portalOf(res), threadId(req.params.threadId), Number(body.actorId.slice(2)), apiOrigin);
      res.json(present(thread));
    });
    router.delete('/threads/:threadId/assignee', write, (req, res) => {
      assignThread(ctx, portalOf(res), threadId(req.params.threadId), null, apiOrigin);
      res.status(204).end();
    });
  }

  return router;
}
