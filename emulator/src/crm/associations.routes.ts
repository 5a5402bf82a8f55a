// Associations v4 between single records, at `/crm/v4/objects` and the dated `/crm/objects/2026-03`
// (https://developers.hubspot.com/docs/api-reference/2026-03/crm/associations/associations-v4/guide):
// list a record's associations to a type, create the default or labelled association, remove all
// associations between two records. Only the types and HubSpot-defined association types the
// emulator knows are served.
import { Router, type Request, type RequestHandler } from 'express';
import { associationSpecs } from '../conformance/models.js';
import { notFound, validationError } from '../http/errors.js';
import { unknownRoute } from '../http/unknown-route.js';
import { afterParam, limitParam, parseInput } from '../http/validate.js';
import { associate, associatedIds, associationTypes, dissociate, findObject, type ObjectType } from '../state.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';
import { scopesByType, typeNames } from './objects.routes.js';
import { page } from './present.js';

const objectTypeIds: Record<ObjectType, string> = { contacts: '0-1', tickets: '0-5', notes: '0-46' };

/**
 * Builds the associations router (mounted at both prefixes, before the objects router).
 * @param deps API dependencies
 * @param guard the guard factory
 * @param warn where "not emulated" lines go
 * @returns the router
 */
export function createAssociationsRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler, warn: (m: string) => void): Router {
  const router = Router();
  const ctx = deps.state.ctx;
  const types = (req: Request): { from: ObjectType; to: ObjectType } => {
    const from = typeNames[String(req.params.objectType).toLowerCase()];
    const to = typeNames[String(req.params.toObjectType).toLowerCase()];
    if (!from || !to) throw unknownRoute(req, warn);
    return { from, to };
  };
  const read = guard({ scopes: (req) => scopesByType[types(req).from].read });
  const write = guard({ scopes: (req) => scopesByType[types(req).from].write });
  const record = (portalId: number, type: ObjectType, raw: unknown): number => {
    const id = Number(raw);
    if (!/^\d+$/.test(String(raw)) || !findObject(ctx, portalId, type, id)) throw notFound(`${type} ${String(raw)} does not exist`, { context: { id: [String(raw)] } });
    return id;
  };

  router.get('/:objectType/:objectId/associations/:toObjectType', read, (req, res) => {
    const { from, to } = types(req);
    const portalId = principalOf(res).portalId;
    const id = record(portalId, from, req.params.objectId);
    const all = associatedIds(ctx, portalId, from, id, to).map((a) => ({
      toObjectId: a.id,
      associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }],
    }));
    const { results, paging } = page(all, afterParam(req.query.after), limitParam(req.query.limit, 500, 500));
    res.json({ results, ...(paging ? { paging } : {}) });
  });

  router.put('/:objectType/:objectId/associations/default/:toObjectType/:toObjectId', write, (req, res) => {
    const { from, to } = types(req);
    const portalId = principalOf(res).portalId;
    const typeId = defaultTypeId(from, to);
    const fromId = record(portalId, from, req.params.objectId);
    const toId = record(portalId, to, req.params.toObjectId);
    associate(ctx, portalId, from, fromId, to, toId, typeId);
    const at = new Date(ctx.now()).toISOString();
    res.json({
      status: 'COMPLETE',
      results: [{ from: { id: String(fromId) }, to: { id: String(toId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
      startedAt: at,
      completedAt: at,
    });
  });

  router.put('/:objectType/:objectId/associations/:toObjectType/:toObjectId', write, (req, res) => {
    const { from, to } = types(req);
    const portalId = principalOf(res).portalId;
    const specs = parseInput(associationSpecs.min(1), req.body);
    for (const spec of specs) {
      const def = associationTypes[spec.associationTypeId];
      if (spec.associationCategory !== 'HUBSPOT_DEFINED' || !def || def.from !== from || def.to !== to) {
        throw validationError(`association type ${spec.associationCategory}/${spec.associationTypeId} is not valid from ${from} to ${to}`);
      }
    }
    const fromId = record(portalId, from, req.params.objectId);
    const toId = record(portalId, to, req.params.toObjectId);
    for (const spec of specs) associate(ctx, portalId, from, fromId, to, toId, spec.associationTypeId);
    res.status(201).json({ fromObjectTypeId: objectTypeIds[from], fromObjectId: fromId, toObjectTypeId: objectTypeIds[to], toObjectId: toId, labels: [] });
  });

  router.delete('/:objectType/:objectId/associations/:toObjectType/:toObjectId', write, (req, res) => {
    const { from, to } = types(req);
    const portalId = principalOf(res).portalId;
    // Like archiving, removing what is already gone is not an error.
    dissociate(ctx, portalId, from, Number(req.params.objectId), to, Number(req.params.toObjectId));
    res.status(204).end();
  });

  return router;
}

function defaultTypeId(from: ObjectType, to: ObjectType): number {
  const found = Object.entries(associationTypes).find(([, def]) => def.from === from && def.to === to);
  if (!found) throw validationError(`there is no default association from ${from} to ${to}`);
  return Number(found[0]);
}
