// CRM objects API for contacts, tickets and notes: `/crm/v3/objects/{type}` and the
// dated `/crm/objects/2026-03/{type}` forms. Create, read, update, archive, list, batch read/update
// (≤100 inputs) and search. Every write goes through the state functions, so it publishes webhooks.
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { notFound, validationError } from '../http/errors.js';
import { unknownRoute } from '../http/unknown-route.js';
import { afterParam, limitParam, listParam, parseInput, stringParam } from '../http/validate.js';
import {
  archiveObject,
  createObject,
  findObject,
  listObjects,
  updateObject,
  validateProperties,
  type ChangeOrigin,
  type ObjectType,
} from '../state.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';
import { page, presentObject } from './present.js';
import { parseSearchBody, runSearch } from './search.js';

/** Object type names, singular names and type ids of the served types. */
export const typeNames: Record<string, ObjectType> = {
  tickets: 'tickets', ticket: 'tickets', '0-5': 'tickets',
  contacts: 'contacts', contact: 'contacts', '0-1': 'contacts',
  notes: 'notes', note: 'notes', '0-46': 'notes',
};

/** Scopes per type. Notes take the scope of the records they hang off. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-15 */
export const scopesByType: Record<ObjectType, { read: string[]; write: string[] }> = {
  tickets: { read: ['tickets'], write: ['tickets'] },
  contacts: { read: ['crm.objects.contacts.read'], write: ['crm.objects.contacts.write'] },
  notes: { read: ['tickets', 'crm.objects.contacts.read'], write: ['tickets', 'crm.objects.contacts.write'] },
};

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const propertiesSchema = z.record(z.string(), propertyValue);
const associationSchema = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]) }),
  types: z.array(z.object({ associationCategory: z.string().optional(), associationTypeId: z.number().int() })).min(1),
});
const createSchema = z.object({ properties: propertiesSchema, associations: z.array(associationSchema).optional() });
const updateSchema = z.object({ properties: propertiesSchema });
const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]) })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const batchUpdateSchema = z.object({ inputs: z.array(z.object({ id: z.union([z.string(), z.number()]), properties: propertiesSchema })) });

const apiOrigin: ChangeOrigin = { changeSource: 'API' };

/**
 * Builds the objects router (mounted at both the v3 and the 2026-03 prefixes).
 * @param deps API dependencies
 * @param guard the guard factory
 * @param warn where "not emulated" lines go
 * @returns the router
 */
export function createObjectsRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler, warn: (m: string) => void): Router {
  const router = Router({ mergeParams: true });
  const ctx = deps.state.ctx;
  const typeOf = (req: Request): ObjectType => {
    const type = typeNames[String(req.params.objectType).toLowerCase()];
    if (!type) throw unknownRoute(req, warn);
    return type;
  };
  // An object type the emulator does not serve is an unknown route: 404 before any auth check.
  const knownType: RequestHandler = (req, _res, next) => {
    typeOf(req);
    next();
  };
  const read = [knownType, guard({ scopes: (req) => scopesByType[typeOf(req)].read })];
  const write = [knownType, guard({ scopes: (req) => scopesByType[typeOf(req)].write })];
  const search = [knownType, guard({ scopes: (req) => scopesByType[typeOf(req)].read, search: true })];
  const portalOf = (res: Parameters<RequestHandler>[1]) => principalOf(res).portalId;

  router.get('/:objectType', ...read, (req, res) => {
    const type = typeOf(req);
    const archived = stringParam(req.query.archived) === 'true';
    const all = listObjects(ctx, portalOf(res), type, archived);
    const { results, paging } = page(all, afterParam(req.query.after), limitParam(req.query.limit, 10, 100));
    const props = listParam(req.query.properties);
    const assoc = associationTypesParam(req.query.associations);
    res.json({ results: results.map((o) => presentObject(deps.state, o, props, assoc)), ...(paging ? { paging } : {}) });
  });

  router.post('/:objectType', ...write, (req, res) => {
    const type = typeOf(req);
    const body = parseInput(createSchema, req.body);
    const object = createObject(ctx, portalOf(res), type, body, apiOrigin);
    res.status(201).json(presentObject(deps.state, object, Object.keys(body.properties)));
  });

  router.post('/:objectType/search', ...search, (req, res) => {
    const type = typeOf(req);
    const body = parseSearchBody(req.body, warn);
    const hits = runSearch(listObjects(ctx, portalOf(res), type), body);
    const { results, paging } = page(hits, body.offset, body.limit);
    res.json({ total: hits.length, results: results.map((o) => presentObject(deps.state, o, body.properties)), ...(paging ? { paging } : {}) });
  });

  router.post('/:objectType/batch/read', ...read, (req, res) => {
    const type = typeOf(req);
    const body = parseInput(batchReadSchema, req.body);
    assertBatchSize(body.inputs.length);
    const portalId = portalOf(res);
    const byEmail = body.idProperty === 'email' && type === 'contacts';
    if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id' && !byEmail) {
      throw validationError(`idProperty ${body.idProperty} is not supported by the emulator`);
    }
    const found = body.inputs.map((input) => {
      const key = String(input.id);
      const object = byEmail
        ? listObjects(ctx, portalId, type).find((o) => o.properties.email?.toLowerCase() === key.toLowerCase())
        : findObject(ctx, portalId, type, Number(key));
      return { key, object };
    });
    const results = found.flatMap((f) => (f.object ? [presentObject(deps.state, f.object, body.properties)] : []));
    const missing = found.filter((f) => !f.object).map((f) => f.key);
    sendBatch(res, ctx.now(), results, missing, type);
  });

  router.post('/:objectType/batch/update', ...write, (req, res) => {
    const type = typeOf(req);
    const body = parseInput(batchUpdateSchema, req.body);
    assertBatchSize(body.inputs.length);
    const portalId = portalOf(res);
    // HubSpot rejects the whole batch when a value is invalid, so validate everything before writing.
    for (const input of body.inputs) validateProperties(ctx, portalId, type, input.properties, 'update');
    const missing = body.inputs.filter((i) => !findObject(ctx, portalId, type, Number(i.id))).map((i) => String(i.id));
    const results = body.inputs
      .filter((i) => !missing.includes(String(i.id)))
      .map((i) => presentObject(deps.state, updateObject(ctx, portalId, type, Number(i.id), i.properties, apiOrigin), Object.keys(i.properties)));
    sendBatch(res, ctx.now(), results, missing, type);
  });

  router.get('/:objectType/:objectId', ...read, (req, res) => {
    const type = typeOf(req);
    const portalId = portalOf(res);
    const idProperty = stringParam(req.query.idProperty);
    const key = String(req.params.objectId);
    const object =
      idProperty === 'email' && type === 'contacts'
        ? listObjects(ctx, portalId, type).find((o) => o.properties.email?.toLowerCase() === key.toLowerCase())
        : stringParam(req.query.archived) === 'true'
          ? listObjects(ctx, portalId, type, true).find((o) => String(o.id) === key)
          : findObject(ctx, portalId, type, numericId(key));
    if (!object) throw notFound('Object not found.  objectId are usually numeric.', { context: { id: [key] } });
    res.json(presentObject(deps.state, object, listParam(req.query.properties), associationTypesParam(req.query.associations)));
  });

  router.patch('/:objectType/:objectId', ...write, (req, res) => {
    const type = typeOf(req);
    const body = parseInput(updateSchema, req.body);
    const object = updateObject(ctx, portalOf(res), type, numericId(String(req.params.objectId)), body.properties, apiOrigin);
    res.json(presentObject(deps.state, object, Object.keys(body.properties)));
  });

  router.delete('/:objectType/:objectId', ...write, (req, res) => {
    const type = typeOf(req);
    const portalId = portalOf(res);
    const id = numericId(String(req.params.objectId));
    // HubSpot answers 204 for an id that is already gone; archiving twice is not an error.
    if (findObject(ctx, portalId, type, id)) archiveObject(ctx, portalId, type, id, apiOrigin);
    res.status(204).end();
  });

  return router;
}

function numericId(text: string): number {
  // A non-numeric id can never match; NaN makes the lookups miss and answer HubSpot's 404.
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

function associationTypesParam(value: unknown): ObjectType[] {
  return [...new Set(listParam(value).map((name) => typeNames[name.toLowerCase()]).filter((t): t is ObjectType => t !== undefined))];
}

function assertBatchSize(count: number): void {
  if (count > 100) throw validationError(`Batch inputs are limited to 100; got ${count}`);
}

function sendBatch(res: Parameters<RequestHandler>[1], now: number, results: unknown[], missing: string[], type: ObjectType): void {
  const at = new Date(now).toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
  if (missing.length === 0) {
    res.json(body);
    return;
  }
  const label = type.replace(/s$/, '').toUpperCase();
  body.numErrors = 1;
  body.errors = [
    {
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: `Could not get some ${label} objects, they may be deleted or not exist. Check that ids are valid.`,
      context: { ids: missing },
      // Required by @hubspot/api-client's StandardError model (emulator/src/sdk-models.int.test.ts).
      links: {},
      errors: [],
    },
  ];
  res.status(207).json(body);
}
