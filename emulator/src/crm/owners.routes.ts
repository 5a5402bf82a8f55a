// Owners API: `GET /crm/v3/owners` (paged, `email` filter) and `GET /crm/v3/owners/{id}`
// (`idProperty=id|userId`), plus the dated `/crm/owners/2026-03` form. Scope `crm.objects.owners.read`
// or `automation`.
import { Router, type RequestHandler } from 'express';
import { notFound, validationError } from '../http/errors.js';
import { afterParam, limitParam, stringParam } from '../http/validate.js';
import { listOwners, type Owner } from '../state.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';
import { page, presentOwner } from './present.js';

/**
 * Builds the owners router.
 * @param deps API dependencies
 * @param guard the guard factory
 * @returns the router
 */
export function createOwnersRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const read = guard({ scopes: ['crm.objects.owners.read', 'automation'] });

  router.get('/', read, (req, res) => {
    const archived = stringParam(req.query.archived) === 'true';
    const email = stringParam(req.query.email)?.toLowerCase();
    const owners = listOwners(ctx, principalOf(res).portalId, archived)
      .filter((o) => email === undefined || o.email === email)
      .sort((a, b) => a.id - b.id);
    const { results, paging } = page(owners, afterParam(req.query.after), limitParam(req.query.limit, 100, 500));
    res.json({ results: results.map(presentOwner), ...(paging ? { paging } : {}) });
  });

  router.get('/:ownerId', read, (req, res) => {
    const idProperty = stringParam(req.query.idProperty) ?? 'id';
    if (idProperty !== 'id' && idProperty !== 'userId') throw validationError(`idProperty must be id or userId, got ${idProperty}`);
    const archived = stringParam(req.query.archived) === 'true';
    const key = String(req.params.ownerId);
    const match = (o: Owner) => String(idProperty === 'id' ? o.id : o.userId) === key;
    const owner = listOwners(ctx, principalOf(res).portalId, archived).find(match);
    if (!owner) throw notFound(`Owner ${key} not found`, { context: { id: [key] } });
    res.json(presentOwner(owner));
  });

  return router;
}
