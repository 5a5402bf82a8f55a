import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import {
  conversationParamsSchema,
  handoffBodySchema,
  listConversationsQuerySchema,
  transitionBodySchema,
  upsertConversationSchema,
} from './conversations.schemas.js';
import type { Conversation, ConversationsService, NoteWriteback, Transition, TransitionResult } from './conversations.service.js';

const idString = (value: number | null) => (value === null ? null : String(value));

/** Presents a conversation (camelCase, HubSpot ids as strings). */
export function presentConversation(c: Conversation) {
  return {
    id: c.id,
    externalId: c.externalId,
    ticketId: idString(c.ticketId),
    contactId: idString(c.contactId),
    threadId: idString(c.threadId),
    aiState: c.aiState,
    updatedAt: c.updatedAt.toISOString(),
    contactName: c.contactName,
    contactEmail: c.contactEmail,
    threadStatus: c.threadStatus,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Presents one audit-trail entry with its note write-back, if any. */
export function presentTransition(t: Transition, writeback: NoteWriteback | undefined) {
  return {
    id: String(t.id),
    from: t.fromState,
    to: t.toState,
    source: t.source,
    actor: t.actor,
    reason: t.reason,
    occurredAt: t.occurredAt.toISOString(),
    recordedAt: t.createdAt.toISOString(),
    note: writeback
      ? { status: writeback.status, attempts: writeback.attempts, lastError: writeback.lastError, hubspotNoteId: writeback.hubspotNoteId }
      : null,
  };
}

function presentResult(r: TransitionResult) {
  return { ...presentConversation(r.conversation), changed: r.changed };
}

/**
 * The vendor's conversation API (organization key):
 * - `POST /api/v1/conversations` — create or update by `externalId` (201 created, 200 updated);
 * - `GET /api/v1/conversations?ticketId=&contactId=&threadId=` and `GET /api/v1/conversations/:id`;
 * - `POST /api/v1/conversations/:id/pause|resume|handoff` — idempotent (`changed: false` when already
 *   there); 409 `invalid_transition` when not allowed;
 * - `GET /api/v1/conversations/:id/transitions` — the audit trail with note write-back status.
 */
export function createConversationsRouter(deps: { conversations: ConversationsService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  router.use('/api/v1/conversations', deps.requireOrganization, jsonBody({ limit: '64kb' }));

  router.post('/api/v1/conversations', async function postConversation(req, res) {
    const body = validate('body', upsertConversationSchema, req.body);
    const { conversation, created } = await deps.conversations.upsertByExternalId(currentOrganization(res).id, body);
    res.status(created ? 201 : 200).json(presentConversation(conversation));
  });

  router.get('/api/v1/conversations', async function getConversations(req, res) {
    const { limit, ...filter } = validate('query', listConversationsQuerySchema, req.query);
    const conversations = await deps.conversations.findByRecord(currentOrganization(res).id, filter, { limit });
    res.json({ conversations: conversations.map(presentConversation) });
  });

  router.get('/api/v1/conversations/:id', async function getConversation(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    res.json(presentConversation(await deps.conversations.getConversation(currentOrganization(res).id, id)));
  });

  router.get('/api/v1/conversations/:id/transitions', async function getConversationTransitions(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    const { transitions, writebacks } = await deps.conversations.getHistory(currentOrganization(res).id, id);
    const byTransition = new Map(writebacks.map((w) => [w.transitionId, w]));
    res.json({ transitions: transitions.map((t) => presentTransition(t, byTransition.get(t.id))) });
  });

  router.post('/api/v1/conversations/:id/pause', async function postConversationPause(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    const body = validate('body', transitionBodySchema, req.body ?? {});
    res.json(presentResult(await deps.conversations.pause(currentOrganization(res).id, id, { source: 'api', actor: body.actor, reason: body.reason })));
  });

  router.post('/api/v1/conversations/:id/resume', async function postConversationResume(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    const body = validate('body', transitionBodySchema, req.body ?? {});
    res.json(presentResult(await deps.conversations.resume(currentOrganization(res).id, id, { source: 'api', actor: body.actor, reason: body.reason })));
  });

  router.post('/api/v1/conversations/:id/handoff', async function postConversationHandoff(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    const body = validate('body', handoffBodySchema, req.body ?? {});
    res.json(presentResult(await deps.conversations.requestHandoff(currentOrganization(res).id, id, { source: 'api', actor: body.actor, reason: body.reason, team: body.team })));
  });

  return router;
}
