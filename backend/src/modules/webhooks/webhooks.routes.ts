import { Router, type RequestHandler } from 'express';
import { rawBody, rawBodyOf } from '../../platform/http/raw-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import type { Metrics, WebhookRequestOutcome } from '../metrics/metrics.service.js';
import { readBatch } from './intake.js';
import { listWebhookEventsQuerySchema } from './webhooks.schemas.js';
import type { InboxEntry, WebhooksService } from './webhooks.service.js';

/**
 * Largest webhook body accepted. HubSpot sends at most 100 events of a few hundred bytes each; a
 * bigger body is not HubSpot's and is refused (413) before any parsing or storage.
 */
export const WEBHOOK_BODY_LIMIT = '512kb';

const OUTCOME_BY_STATUS: Record<number, WebhookRequestOutcome> = { 200: 'accepted', 400: 'invalid_body', 401: 'signature_invalid', 413: 'too_large', 503: 'unavailable' };

/**
 * Presents an inbox event for troubleshooting (the payload is HubSpot's, ids only). An event refused
 * at intake has null where a field could not be read, and `rawEvent`: its text as received.
 */
export function presentInboxEvent(e: InboxEntry) {
  return {
    id: String(e.id),
    portalId: e.portalId === null ? null : String(e.portalId),
    subscriptionType: e.subscriptionType,
    objectId: e.objectId === null ? null : String(e.objectId),
    eventId: e.eventId === null ? null : String(e.eventId),
    occurredAt: e.occurredAt ? e.occurredAt.toISOString() : null,
    propertyName: e.propertyName,
    status: e.status,
    outcome: e.outcome,
    attempts: e.attempts,
    lastError: e.lastError,
    receivedAt: e.receivedAt.toISOString(),
    processedAt: e.processedAt ? e.processedAt.toISOString() : null,
    rawEvent: e.rawEvent,
  };
}

/**
 * `POST /hubspot/webhooks` (HubSpot): raw body → signature → parse → validate each event → store → 200.
 * A body that is not a batch answers 4xx and a storage failure 503, with nothing stored, so HubSpot
 * retries what we did not keep; an event refused on its own is stored as dead (intake.ts).
 * `GET /api/v1/webhook-events?status=dead` (organization key): the inbox, for troubleshooting.
 */
export function createWebhooksRouter(deps: {
  webhooks: WebhooksService;
  metrics: Metrics;
  /** `requireHubSpotSignature(…, { fallback: config.webhookAllowV1 ? 'v1' : 'none' })` from app.ts. */
  verifySignature: RequestHandler;
  requireOrganization: RequestHandler;
}): Router {
  const router = Router();

  const measure: RequestHandler = (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const outcome = OUTCOME_BY_STATUS[res.statusCode] ?? 'error';
      deps.metrics.webhookRequests.inc({ outcome });
      if (outcome === 'accepted') {
        deps.metrics.webhookAckSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        deps.metrics.webhookBatchSize.observe(Number(res.locals.batchSize ?? 0));
      }
    });
    next();
  };

  router.post('/hubspot/webhooks', measure, rawBody({ limit: WEBHOOK_BODY_LIMIT }), deps.verifySignature, async function postWebhookEvents(req, res) {
    const batch = readBatch(rawBodyOf(req));
    res.locals.batchSize = batch.events.length;
    const result = await deps.webhooks.acceptBatch(batch);
    res.status(200).json(result);
  });

  router.get('/api/v1/webhook-events', deps.requireOrganization, async function getWebhookEvents(req, res) {
    const query = validate('query', listWebhookEventsQuerySchema, req.query);
    const events = await deps.webhooks.listEvents(currentOrganization(res).id, {
      status: query.status,
      after: query.after === undefined ? undefined : Number(query.after),
      limit: query.limit,
    });
    res.json({ events: events.map(presentInboxEvent) });
  });

  return router;
}
