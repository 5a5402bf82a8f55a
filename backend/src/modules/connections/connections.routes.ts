import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import { disconnectQuerySchema, privateAppTokenBodySchema } from './connections.schemas.js';
import type { ConnectionHistoryEntry, ConnectionsService, ConnectionStatusView } from './connections.service.js';

/** The connection status as the vendor API shows it (camelCase, ISO dates). */
export function presentConnectionStatus(s: ConnectionStatusView) {
  return {
    status: s.status,
    auth: s.auth,
    portalId: s.portalId,
    portalDomain: s.portalDomain,
    scopes: s.scopes,
    features: s.features,
    actionRecommended: s.actionRecommended,
    recommendedAction: s.recommendedAction,
    connectedBy: s.connectedBy,
    connectedAt: s.connectedAt?.toISOString() ?? null,
    lastRefreshAt: s.lastRefreshAt?.toISOString() ?? null,
    lastError: s.lastError ? { message: s.lastError.message, at: s.lastError.at.toISOString() } : null,
  };
}

/** One history entry as the vendor API shows it. */
export function presentHistoryEntry(e: ConnectionHistoryEntry) {
  return { event: e.event, auth: e.auth, portalId: e.portalId, detail: e.detail, at: e.at.toISOString() };
}

/**
 * The organization's connection (organization key on every route):
 * `GET /api/v1/connection`, `GET /api/v1/connection/history`,
 * `PUT /api/v1/connection/private-app-token`, `DELETE /api/v1/connection[?uninstall=true]`.
 */
export function createConnectionsRouter(deps: { connections: ConnectionsService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  const json = jsonBody({ limit: '10kb' });

  router.get('/api/v1/connection', deps.requireOrganization, async function getConnection(_req, res) {
    res.json(presentConnectionStatus(await deps.connections.getStatus(currentOrganization(res).id)));
  });

  router.get('/api/v1/connection/history', deps.requireOrganization, async function getConnectionHistory(_req, res) {
    const history = await deps.connections.listHistory(currentOrganization(res).id);
    res.json({ history: history.map(presentHistoryEntry) });
  });

  router.put('/api/v1/connection/private-app-token', deps.requireOrganization, json, async function putPrivateAppToken(req, res) {
    const body = validate('body', privateAppTokenBodySchema, req.body);
    const organizationId = currentOrganization(res).id;
    await deps.connections.setPrivateAppToken({ organizationId, ...body });
    res.json(presentConnectionStatus(await deps.connections.getStatus(organizationId)));
  });

  router.delete('/api/v1/connection', deps.requireOrganization, async function deleteConnection(req, res) {
    const query = validate('query', disconnectQuerySchema, req.query);
    const organizationId = currentOrganization(res).id;
    const result = await deps.connections.disconnect({ organizationId, uninstall: query.uninstall === 'true' });
    res.json({ connection: presentConnectionStatus(await deps.connections.getStatus(organizationId)), ...result });
  });

  return router;
}
