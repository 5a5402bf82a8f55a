// One element of a batch, checked on its own: the hand-written check of the common shape
// (event-fast-check.ts) first, the schema for anything else.
import { findUnstorable } from '../../platform/http/text.js';
import { fastEvent } from './event-fast-check.js';
import { webhookEventSchema, type WebhookEvent } from './webhooks.schemas.js';

/** One element of a batch, checked on its own: a valid event, or why it cannot be one. */
export type CheckedEvent = { ok: true; event: WebhookEvent; raw: unknown } | { ok: false; reason: string; raw: unknown };

/**
 * Validates one element of a batch on its own, so a bad event never costs its neighbours.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-1
 * @param storableByText true only when the element's text proved it storable (intake.ts `splitElements`); skips the walk
 * @returns the event, or the reason it is refused (paths and messages, no values)
 */
export function checkEvent(raw: unknown, storableByText = false): CheckedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object', raw };
  // Whatever we store (the whole payload, unknown fields included) must be storable text.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-11 (and #W-15, #W-16)
  const unstorable = storableByText ? undefined : findUnstorable(raw);
  if (unstorable) return { ok: false, reason: unstorable, raw };
  // Every string in it is storable now, which the hand-written check of the common shape relies on.
  const fast = fastEvent(raw as Record<string, unknown>);
  if (fast) return { ok: true, event: fast, raw };
  const parsed = webhookEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(event)'}: ${i.message}`).join('; '), raw };
  return { ok: true, event: parsed.data, raw };
}
