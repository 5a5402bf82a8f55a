// The inbox row of each event the intake stores, and its dedupe key. Accepted events are stored for
// processing; an event refused at intake is stored too, as a dead row with its reason and its text
// exactly as received, so the troubleshooting panel shows what HubSpot sent.
import crypto from 'node:crypto';
import { isStorableText } from '../../platform/http/text.js';
import { MAX_DATE_MS, type WebhookEvent } from './webhooks.schemas.js';
import type { NewWebhookEventRow } from './webhooks.table.js';

/** The outcome of an event refused at intake (its reason is the row's error). */
export const REFUSED_AT_INTAKE = 'refused at intake';

/**
 * The dedupe key: HubSpot's eventId is not unique on its own, so the key is seven fields, hashed to
 * keep the unique index small whatever the property value. An event about no single record (an
 * association) has no objectId: its key covers the whole event but the retry counter.
 * https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide
 */
export function dedupeKeyOf(e: WebhookEvent, raw?: unknown): string {
  if (e.objectId === undefined && raw !== undefined) return `event:${hashWithoutAttempt(raw)}`;
  const fields = [e.portalId, e.subscriptionType, e.objectId ?? null, e.eventId, e.occurredAt, e.propertyName ?? null, e.propertyValue ?? null];
  return sha256Hex(JSON.stringify(fields));
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
  return sha256Hex(serialised);
}

// One-shot hash of a string's UTF-8 bytes: the same digest as createHash().update().digest(),
// without the Hash object per event (intake hashes up to 100 per request).
function sha256Hex(text: string): string {
  return crypto.hash('sha256', text, 'hex');
}
