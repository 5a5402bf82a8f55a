import { Router, type RequestHandler } from 'express';
import type { Config } from '../../config.js';
import { jsonBody } from '../../platform/http/json-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization, requireAdmin } from './organizations.auth.js';
import { createOrganizationBodySchema } from './organizations.schemas.js';
import type { Organization, OrganizationsService } from './organizations.service.js';

/** Public shape of an organization. */
export function presentOrganization(org: Organization): { id: string; name: string; oauthOnly: boolean; createdAt: string } {
  return { id: org.id, name: org.name, oauthOnly: org.oauthOnly, createdAt: org.createdAt.toISOString() };
}

/**
 * `POST /api/v1/organizations` (admin key): creates an organization and shows its API key once.
 * `GET /api/v1/organization` (organization key): the calling organization.
 */
export function createOrganizationsRouter(deps: { config: Config; organizations: OrganizationsService; requireOrganization: RequestHandler }): Router {
  const router = Router();
  router.post('/api/v1/organizations', requireAdmin(deps.config), jsonBody({ limit: '10kb' }), async function postOrganization(req, res) {
    const body = validate('body', createOrganizationBodySchema, req.body);
    const { organization, apiKey } = await deps.organizations.createOrganization(body);
    res.status(201).json({ id: organization.id, name: organization.name, oauthOnly: organization.oauthOnly, apiKey });
  });

  router.get('/api/v1/organization', deps.requireOrganization, async function getOrganization(_req, res) {
    const org = await deps.organizations.findById(currentOrganization(res).id);
    // The key was valid a moment ago; a concurrent delete is the only way to get here.
    if (!org) throw new Error('authenticated organization vanished');
    res.json(presentOrganization(org));
  });
  return router;
}
