import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import type { ProxyService } from './proxy.service.js';

const PREFIX = '/api/v1/hubspot';

/**
 * `ANY /api/v1/hubspot/*` (organization key): forwards to HubSpot's API with the organization's
 * token. The caller's `Authorization` header authenticates the organization only and is never
 * forwarded; no other request header is forwarded either.
 */
export function createProxyRouter(deps: { proxy: ProxyService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  // Any content type is read as JSON: HubSpot's API takes JSON bodies only.
  const json = jsonBody({ limit: '1mb', type: () => true });

  // Mounted as a prefix, not a `/*path` route: route params are percent-decoded by the router (which
  // hides `%2e%2e` tricks and turns malformed escapes into a 500); the raw path is validated instead.
  router.use(PREFIX, deps.requireOrganization, json, async function forwardToHubSpot(req, res) {
    const rawPath = req.originalUrl.split('?')[0]!.slice(PREFIX.length);
    const query = req.query as Record<string, string | string[]>;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined;
    const answer = await deps.proxy.forward(currentOrganization(res).id, { method: req.method, rawPath, query, body: hasBody ? req.body : undefined });
    res.status(answer.status).set(answer.headers);
    if (answer.body === null || answer.status === 204 || req.method === 'HEAD') res.end();
    else if (typeof answer.body === 'string') res.send(answer.body);
    else res.json(answer.body);
  });

  return router;
}
