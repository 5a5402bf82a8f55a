// Contacts, tickets and notes with associations. Both the CRM API and the control API change records
// only through these functions, so every change publishes the same webhook events HubSpot would.
import { apiError, notFound, validationError } from '../http/errors.js';
import { validateProperties, type PropertyInput } from './properties.js';
import type { StateContext } from './store.js';
import type { ChangeOrigin, CrmObject, ObjectType } from './types.js';

/** One association in a create body, as HubSpot takes it (`associations[]` of v3 create). */
export interface AssociationInput {
  to: { id: string | number };
  types: { associationCategory?: string; associationTypeId: number }[];
}

/** HubSpot-defined association types between the emulated objects (id → direction and label). */
export const associationTypes: Record<number, { from: ObjectType; to: ObjectType; label: string; inverse: number }> = {
  15: { from: 'contacts', to: 'tickets', label: 'contact_to_ticket', inverse: 16 },
  16: { from: 'tickets', to: 'contacts', label: 'ticket_to_contact', inverse: 15 },
  201: { from: 'contacts', to: 'notes', label: 'contact_to_note', inverse: 202 },
  202: { from: 'notes', to: 'contacts', label: 'note_to_contact', inverse: 201 },
  227: { from: 'tickets', to: 'notes', label: 'ticket_to_note', inverse: 228 },
  228: { from: 'notes', to: 'tickets', label: 'note_to_ticket', inverse: 227 },
};

/** Legacy webhook prefix and generic object type id of each type (notes send no events here). */
const eventInfo: Record<ObjectType, { prefix?: string; objectTypeId: string }> = {
  contacts: { prefix: 'contact', objectTypeId: '0-1' },
  tickets: { prefix: 'ticket', objectTypeId: '0-5' },
  notes: { objectTypeId: '0-46' },
};

// Computed properties: maintained here, never published as property changes.
const systemProperties = new Set(['hs_object_id', 'createdate', 'hs_createdate', 'hs_lastmodifieddate', 'lastmodifieddate']);

/**
 * Creates a record, with its associations, and publishes `<type>.creation`.
 * @throws HttpError 400 for invalid properties or associations, 409 for a duplicate contact email
 */
export function createObject(
  ctx: StateContext,
  portalId: number,
  type: ObjectType,
  input: { properties: Record<string, PropertyInput>; associations?: AssociationInput[] },
  origin: ChangeOrigin,
): CrmObject {
  const properties = validateProperties(ctx, portalId, type, input.properties, 'create');
  const links = (input.associations ?? []).map((a) => resolveAssociation(ctx, portalId, type, a));
  if (type === 'contacts' && properties.email) assertUniqueEmail(ctx, portalId, properties.email);
  const at = ctx.now();
  const id = ctx.ids.next(type);
  const iso = new Date(at).toISOString();
  const object: CrmObject = {
    id,
    portalId,
    type,
    properties: { ...properties, ...timestamps(type, iso, iso), hs_object_id: String(id) },
    createdAt: at,
    updatedAt: at,
    archived: false,
    archivedAt: null,
  };
  if (type === 'tickets') object.properties.hs_pipeline ??= '0';
  ctx.data.objects[type].set(id, object);
  for (const link of links) associate(ctx, portalId, type, id, link.toType, link.toId, link.typeId);
  publishObjectEvent(ctx, object, 'creation', origin);
  return object;
}

/** A live (not archived) record of that portal, or undefined. */
export function findObject(ctx: StateContext, portalId: number, type: ObjectType, id: number): CrmObject | undefined {
  const object = ctx.data.objects[type].get(id);
  return object && object.portalId === portalId && !object.archived ? object : undefined;
}

/**
 * A live record of that portal.
 * @throws HttpError 404 OBJECT_NOT_FOUND
 */
export function requireObject(ctx: StateContext, portalId: number, type: ObjectType, id: number): CrmObject {
  const object = findObject(ctx, portalId, type, id);
  if (!object) throw notFound('Object not found.  objectId are usually numeric.', { context: { id: [String(id)] } });
  return object;
}

/** Records of a portal in id order; archived ones only when asked. */
export function listObjects(ctx: StateContext, portalId: number, type: ObjectType, archived = false): CrmObject[] {
  return [...ctx.data.objects[type].values()]
    .filter((o) => o.portalId === portalId && o.archived === archived)
    .sort((a, b) => a.id - b.id);
}

/**
 * Updates properties and publishes one `<type>.propertyChange` per changed value.
 * @throws HttpError 404 for an unknown record, 400 for invalid properties, 409 for a duplicate email
 */
export function updateObject(
  ctx: StateContext,
  portalId: number,
  type: ObjectType,
  id: number,
  input: Record<string, PropertyInput>,
  origin: ChangeOrigin,
): CrmObject {
  const object = requireObject(ctx, portalId, type, id);
  const properties = validateProperties(ctx, portalId, type, input, 'update');
  if (type === 'contacts' && properties.email && properties.email !== object.properties.email) {
    assertUniqueEmail(ctx, portalId, properties.email);
  }
  const changed: [string, string][] = [];
  for (const [name, value] of Object.entries(properties)) {
    if ((object.properties[name] ?? '') === value) continue;
    if (value === '') delete object.properties[name];
    else object.properties[name] = value;
    changed.push([name, value]);
  }
  if (changed.length === 0) return object;
  object.updatedAt = ctx.now();
  const iso = new Date(object.updatedAt).toISOString();
  Object.assign(object.properties, timestamps(type, object.properties.createdate ?? object.properties.hs_createdate ?? iso, iso));
  for (const [propertyName, propertyValue] of changed) {
    publishObjectEvent(ctx, object, 'propertyChange', origin, { propertyName, propertyValue });
  }
  return object;
}

/**
 * Archives (soft-deletes) a record and publishes `<type>.deletion`.
 * @throws HttpError 404 for an unknown record
 */
export function archiveObject(ctx: StateContext, portalId: number, type: ObjectType, id: number, origin: ChangeOrigin): void {
  const object = requireObject(ctx, portalId, type, id);
  object.archived = true;
  object.archivedAt = ctx.now();
  publishObjectEvent(ctx, object, 'deletion', origin);
}

/**
 * GDPR-deletes a contact: the record and its associations are gone for good, and HubSpot sends both
 * `contact.privacyDeletion` and `contact.deletion` (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide).
 * @throws HttpError 404 for an unknown contact
 */
export function privacyDeleteContact(ctx: StateContext, portalId: number, id: number, origin: ChangeOrigin): void {
  const contact = requireObject(ctx, portalId, 'contacts', id);
  ctx.data.objects.contacts.delete(id);
  ctx.data.associations = ctx.data.associations.filter(
    (a) => !(a.portalId === portalId && ((a.fromType === 'contacts' && a.fromId === id) || (a.toType === 'contacts' && a.toId === id))),
  );
  for (const thread of ctx.data.threads.values()) {
    if (thread.portalId === portalId && thread.associatedContactId === id) thread.associatedContactId = null;
  }
  publishObjectEvent(ctx, contact, 'privacyDeletion', origin);
  publishObjectEvent(ctx, contact, 'deletion', origin);
}

/** Stores an association in both directions (idempotent). */
export function associate(ctx: StateContext, portalId: number, fromType: ObjectType, fromId: number, toType: ObjectType, toId: number, typeId: number): void {
  const inverse = associationTypes[typeId]?.inverse ?? typeId;
  const add = (ft: ObjectType, fi: number, tt: ObjectType, ti: number, t: number) => {
    const exists = ctx.data.associations.some((a) => a.portalId === portalId && a.fromType === ft && a.fromId === fi && a.toType === tt && a.toId === ti && a.typeId === t);
    if (!exists) ctx.data.associations.push({ portalId, fromType: ft, fromId: fi, toType: tt, toId: ti, typeId: t });
  };
  add(fromType, fromId, toType, toId, typeId);
  add(toType, toId, fromType, fromId, inverse);
}

/** Removes every association between two records, both directions. */
export function dissociate(ctx: StateContext, portalId: number, fromType: ObjectType, fromId: number, toType: ObjectType, toId: number): void {
  const between = (a: (typeof ctx.data.associations)[number]) =>
    a.portalId === portalId && ((a.fromType === fromType && a.fromId === fromId && a.toType === toType && a.toId === toId) || (a.fromType === toType && a.fromId === toId && a.toType === fromType && a.toId === fromId));
  ctx.data.associations = ctx.data.associations.filter((a) => !between(a));
}

/** Live records of `toType` associated with a record, with the association type id. */
export function associatedIds(ctx: StateContext, portalId: number, fromType: ObjectType, fromId: number, toType: ObjectType): { id: number; typeId: number }[] {
  return ctx.data.associations
    .filter((a) => a.portalId === portalId && a.fromType === fromType && a.fromId === fromId && a.toType === toType)
    .filter((a) => findObject(ctx, portalId, toType, a.toId) !== undefined)
    .map((a) => ({ id: a.toId, typeId: a.typeId }));
}

function resolveAssociation(ctx: StateContext, portalId: number, fromType: ObjectType, input: AssociationInput) {
  const typeId = input.types[0]?.associationTypeId;
  const def = typeId === undefined ? undefined : associationTypes[typeId];
  if (typeId === undefined || !def || def.from !== fromType) {
    throw validationError(`association type id ${String(typeId)} is not valid from ${fromType}`);
  }
  const toId = Number(input.to.id);
  if (!Number.isSafeInteger(toId) || !findObject(ctx, portalId, def.to, toId)) {
    throw validationError(`One or more associations are invalid: ${def.to} ${String(input.to.id)} does not exist`);
  }
  return { toType: def.to, toId, typeId };
}

function assertUniqueEmail(ctx: StateContext, portalId: number, email: string): void {
  const existing = listObjects(ctx, portalId, 'contacts').find((c) => c.properties.email?.toLowerCase() === email.toLowerCase());
  if (existing) throw apiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
}

function timestamps(type: ObjectType, created: string, modified: string): Record<string, string> {
  if (type === 'contacts') return { createdate: created, lastmodifieddate: modified };
  if (type === 'notes') return { hs_createdate: created, hs_lastmodifieddate: modified };
  return { createdate: created, hs_lastmodifieddate: modified };
}

function publishObjectEvent(
  ctx: StateContext,
  object: CrmObject,
  kind: 'creation' | 'propertyChange' | 'deletion' | 'privacyDeletion',
  origin: ChangeOrigin,
  property?: { propertyName: string; propertyValue: string },
): void {
  const info = eventInfo[object.type];
  if (!info.prefix) return;
  if (property && systemProperties.has(property.propertyName)) return;
  ctx.publish({
    portalId: object.portalId,
    subscriptionType: `${info.prefix}.${kind}`,
    objectId: object.id,
    occurredAt: ctx.now(),
    objectTypeId: info.objectTypeId,
    ...origin,
    ...property,
  });
}

