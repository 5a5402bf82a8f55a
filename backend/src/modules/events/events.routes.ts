import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import { listDeliveriesQuerySchema, listEventsQuerySchema, putEventDestinationSchema } from './events.schemas.js';
import type { EventDelivery, EventDestination, EventsService } from './events.service.js';

/** Presents a destination (never its secret). */
export function presentDestination(destination: EventDestination) {
  return { url: destination.url, createdAt: destination.createdAt.toISOString(), updatedAt: destination.updatedAt.toISOString() };
}

/** Presents one push attempt. */
export function presentDelivery(delivery: EventDelivery) {
  return {
    id: String(delivery.id),
    eventId: String(delivery.eventId),
    url: delivery.url,
    attempt: delivery.attempt,
    status: delivery.status,
    responseStatus: delivery.responseStatus,
    error: delivery.error,
    durationMs: delivery.durationMs,
    createdAt: delivery.createdAt.toISOString(),
  };
}

/**
 * The vendor's event API (organization key):
 * - `GET /api/v1/events?after=<cursor>&limit=` — the feed, oldest first;
 * - `PUT /api/v1/event-destination` `{ url }` — push URL; answers the signing secret, shown only here;
 * - `GET` / `DELETE /api/v1/event-destination`;
 * - `GET /api/v1/event-destination/deliveries?eventId=` — the push delivery log.
 */
export function createEventsRouter(deps: { events: EventsService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  router.use('/api/v1/events', deps.requireOrganization);
  router.use('/api/v1/event-destination', deps.requireOrganization, jsonBody({ limit: '16kb' }));

  router.get('/api/v1/events', async function getEvents(req, res) {
    const query = validate('query', listEventsQuerySchema, req.query);
    const page = await deps.events.listFeed(currentOrganization(res).id, { after: query.after === undefined ? undefined : Number(query.after), limit: query.limit });
    res.json(page);
  });

  router.put('/api/v1/event-destination', async function putEventDestination(req, res) {
    const body = validate('body', putEventDestinationSchema, req.body);
    const { destination, secret } = await deps.events.setDestination(currentOrganization(res).id, body.url);
    res.json({ ...presentDestination(destination), secret });
  });

  router.get('/api/v1/event-destination', async function getEventDestination(_req, res) {
    const destination = await deps.events.getDestination(currentOrganization(res).id);
    res.json({ destination: destination ? presentDestination(destination) : null });
  });

  router.delete('/api/v1/event-destination', async function deleteEventDestination(_req, res) {
    await deps.events.deleteDestination(currentOrganization(res).id);
    res.status(204).end();
  });

  router.get('/api/v1/event-destination/deliveries', async function getEventDeliveries(req, res) {
    const query = validate('query', listDeliveriesQuerySchema, req.query);
    const deliveries = await deps.events.listDeliveries(currentOrganization(res).id, { eventId: query.eventId === undefined ? undefined : Number(query.eventId), limit: query.limit });
    res.json({ deliveries: deliveries.map(presentDelivery) });
  });

  return router;
}
