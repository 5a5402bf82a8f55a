// Intake of a signed batch, event by event. HubSpot retries a batch we refuse for about 24 hours and
// then drops every event in it, so one event we cannot take must never cost its neighbours: each
// element is validated on its own, valid events are stored as usual, and each refused one is stored
// too, as a dead inbox row with its reason and its text exactly as received (visible in the
// troubleshooting panel and `GET /api/v1/webhook-events?status=dead`). Only a body that is not a
// JSON array (or too big a batch) is refused whole.
import crypto from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import { isStorableText } from '../../platform/http/text.js';
import { zodDetails } from '../../platform/http/validate.js';
import { checkEvent, MAX_DATE_MS, webhookBatchSchema, type CheckedEvent, type WebhookEvent } from './webhooks.schemas.js';
import type { NewWebhookEventRow } from './webhooks.table.js';

/** The outcome of an event refused at intake (its reason is the row's error). */
export const REFUSED_AT_INTAKE = 'refused at intake';

/** A batch read from the bytes HubSpot sent: each element checked, with its own text. */
export interface ReadBatch {
  events: (CheckedEvent & { text: string })[];
}

/**
 * Reads a signed webhook body: UTF-8 JSON, an array of at most 100 elements.
 * @param raw the bytes received (the signature already passed)
 * @returns every element, checked on its own
 * @throws AppError invalid_body when the body is not a JSON array, or holds more than 100 elements
 */
export function readBatch(raw: Buffer): ReadBatch {
  let text: string;
  let parsed: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_body', 'Request body is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new AppError('invalid_body', 'Request body is invalid', { details: [{ path: '', message: 'must be a JSON array of events' }] });
  const batch = webhookBatchSchema.safeParse(parsed);
  if (!batch.success) throw new AppError('invalid_body', 'Request body is invalid', { details: zodDetails(batch.error) });
  const texts = splitJsonArray(text);
  // The splitter reads only what JSON.parse accepted; should it ever disagree, the re-serialised form is kept.
  const textOf = (i: number, value: unknown) => (texts.length === parsed.length ? (texts[i] as string) : JSON.stringify(value) ?? 'null');
  return { events: parsed.map((value, i) => ({ ...checkEvent(value), text: textOf(i, value) })) };
}

/**
 * The text of each element of a JSON array, exactly as written (no re-serialisation).
 * @param json text that JSON.parse accepted as an array
 */
export function splitJsonArray(json: string): string[] {
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = 0;
  while (isSpace(json[i])) i++;
  if (json[i] !== '[') return [];
  i++;
  while (isSpace(json[i])) i++;
  const out: string[] = [];
  if (json[i] === ']') return out;
  while (i < json.length) {
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < json.length; i++) {
      const c = json[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth-- === 0) break;
      else if (c === ',' && depth === 0) break;
    }
    let end = i;
    while (end > start && isSpace(json[end - 1])) end--;
    out.push(json.slice(start, end));
    if (json[i] !== ',') break;
    i++;
    while (isSpace(json[i])) i++;
  }
  return out;
}

/**
 * The dedupe key: HubSpot's eventId is not unique on its own, so the key is seven fields, hashed to
 * keep the unique index small whatever the property value. An event about no single record (an
 * association) has no objectId: its key covers the whole event but the retry counter.
 * https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide
 */
export function dedupeKeyOf(e: WebhookEvent, raw?: unknown): string {
  if (e.objectId === undefined && raw !== undefined) return `event:${hashWithoutAttempt(raw)}`;
  const fields = [e.portalId, e.subscriptionType, e.objectId ?? null, e.eventId, e.occurredAt, e.propertyName ?? null, e.propertyValue ?? null];
  return crypto.createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}

/**
 * The inbox row of an accepted event.
 * @param raw the event as received, stored as its payload
 */
export function acceptedRow(e: WebhookEvent, raw: unknown): NewWebhookEventRow {
  return {
    dedupe_key: dedupeKeyOf(e, raw),
    portal_id: e.portalId,
    subscription_type: e.subscriptionType,
    object_id: e.objectId ?? null,
    event_id: e.eventId,
    occurred_at: new Date(e.occurredAt),
    property_name: e.propertyName ?? null,
    property_value: e.propertyValue ?? null,
    payload: JSON.stringify(raw),
  };
}

/**
 * The dead inbox row of a refused event: its reason, its text as received, and whichever key fields
 * could be read (so it shows under its organization and record). The key never equals an accepted
 * event's (its own prefix), and a duplicate delivery of the same refused event is stored once.
 */
export function refusedRow(refused: { reason: string; raw: unknown; text: string }, organizationId: string | null): NewWebhookEventRow {
  const fields = readableFields(refused.raw);
  return {
    dedupe_key: `refused:${hashWithoutAttempt(refused.raw, refused.text)}`,
    ...fields,
    property_value: null,
    payload: null,
    raw_event: refused.text,
    organization_id: organizationId,
    status: 'dead',
    outcome: REFUSED_AT_INTAKE,
    last_error: refused.reason.slice(0, 1000),
    processed_at: new Date(),
  };
}

/** The portal a refused event names, when it names one we could route. */
export function portalOf(raw: unknown): number | undefined {
  return readableFields(raw).portal_id ?? undefined;
}

function readableFields(raw: unknown): Pick<NewWebhookEventRow, 'portal_id' | 'subscription_type' | 'object_id' | 'event_id' | 'occurred_at' | 'property_name'> {
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const idOf = (v: unknown, min: number) => {
    const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= min ? n : null;
  };
  const textOf = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max && isStorableText(v) ? v : null);
  const at = o.occurredAt;
  return {
    portal_id: idOf(o.portalId, 1),
    subscription_type: textOf(o.subscriptionType, 200) ?? textOf(o.eventType, 200),
    object_id: idOf(o.objectId, 0),
    event_id: idOf(o.eventId, 0),
    occurred_at: typeof at === 'number' && Number.isSafeInteger(at) && at >= 0 && at <= MAX_DATE_MS ? new Date(at) : null,
    property_name: textOf(o.propertyName, 500),
  };
}

// A retry of the same event differs only in attemptNumber. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-14
// A value too deeply nested to serialise (JSON.stringify overflows the stack near 5,000 levels) is
// keyed on its text as received.
function hashWithoutAttempt(raw: unknown, text?: string): string {
  const value = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), attemptNumber: undefined } : raw;
  let serialised: string;
  try {
    serialised = JSON.stringify(value) ?? 'undefined';
  } catch (err) {
    if (!(err instanceof RangeError) || text === undefined) throw err;
    serialised = text;
  }
  return crypto.createHash('sha256').update(serialised, 'utf8').digest('hex');
}
