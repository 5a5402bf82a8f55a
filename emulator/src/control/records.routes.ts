// Control routes that seed and change CRM records and conversations "as a HubSpot user would in the
// UI". They call the same state functions as the CRM API, so each change publishes the same webhook
// events, with `changeSource: CRM_UI` and `sourceId: userId:<actor>`.
import { Router } from 'express';
import { validationError } from '../http/errors.js';
import { idParam, parseInput } from '../http/validate.js';
import {
  archiveObject,
  assignThread,
  associate,
  createObject,
  createThread,
  findUser,
  listObjects,
  listMessages,
  listThreads,
  listUsers,
  postMessage,
  privacyDeleteContact,
  requireObject,
  requirePortal,
  requireThread,
  setThreadArchived,
  setThreadStatus,
  updateObject,
  type ChangeOrigin,
  type ObjectType,
} from '../state.js';
import type { ControlDeps } from './deps.js';
import {
  actorOnlySchema,
  createRecordSchema,
  createThreadSchema,
  threadAssigneeSchema,
  threadMessageSchema,
  threadStatusSchema,
  ticketOwnerSchema,
  updateRecordSchema,
} from './schemas.js';

/**
 * Builds the records control router (mounted at `/_emulator`).
 * @param deps control dependencies
 * @returns the router
 */
export function createRecordsControlRouter(deps: ControlDeps): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const portalId = (raw: unknown) => requirePortal(ctx, idParam(raw, 'portalId')).id;
  const origin = (portal: number, actorUserId: number | undefined): ChangeOrigin => {
    const actor = actorUserId ?? listUsers(ctx, portal).sort((a, b) => a.id - b.id).find((u) => u.superAdmin)?.id;
    if (actorUserId !== undefined && !findUser(ctx, portal, actorUserId)) throw validationError(`user ${actorUserId} is not a user of portal ${portal}`);
    return actor === undefined ? { changeSource: 'CRM_UI' } : { changeSource: 'CRM_UI', sourceId: `userId:${actor}` };
  };

  for (const type of ['contacts', 'tickets'] as const satisfies readonly ObjectType[]) {
    const linkType = type === 'tickets' ? 16 : 15;
    const linkTarget: ObjectType = type === 'tickets' ? 'contacts' : 'tickets';
    router.get(`/portals/:portalId/${type}`, (req, res) => {
      res.json({ [type]: listObjects(ctx, portalId(req.params.portalId), type) });
    });
    router.post(`/portals/:portalId/${type}`, (req, res) => {
      const portal = portalId(req.params.portalId);
      const body = parseInput(createRecordSchema, req.body ?? {});
      const associations = (body.associatedIds ?? []).map((id) => ({ to: { id }, types: [{ associationTypeId: linkType }] }));
      res.status(201).json(createObject(ctx, portal, type, { properties: body.properties, associations }, origin(portal, body.actorUserId)));
    });
    router.patch(`/portals/:portalId/${type}/:id`, (req, res) => {
      const portal = portalId(req.params.portalId);
      const body = parseInput(updateRecordSchema, req.body ?? {});
      res.json(updateObject(ctx, portal, type, idParam(req.params.id, 'id'), body.properties, origin(portal, body.actorUserId)));
    });
    router.delete(`/portals/:portalId/${type}/:id`, (req, res) => {
      const portal = portalId(req.params.portalId);
      const body = parseInput(actorOnlySchema, req.body ?? {});
      archiveObject(ctx, portal, type, idParam(req.params.id, 'id'), origin(portal, body.actorUserId));
      res.json({ archived: true });
    });
    router.post(`/portals/:portalId/${type}/:id/associations/:toId`, (req, res) => {
      const portal = portalId(req.params.portalId);
      const from = requireObject(ctx, portal, type, idParam(req.params.id, 'id'));
      const to = requireObject(ctx, portal, linkTarget, idParam(req.params.toId, 'toId'));
      associate(ctx, portal, type, from.id, linkTarget, to.id, linkType);
      res.json({ associated: true });
    });
  }

  router.put('/portals/:portalId/tickets/:id/owner', (req, res) => {
    const portal = portalId(req.params.portalId);
    const body = parseInput(ticketOwnerSchema, req.body ?? {});
    const properties = { hubspot_owner_id: body.ownerId === null ? '' : String(body.ownerId) };
    res.json(updateObject(ctx, portal, 'tickets', idParam(req.params.id, 'id'), properties, origin(portal, body.actorUserId)));
  });

  router.post('/portals/:portalId/contacts/:id/privacy-delete', (req, res) => {
    const portal = portalId(req.params.portalId);
    const body = parseInput(actorOnlySchema, req.body ?? {});
    privacyDeleteContact(ctx, portal, idParam(req.params.id, 'id'), origin(portal, body.actorUserId));
    res.json({ deleted: true });
  });

  router.get('/portals/:portalId/threads', (req, res) => {
    const portal = portalId(req.params.portalId);
    res.json({ threads: listThreads(ctx, portal).map((t) => ({ ...t, messages: ctx.data.messages.get(t.id) ?? [] })) });
  });
  router.post('/portals/:portalId/threads', (req, res) => {
    const portal = portalId(req.params.portalId);
    const { actorUserId, ...input } = parseInput(createThreadSchema, req.body ?? {});
    res.status(201).json(createThread(ctx, portal, input, origin(portal, actorUserId)));
  });
  router.put('/portals/:portalId/threads/:id/assignee', (req, res) => {
    const portal = portalId(req.params.portalId);
    const body = parseInput(threadAssigneeSchema, req.body ?? {});
    res.json(assignThread(ctx, portal, idParam(req.params.id, 'id'), body.userId, origin(portal, body.actorUserId)));
  });
  router.put('/portals/:portalId/threads/:id/status', (req, res) => {
    const portal = portalId(req.params.portalId);
    const body = parseInput(threadStatusSchema, req.body ?? {});
    res.json(setThreadStatus(ctx, portal, idParam(req.params.id, 'id'), body.status, origin(portal, body.actorUserId)));
  });
  router.delete('/portals/:portalId/threads/:id', (req, res) => {
    const portal = portalId(req.params.portalId);
    const body = parseInput(actorOnlySchema, req.body ?? {});
    res.json(setThreadArchived(ctx, portal, idParam(req.params.id, 'id'), true, origin(portal, body.actorUserId)));
  });
  router.get('/portals/:portalId/threads/:id/messages', (req, res) => {
    res.json({ messages: listMessages(ctx, portalId(req.params.portalId), idParam(req.params.id, 'id')) });
  });
  router.post('/portals/:portalId/threads/:id/messages', (req, res) => {
    const portal = portalId(req.params.portalId);
    const threadId = idParam(req.params.id, 'id');
    const body = parseInput(threadMessageSchema, req.body ?? {});
    const thread = requireThread(ctx, portal, threadId);
    const changeOrigin = origin(portal, body.actorUserId);
    const direction = body.direction ?? (body.type === 'COMMENT' ? 'OUTGOING' : 'INCOMING');
    const agent = body.actorUserId ?? Number(changeOrigin.sourceId?.slice('userId:'.length));
    const sender =
      body.senderActorId ??
      (direction === 'INCOMING' ? (thread.associatedContactId !== null ? `V-${thread.associatedContactId}` : 'E-visitor@example.com') : `A-${agent}`);
    const message = postMessage(ctx, portal, threadId, { type: body.type ?? 'MESSAGE', text: body.text, subject: body.subject, senderActorId: sender, direction }, changeOrigin);
    res.status(201).json(message);
  });

  return router;
}
