// The control API under `/_emulator/*` (a prefix that can never collide with a HubSpot path): health,
// reset, state dump, clock, settings knobs, counters, request log, published changes, fault injection,
// plus the accounts and records sub-routers. Webhook and workflow routers are mounted beside it.
import express, { Router } from 'express';
import { notFound } from '../http/errors.js';
import { idParam, parseInput, stringParam } from '../http/validate.js';
import { countersByPortal, requirePortal } from '../state.js';
import type { ControlDeps } from './deps.js';
import { createPortalsControlRouter } from './portals.routes.js';
import { createRecordsControlRouter } from './records.routes.js';
import { advanceClockSchema, faultsPatchSchema, settingsPatchSchema } from './schemas.js';

export type { ControlDeps } from './deps.js';

/**
 * Builds the control router (mounted at `/_emulator`).
 * @param deps control dependencies
 * @returns the router
 */
export function createControlRouter(deps: ControlDeps): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ ok: true, now: ctx.now(), appId: deps.app.appId, clientId: deps.app.clientId, instanceId: deps.state.instanceId() });
  });
  router.get('/app', (_req, res) => {
    res.json(deps.app);
  });
  router.post('/reset', (_req, res) => {
    deps.resetAll();
    res.json({ reset: true, instanceId: deps.state.instanceId() });
  });
  router.get('/state', (_req, res) => {
    res.json(deps.state.dump());
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: deps.clock.now() });
  });
  router.post('/clock/advance', (req, res) => {
    const { ms } = parseInput(advanceClockSchema, req.body ?? {});
    res.json({ now: deps.clock.advance(ms) });
  });

  router.get('/settings', (_req, res) => {
    res.json(deps.settings.get());
  });
  router.patch('/settings', (req, res) => {
    res.json(deps.settings.update(parseInput(settingsPatchSchema, req.body ?? {})));
  });

  router.get('/counters', (_req, res) => {
    res.json({ portals: countersByPortal(ctx) });
  });
  router.get('/portals/:portalId/counters', (req, res) => {
    const id = requirePortal(ctx, idParam(req.params.portalId, 'portalId')).id;
    res.json(countersByPortal(ctx)[String(id)] ?? { tokenExchanges: 0, codeExchanges: 0, refreshes: 0, apiCalls: 0, rateLimited: 0 });
  });

  router.get('/requests', (req, res) => {
    const portal = stringParam(req.query.portalId);
    const method = stringParam(req.query.method)?.toUpperCase();
    const path = stringParam(req.query.path);
    const since = Number(stringParam(req.query.since) ?? 0);
    res.json({
      requests: ctx.data.requestLog.filter(
        (r) =>
          r.seq > since &&
          (portal === undefined || String(r.portalId) === portal) &&
          (method === undefined || r.method === method) &&
          (path === undefined || r.path.startsWith(path)),
      ),
    });
  });
  router.delete('/requests', (_req, res) => {
    ctx.data.requestLog.length = 0;
    res.json({ cleared: true });
  });

  router.get('/changes', (req, res) => {
    const portal = stringParam(req.query.portalId);
    res.json({ changes: deps.state.changes().filter((c) => portal === undefined || String(c.change.portalId) === portal) });
  });

  router.get('/faults', (_req, res) => {
    res.json(deps.faults.get());
  });
  router.post('/faults', (req, res) => {
    res.json(deps.faults.set(parseInput(faultsPatchSchema, req.body ?? {})));
  });
  router.delete('/faults', (_req, res) => {
    deps.faults.reset();
    res.json(deps.faults.get());
  });

  router.use(createPortalsControlRouter(deps));
  router.use(createRecordsControlRouter(deps));
  router.use((req) => {
    throw notFound(`no control route ${req.method} /_emulator${req.path}`);
  });
  return router;
}
