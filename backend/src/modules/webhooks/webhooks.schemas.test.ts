import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HANDLED_SUBSCRIPTIONS, normalisedType } from './handle-event.js';
import { webhookBatchSchema, webhookEventSchema } from './webhooks.schemas.js';
import { refusedRow } from './inbox-rows.js';
import { splitJsonArray } from './intake.js';
import { dedupeKeyOf } from './webhooks.service.js';

const base = { eventId: 1, portalId: 62515, occurredAt: 1_700_000_000_000, subscriptionType: 'ticket.propertyChange', objectId: 9, propertyName: 'hubspot_owner_id', propertyValue: '5' };

describe('webhookBatchSchema', () => {
  it('when events carry eventType instead of subscriptionType, then it is read as the subscription type', () => {
    const e = webhookEventSchema.parse({ ...base, subscriptionType: undefined, eventType: 'ticket.deletion' });
    expect(e?.subscriptionType).toBe('ticket.deletion');
  });

  it('when neither is present, then the event is refused with the path named', () => {
    const r = webhookEventSchema.safeParse({ ...base, subscriptionType: undefined });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toStrictEqual(['subscriptionType']);
  });

  it('when a property value is a number or boolean, then it is kept as its string', () => {
    const e = webhookEventSchema.parse({ ...base, propertyValue: 12 });
    expect(e?.propertyValue).toBe('12');
  });

  it('when the batch is empty, then it is valid (nothing to store)', () => {
    expect(webhookBatchSchema.parse([])).toStrictEqual([]);
  });
});

describe('dedupeKeyOf', () => {
  const key = (over: Record<string, unknown>) => dedupeKeyOf(webhookEventSchema.parse({ ...base, ...over }));

  it('when only attemptNumber or subscriptionId differ (a retry), then the key is the same', () => {
    expect(key({ attemptNumber: 3, subscriptionId: 7 })).toBe(key({ attemptNumber: 0 }));
  });

  it('when any of the seven key fields differ, then the key differs', () => {
    const k = key({});
    for (const over of [{ portalId: 1 }, { subscriptionType: 'ticket.creation' }, { objectId: 10 }, { eventId: 2 }, { occurredAt: 1 }, { propertyName: 'x' }, { propertyValue: '6' }]) {
      expect(key(over)).not.toBe(k);
    }
  });

  it('when a value is absent or empty, then the keys differ (an unassignment is not a creation)', () => {
    expect(key({ propertyValue: '' })).not.toBe(key({ propertyValue: undefined }));
  });
});

describe('normalisedType', () => {
  it('when the event is a generic object.* event, then it maps onto the legacy name by objectTypeId', () => {
    expect(normalisedType({ subscriptionType: 'object.propertyChange', payload: { objectTypeId: '0-5' } })).toBe('ticket.propertyChange');
    expect(normalisedType({ subscriptionType: 'object.deletion', payload: { objectTypeId: '0-1' } })).toBe('contact.deletion');
    expect(normalisedType({ subscriptionType: 'object.creation', payload: { objectTypeId: '0-3' } })).toBe('object.creation');
    expect(normalisedType({ subscriptionType: 'conversation.newMessage', payload: {} })).toBe('conversation.newMessage');
  });
});

describe('src/app/webhooks/webhooks-hsmeta.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../../src/app/webhooks/webhooks-hsmeta.json'), 'utf8')) as {
    config: { settings: { targetUrl: string; maxConcurrentRequests: number }; subscriptions: Record<string, { subscriptionType: string; objectType?: string; active: boolean }[]> };
  };
  const subscribed = Object.values(manifest.config.subscriptions)
    .flat()
    .map((s) => (s.subscriptionType.startsWith('object.') ? `${s.objectType}.${s.subscriptionType.slice('object.'.length)}` : s.subscriptionType));

  it('when read, then every subscription has a handler and every handler a subscription, all active', () => {
    expect([...new Set(subscribed)].sort()).toStrictEqual([...HANDLED_SUBSCRIPTIONS].sort());
    expect(Object.values(manifest.config.subscriptions).flat().every((s) => s.active)).toBe(true);
  });

  it('when read, then the target is our intake route and concurrency is 10', () => {
    expect(manifest.config.settings).toStrictEqual({ targetUrl: '${BACKEND_URL}/hubspot/webhooks', maxConcurrentRequests: 10 });
  });
});

describe('splitJsonArray', () => {
  it('when given an array, then it returns each element as written (spacing, escapes, nesting and strings with brackets kept)', () => {
    const elements = ['{"a":"],\\"[{"}', ' 1', '[ [ ] ,{}]', '"x\\u0000"', 'null', '{"b":{"c":[1,2,{"d":"}"}]}}'];
    const json = ` [${elements.join(' ,\n')}\t] `;
    expect(splitJsonArray(json)).toStrictEqual(elements.map((e) => e.trim()));
    expect(splitJsonArray('[]')).toStrictEqual([]);
    expect(splitJsonArray(' [ ] ')).toStrictEqual([]);
  });

  it('when the body holds any array, then the pieces parse to the same elements', () => {
    const value = [{ a: 1, s: 'x,]}' }, [1, [2, [3]]], 'str', 4.5e10, false, null, { e: '\u0000\ud800' }];
    const pieces = splitJsonArray(JSON.stringify(value, null, 2));
    expect(pieces.map((p) => JSON.parse(p) as unknown)).toStrictEqual(value);
  });
});

describe('refusedRow', () => {
  it('when a refused element nests deeper than JSON.stringify can go, then it still gets a dedupe key (from its text)', () => {
    const text = '['.repeat(20_000) + ']'.repeat(20_000);
    const row = refusedRow({ reason: 'not a JSON object', raw: JSON.parse(text) as unknown, text }, null);
    expect(row.dedupe_key).toMatch(/^refused:[0-9a-f]{64}$/);
    expect(row.raw_event).toBe(text);
  });
});
