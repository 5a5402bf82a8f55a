import { Router, type RequestHandler } from 'express';
import type { Metrics } from './metrics.service.js';

/**
 * `GET /metrics`: Prometheus text. Guarded by the admin key (Prometheus sends it as a bearer token):
 * the numbers are not tenant data, but an open endpoint on the public port invites scraping and load.
 */
export function createMetricsRouter(deps: { metrics: Metrics; requireAdmin: RequestHandler }): Router {
  const router = Router();
  router.get('/metrics', deps.requireAdmin, async function getMetrics(_req, res) {
    const { contentType, body } = await deps.metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
