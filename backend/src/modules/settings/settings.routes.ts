import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import { patchSettingsSchema } from './settings.schemas.js';
import type { OrganizationSettings, SettingsService } from './settings.service.js';

/** Presents settings. */
export function presentSettings(settings: OrganizationSettings) {
  return { pauseOnOwnerChange: settings.pauseOnOwnerChange, updatedAt: settings.updatedAt ? settings.updatedAt.toISOString() : null };
}

/** `GET` / `PATCH /api/v1/settings` (organization key). */
export function createSettingsRouter(deps: { settings: SettingsService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  router.use('/api/v1/settings', deps.requireOrganization, jsonBody({ limit: '16kb' }));

  router.get('/api/v1/settings', async function getSettings(_req, res) {
    res.json(presentSettings(await deps.settings.getSettings(currentOrganization(res).id)));
  });

  router.patch('/api/v1/settings', async function patchSettings(req, res) {
    const patch = validate('body', patchSettingsSchema, req.body);
    res.json(presentSettings(await deps.settings.updateSettings(currentOrganization(res).id, patch)));
  });

  return router;
}
