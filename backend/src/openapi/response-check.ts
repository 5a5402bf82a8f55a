import type { RequestHandler, Response } from 'express';
import type { Logger } from '../platform/logger.js';
import { API_OPERATIONS } from './api-operations.js';
import { errorBodySchema, eventFeedSchema, namedResponseSchemas } from './api-responses.schemas.js';
import { VENDOR_EVENTS, vendorEventEnvelope, type VendorEventType } from './event-catalogue.js';

const OPERATIONS = new Map(API_OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op]));
const PROXY_PREFIX = '/api/v1/hubspot/';

/**
 * Why an /api/v1 JSON answer does not match the OpenAPI document, or undefined when it does.
 * Errors must be the documented error body; success answers the schema of their route and status;
 * each event in a feed page the catalogue schema of its type.
 */
export function responseMismatch(req: { method: string; path: string; route?: { path?: unknown } }, status: number, body: unknown): string | undefined {
  // HubSpot's own answer, any status passed through: documented as any JSON.
  if (req.path.startsWith(PROXY_PREFIX)) return undefined;
  if (status >= 400) {
    const parsed = errorBodySchema.safeParse(body);
    return parsed.success ? undefined : `error body: ${parsed.error.message}`;
  }
  const routePath = typeof req.route?.path === 'string' ? req.route.path : undefined;
  const op = routePath ? OPERATIONS.get(`${req.method} ${routePath}`) : undefined;
  if (!op) return `${req.method} ${routePath ?? req.path} is not in the document`;
  const spec = op.responses[status];
  if (!spec) return `status ${status} is not documented for ${op.operationId}`;
  if (!spec.schema || spec.schema === 'any') return undefined;
  const parsed = namedResponseSchemas[spec.schema].safeParse(body);
  if (!parsed.success) return `${op.operationId} ${status}: ${parsed.error.message}`;
  if (namedResponseSchemas[spec.schema] === eventFeedSchema) {
    // Each event of a type the catalogue lists must match its webhooks payload schema. (That every
    // type the backend records is listed is checked on the source, in openapi.test.ts; tests may
    // record made-up types of their own.)
    for (const event of (body as { events: { type: string }[] }).events) {
      if (!(event.type in VENDOR_EVENTS)) continue;
      const typed = vendorEventEnvelope(event.type as VendorEventType).safeParse(event);
      if (!typed.success) return `event ${event.type}: ${typed.error.message}`;
    }
  }
  return undefined;
}

/**
 * Test runs only (app.ts mounts it when NODE_ENV is `test`): checks every JSON answer under /api/v1
 * against the OpenAPI document. A mismatch is logged and turned into a 500 naming the problem, so
 * whichever integration test made the request fails, without any test having to ask for the check.
 */
export function checkApiResponses(log: Logger): RequestHandler {
  return function checkApiResponse(req, res, next) {
    if (!req.path.startsWith('/api/v1/') || req.path === '/api/v1/openapi.json') {
      next();
      return;
    }
    const json = res.json.bind(res) as Response['json'];
    // The full path as the app saw it: routers mounted on a prefix rewrite req.path for their handlers.
    const fullPath = req.path;
    res.json = function jsonCheckedAgainstDocument(body: unknown) {
      const problem = responseMismatch({ method: req.method, path: fullPath, route: req.route as { path?: unknown } | undefined }, res.statusCode, body);
      if (!problem) return json(body);
      log.error({ method: req.method, path: fullPath, status: res.statusCode, problem }, 'response does not match the OpenAPI document');
      res.status(500);
      return json({ error: { code: 'server_error', message: `Response does not match the OpenAPI document: ${problem}` } });
    };
    next();
  };
}
