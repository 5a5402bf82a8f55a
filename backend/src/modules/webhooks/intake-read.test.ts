// readBatch skips the storable-text walk for an element whose text proves it storable (no `\u`
// escape, shallow enough). Property: on any batch, hostile strings and deep nesting included, every
// element gets exactly the answer the full check gives it (checkEvent with the walk).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_STORED_DEPTH } from '../../platform/http/text.js';
import { readBatch, splitElements } from './intake.js';
import { checkEvent } from './check-event.js';

const hostileChar = fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\\', '"', 'u', '\\u0000', '\n', 'é', 'a', '}', ']', ',');
const hostileText = fc.oneof(fc.string(), fc.array(hostileChar, { maxLength: 6 }).map((cs) => cs.join('')));
const leaf = fc.oneof(hostileText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
/** A value nested `depth` levels deep (alternating arrays and objects), with a hostile key or leaf at the bottom. */
const nested = fc.tuple(fc.integer({ min: 0, max: MAX_STORED_DEPTH + 3 }), hostileText, leaf).map(([depth, key, bottom]) => {
  let v: unknown = bottom;
  for (let d = 0; d < depth; d++) v = d % 2 === 0 ? [v] : { [key]: v };
  return v;
});
const event = fc.record(
  {
    eventId: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant('12'), hostileText),
    portalId: fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.constant('62515')),
    occurredAt: fc.oneof(fc.integer({ min: 0, max: 2e12 }), hostileText),
    subscriptionType: fc.oneof(fc.constantFrom('ticket.propertyChange', 'contact.creation', 'contact.associationChange'), hostileText),
    objectId: fc.integer({ min: 0, max: 1e9 }),
    propertyName: hostileText,
    propertyValue: fc.oneof(hostileText, fc.integer(), fc.boolean()),
    extra: nested,
  },
  { requiredKeys: ['eventId', 'portalId', 'occurredAt'] },
);
const hostileKeyed = fc.tuple(event, hostileText, nested).map(([e, k, v]) => ({ ...e, [k]: v }));
const element = fc.oneof(event, hostileKeyed, nested, leaf);

describe('readBatch', () => {
  it('when any batch is read (hostile strings, keys and nesting), then each element gets the answer of the full check', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), fc.constantFrom(undefined, 2), (batch, indent) => {
        const read = readBatch(Buffer.from(JSON.stringify(batch, null, indent), 'utf8'));
        const full = batch.map((raw) => checkEvent(JSON.parse(JSON.stringify(raw)) as unknown));
        expect(read.events.map(({ text: _text, ...checked }) => checked)).toStrictEqual(full);
      }),
      { numRuns: 2_000 },
    );
  });

  it('when an element has a \\u escape or nests deeper than stored values may, then its text does not prove it storable', () => {
    const deep = JSON.stringify({ a: JSON.parse('['.repeat(MAX_STORED_DEPTH) + ']'.repeat(MAX_STORED_DEPTH)) as unknown });
    const atLimit = JSON.stringify({ a: JSON.parse('['.repeat(MAX_STORED_DEPTH - 1) + ']'.repeat(MAX_STORED_DEPTH - 1)) as unknown });
    expect(splitElements(`[{"a":"\\u0041"},{"\\u0000":1},{"a":"\\\\u0000"},${deep},${atLimit}]`).plain).toStrictEqual([false, false, true, false, true]);
  });
});
