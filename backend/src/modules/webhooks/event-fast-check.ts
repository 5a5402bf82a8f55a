// The common shape of a webhook event, checked by hand. Intake checks up to 100 events per request
// and `webhookEventSchema` (zod) was the largest share of its CPU; nearly every event HubSpot sends
// is the plain shape below (ids and times as JSON numbers, texts as strings), for which this gives
// exactly what the schema gives: the same fields, in the same order, with the same values. Anything
// else (a digit-string id, a value out of range, a missing field, a type we do not expect) is not
// decided here: the caller falls back to the schema, which gives its own result and reason.
// The rules are the schema's (webhooks.schemas.ts), each leniency with its assumption, named again below.
import { HANDLED_SUBSCRIPTIONS, normalisedType } from './handle-event.js';
import { MAX_DATE_MS, type WebhookEvent } from './webhooks.schemas.js';

// A value this check leaves to the schema.
const UNDECIDED = Symbol('undecided');
type Read = (v: unknown) => unknown;

// id(min) for a JSON number; a digit string is the schema's.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-4
const idFrom =
  (min: number): Read =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : UNDECIDED;
const id0 = idFrom(0);
const id1 = idFrom(1);
// scalarAsText: a string as it is, a finite number or a boolean as its string.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-6
const scalar: Read = (v) => (typeof v === 'string' ? v : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? String(v) : UNDECIDED);
const propertyName: Read = (v) => {
  const s = scalar(v);
  return typeof s === 'string' && s.length > 500 ? UNDECIDED : s;
};
// subscriptionType or eventType. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-8
const typeName: Read = (v) => (typeof v === 'string' && v.length >= 1 && v.length <= 200 ? v : UNDECIDED);

// The schema's fields in its order (which is its output's), without subscriptionType and eventType:
// it puts the one it keeps last. The three required ones are read before the loop.
const FIELDS: readonly (readonly [keyof WebhookEvent, Read | 'required'])[] = [
  ['eventId', 'required'],
  ['subscriptionId', id0],
  ['portalId', 'required'],
  ['appId', id0],
  ['occurredAt', 'required'],
  ['attemptNumber', id0],
  ['objectId', id0],
  ['objectTypeId', scalar],
  ['propertyName', propertyName],
  ['propertyValue', scalar],
  ['changeSource', scalar],
  ['sourceId', scalar],
  ['changeFlag', scalar],
  ['messageId', scalar],
  ['messageType', scalar],
];

/**
 * `webhookEventSchema`'s result for an element of the common shape, or undefined to leave it to the schema.
 * @param raw a parsed JSON object (own data properties only) whose every string, keys included, is
 *   storable text (checkEvent's walk or intake's text proved it): the schema's text check then always passes
 */
export function fastEvent(raw: Record<string, unknown>): WebhookEvent | undefined {
  const { eventId, portalId, occurredAt } = raw;
  if (id0(eventId) === UNDECIDED || id1(portalId) === UNDECIDED) return undefined;
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-7
  if (typeof occurredAt !== 'number' || !Number.isSafeInteger(occurredAt) || occurredAt < 0 || occurredAt > MAX_DATE_MS) return undefined;
  const subscriptionType = optional(raw, 'subscriptionType', typeName);
  const eventType = optional(raw, 'eventType', typeName);
  if (subscriptionType === UNDECIDED || eventType === UNDECIDED) return undefined;
  const type = (subscriptionType ?? eventType) as string | undefined;
  if (type === undefined) return undefined;
  // The schema's output: present fields in its order (a null one as undefined), subscriptionType last.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-3
  const out: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS.length; i++) {
    const [key, read] = FIELDS[i]!;
    if (read === 'required') {
      out[key] = raw[key];
      continue;
    }
    const value = optional(raw, key, read);
    if (value === UNDECIDED) return undefined;
    if (value !== undefined || key in raw) out[key] = value;
  }
  out.subscriptionType = type;
  // An event we handle must name its record; the schema says why not.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-17
  if (out.objectId === undefined && (HANDLED_SUBSCRIPTIONS as readonly string[]).includes(normalisedType({ subscriptionType: type, payload: { objectTypeId: out.objectTypeId } }))) return undefined;
  return out as WebhookEvent;
}

// nullish(…): absent or null is undefined; a field present as undefined (not JSON) is the schema's.
function optional(raw: Record<string, unknown>, key: string, read: Read): unknown {
  const v = raw[key];
  if (v === null) return undefined;
  if (v === undefined) return key in raw ? UNDECIDED : undefined;
  return read(v);
}
