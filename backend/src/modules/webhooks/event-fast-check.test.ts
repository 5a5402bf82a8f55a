// The hand-written check of the common event shape must never change a result: on any element
// (hostile ids, nulls, floats, huge numbers, unknown and nested fields, NUL, lone surrogates),
// checkEvent gives exactly what the schema alone gives (the event, its fields in the same order, or
// the same reason), and the common shape does take the hand-written path.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { findUnstorable } from '../../platform/http/text.js';
import { checkEvent, type CheckedEvent } from './check-event.js';
import { fastEvent } from './event-fast-check.js';
import { MAX_DATE_MS, webhookEventSchema } from './webhooks.schemas.js';

// checkEvent as it was before the hand-written check: the storable-text walk, then the schema.
function schemaOnly(raw: unknown): CheckedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object', raw };
  const unstorable = findUnstorable(raw);
  if (unstorable) return { ok: false, reason: unstorable, raw };
  const parsed = webhookEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(event)'}: ${i.message}`).join('; '), raw };
  return { ok: true, event: parsed.data, raw };
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', '\u0000', 'a\u0000', '\ud800', 'x\udfff', '\ud83d\ude00', '12', '0', '-1', '1e3', ' 7', '0-5', '0-1', 'object.propertyChange', 'ticket.deletion', 'contact.associationChange'),
  // Lengths at the limits of the type (200) and of propertyName (500).
  fc.constantFrom(199, 200, 201, 499, 500, 501).map((n) => 'p'.repeat(n)),
);
const number = fc.oneof(
  fc.integer({ min: -2, max: 2_000_000 }),
  fc.constantFrom(-0, 0.5, 1e21, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 60, MAX_DATE_MS, MAX_DATE_MS + 1, 1_700_000_000_000, 1.5e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const nested = fc.oneof(fc.constant({}), fc.constant([]), fc.record({ a: fc.oneof(hostileText, number) }), fc.array(fc.oneof(hostileText, number), { maxLength: 3 }));
const value = fc.oneof({ weight: 3, arbitrary: number }, { weight: 2, arbitrary: hostileText }, fc.constant(null), fc.boolean(), nested, fc.constant(undefined));
// Mostly valid values, so that most elements reach the end of the check.
const validId = fc.integer({ min: 1, max: 1e12 });
const field = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: value });
const types = fc.constantFrom('ticket.creation', 'ticket.propertyChange', 'conversation.newMessage', 'conversation.propertyChange', 'contact.deletion', 'object.propertyChange', 'object.creation', 'contact.associationChange', 'x');
const element = fc
  .tuple(
    fc.record(
      {
        eventId: field(validId),
        subscriptionId: field(validId),
        portalId: field(validId),
        appId: field(validId),
        occurredAt: field(fc.integer({ min: 0, max: 2e12 })),
        subscriptionType: field(types),
        eventType: field(types),
        attemptNumber: field(fc.integer({ min: 0, max: 5 })),
        objectId: field(validId),
        objectTypeId: field(fc.constantFrom('0-1', '0-5', '0-3')),
        propertyName: field(fc.constantFrom('hubspot_owner_id', 'status')),
        propertyValue: field(fc.oneof(hostileText, fc.integer())),
        changeSource: field(fc.constant('CRM_UI')),
        sourceId: field(fc.constant('userId:1')),
        changeFlag: field(fc.constant('NEW')),
        messageId: field(fc.oneof(fc.string(), fc.integer())),
        messageType: field(fc.constant('MESSAGE')),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(hostileText, value, { maxKeys: 2 }),
  )
  // Unknown fields first or last (the output's field order is the schema's either way).
  .chain(([known, unknown]) => fc.boolean().map((first) => (first ? { ...unknown, ...known } : { ...known, ...unknown })));

describe('fastEvent', () => {
  it("when any element is checked, then checkEvent gives exactly the schema's result (event with its field order, or reason)", () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: element }, { weight: 1, arbitrary: value }), (raw) => {
        runs++;
        const expected = schemaOnly(raw);
        const got = checkEvent(raw);
        expect(got).toStrictEqual(expected);
        if (got.ok && expected.ok) expect(Object.keys(got.event)).toStrictEqual(Object.keys(expected.event));
        if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && findUnstorable(raw) === undefined && fastEvent(raw as Record<string, unknown>)) fast++;
      }),
      { numRuns: 20_000 },
    );
    // The property is not vacuous: a good share of the elements took the hand-written path.
    expect(fast).toBeGreaterThan(runs / 20);
  });

  it('when an event has the common shape (as the bench and HubSpot send it), then the hand-written check decides it, as the schema would', () => {
    const base = { eventId: 7, portalId: 62515, appId: 424242, occurredAt: 1_764_950_000_000, attemptNumber: 0 };
    const events = [
      { ...base, subscriptionId: 1001, subscriptionType: 'ticket.creation', objectId: 1_000_001, changeFlag: 'NEW', changeSource: 'CRM_UI' },
      { ...base, subscriptionId: 1003, subscriptionType: 'ticket.propertyChange', objectId: 1_000_001, propertyName: 'hubspot_owner_id', propertyValue: '51000003', changeSource: 'CRM_UI' },
      { ...base, subscriptionId: 1008, subscriptionType: 'conversation.newMessage', objectId: 1_000_002, messageId: 'm-7', messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE' },
      { ...base, eventType: 'contact.associationChange', propertyValue: null },
    ];
    for (const raw of events) {
      const fast = fastEvent(raw);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(webhookEventSchema.parse(raw));
      expect(Object.keys(fast!)).toStrictEqual(Object.keys(webhookEventSchema.parse(raw)));
    }
  });
});
