// One bad event must never cost the rest of its signed batch: each event is validated on its own,
// valid ones are stored and processed, each refused one is kept as a dead inbox row with its reason
// and its text as received, and HubSpot gets 200 (it would otherwise retry for 24 h, then drop all).
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signV3 } from '../../../../emulator/src/signing.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';

const SECRET = 'poison-test-client-secret';
const PUBLIC = 'https://switchboard.example.com';
const PORTAL = 62515;

let tb: TestBackend;
let org: { id: string; apiKey: string };
let nextEventId = 1;

const good = (over: Record<string, unknown> = {}) => ({
  eventId: nextEventId++,
  subscriptionId: 1001,
  portalId: PORTAL,
  appId: 424242,
  occurredAt: Date.now() - 1_000,
  subscriptionType: 'ticket.propertyChange',
  attemptNumber: 0,
  objectId: 1001,
  propertyName: 'hs_pipeline_stage',
  propertyValue: '2',
  changeSource: 'CRM_UI',
  ...over,
});

/** Posts a v3-signed batch given as its exact text. */
const post = (body: string, headers: Record<string, string> = {}) => {
  const ts = Date.now();
  return request(tb.app)
    .post('/hubspot/webhooks')
    .set({ 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(SECRET, 'POST', `${PUBLIC}/hubspot/webhooks`, body, ts), 'x-hubspot-request-timestamp': String(ts), ...headers })
    .send(body);
};

const rows = () =>
  tb.tdb.db.selectFrom('webhook_events').select(['id', 'event_id', 'object_id', 'status', 'outcome', 'last_error', 'raw_event', 'organization_id', 'subscription_type']).orderBy('id').execute();

beforeAll(async () => {
  tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC }, workers: true });
  org = await connectWithTokens(tb.services, PORTAL, { access_token: `C${crypto.randomBytes(40).toString('base64url')}`, refresh_token: `na1-${crypto.randomUUID()}`, expires_in: 1800, scopes: ['oauth', 'tickets'] }, 'Poison Org');
});
afterAll(async () => {
  await tb.destroy();
});
beforeEach(async () => {
  await tb.tdb.db.deleteFrom('webhook_events').execute();
});

describe('a signed batch with one bad event', () => {
  // Each case: the bad event's text exactly as HubSpot might write it (JSON escapes included).
  const bad: [string, (id: number) => string, RegExp][] = [
    ['a NUL in propertyValue', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.propertyChange","objectId":1001,"propertyName":"subject","propertyValue":"a\\u0000b"}`, /^propertyValue: must not contain NUL/],
    ['a NUL in propertyName', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.propertyChange","objectId":1001,"propertyName":"hubspot\\u0000owner_id","propertyValue":"5"}`, /^propertyName: must not contain NUL/],
    ['a NUL in changeSource', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.creation","objectId":1001,"changeSource":"CRM\\u0000"}`, /^changeSource: must not contain NUL/],
    ['a lone surrogate in propertyValue', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.propertyChange","objectId":1001,"propertyName":"subject","propertyValue":"\\ud800x"}`, /^propertyValue: .*unpaired surrogates/],
    ['a lone low surrogate in an unknown field', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.creation","objectId":1001,"brandNew":{"x":"\\udc00"}}`, /^brandNew\.x: .*unpaired surrogates/],
    ['occurredAt 9e15 (a number, not a date)', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":9e15,"subscriptionType":"ticket.creation","objectId":1001}`, /^occurredAt: must be a time/],
    ['no subscription type', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"objectId":1001}`, /^subscriptionType: subscriptionType is required/],
    ['a handled type without objectId', (id) => `{"eventId":${id},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.deletion"}`, /^objectId: objectId is required/],
    ['not an object', () => `[1, 2]`, /^not a JSON object$/],
  ];

  it.each(bad)('when it has %s, then the batch answers 200, the good events are stored and queued, and the bad one is a dead row with its reason and its text as received', async (_name, badText, reason) => {
    const before = good();
    const after = good({ objectId: 1002 });
    const badEvent = badText(nextEventId++);
    // Odd spacing on purpose: the dead row keeps the element's text byte for byte.
    const body = `[ ${JSON.stringify(before)},\n   ${badEvent}  ,${JSON.stringify(after)} ]`;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ received: 3, stored: 2, refused: 1, duplicates: 0 });
    const stored = await rows();
    expect(stored.map((r) => r.raw_event)).toStrictEqual([null, null, badEvent]);
    expect(stored.slice(0, 2).map((r) => Number(r.event_id))).toStrictEqual([before.eventId, after.eventId]);
    const dead = stored[2]!;
    expect(dead.status).toBe('dead');
    expect(dead.outcome).toBe('refused at intake');
    expect(dead.last_error).toMatch(reason);
    // A refused event naming a connected portal is filed under its organization; one naming none under nobody.
    expect(dead.organization_id).toBe(badEvent.includes(`"portalId":${PORTAL}`) ? org.id : null);
    // The good events are processed (these two are property changes no handler acts on).
    await expectEventually(async () => expect((await rows()).map((r) => r.status)).toStrictEqual(['ignored', 'ignored', 'dead']));
  });

  it('when a contact.privacyDeletion shares its batch with a bad event, then the erasure is still processed', async () => {
    const erase = good({ subscriptionType: 'contact.privacyDeletion', objectId: 777, propertyName: undefined, propertyValue: undefined, changeSource: 'GDPR' });
    const body = `[{"eventId":${nextEventId++},"portalId":${PORTAL},"occurredAt":9e15,"subscriptionType":"contact.creation","objectId":777},${JSON.stringify(erase)}]`;
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 1, refused: 1 });
    await expectEventually(async () => {
      const row = await tb.tdb.db.selectFrom('webhook_events').select(['status', 'outcome']).where('event_id', '=', erase.eventId).executeTakeFirstOrThrow();
      expect(row).toStrictEqual({ status: 'processed', outcome: expect.stringMatching(/^contact erased/) });
    });
    // The erasure also drops the refused event's text about that contact (it may hold personal data).
    const dead = await tb.tdb.db.selectFrom('webhook_events').select(['raw_event', 'object_id']).where('status', '=', 'dead').executeTakeFirstOrThrow();
    expect(dead).toStrictEqual({ raw_event: null, object_id: 777 });
  });

  it('when HubSpot is loose (null optional fields, digit-string ids, a numeric messageId, an association event without objectId), then every event is accepted', async () => {
    const events = [
      good({ propertyName: null, propertyValue: null, changeSource: null, sourceId: null, subscriptionType: 'ticket.creation' }),
      good({ objectId: '1003', eventId: String(nextEventId++), portalId: String(PORTAL) }),
      good({ subscriptionType: 'conversation.newMessage', objectId: 7411234567, messageId: 918273645, messageType: 'MESSAGE', propertyName: undefined, propertyValue: undefined }),
      { eventId: nextEventId++, subscriptionId: 1, portalId: PORTAL, appId: 1, occurredAt: Date.now(), subscriptionType: 'contact.associationChange', attemptNumber: 0, associationType: 'CONTACT_TO_TICKET', fromObjectId: 123, toObjectId: 1001, associationRemoved: false, isPrimaryAssociation: false, changeSource: 'USER' },
    ];
    const res = await post(JSON.stringify(events));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ received: 4, stored: 4, refused: 0, duplicates: 0 });
    const stored = await rows();
    expect(stored.map((r) => [r.subscription_type, r.object_id === null ? null : Number(r.object_id), r.raw_event])).toStrictEqual([
      ['ticket.creation', 1001, null],
      ['ticket.propertyChange', 1003, null],
      ['conversation.newMessage', 7411234567, null],
      ['contact.associationChange', null, null],
    ]);
    await expectEventually(async () => expect((await rows()).map((r) => r.status).every((s) => s === 'processed' || s === 'ignored')).toBe(true));
    // Twice the same association event (a duplicate delivery, another attempt) is stored once.
    const again = await post(JSON.stringify([{ ...events[3], attemptNumber: 1 }]));
    expect(again.body).toStrictEqual({ received: 1, stored: 0, refused: 0, duplicates: 1 });
  });

  it('when the same batch with a bad event arrives twice, then nothing is stored twice, and the refused row never blocks the corrected event', async () => {
    const ok = good();
    const badEvent = { ...good({ objectId: 4242 }), propertyValue: 'x\u0000' };
    const body = JSON.stringify([ok, badEvent]);
    expect((await post(body)).body).toStrictEqual({ received: 2, stored: 1, refused: 1, duplicates: 0 });
    expect((await post(body)).body).toStrictEqual({ received: 2, stored: 0, refused: 0, duplicates: 2 });
    // A retry (another attemptNumber) of the refused event is the same refused event.
    expect((await post(JSON.stringify([{ ...badEvent, attemptNumber: 3 }]))).body).toStrictEqual({ received: 1, stored: 0, refused: 0, duplicates: 1 });
    // HubSpot's corrected delivery of that event (same ids and time) is a new, valid event.
    expect((await post(JSON.stringify([{ ...badEvent, propertyValue: 'x' }]))).body).toStrictEqual({ received: 1, stored: 1, refused: 0, duplicates: 0 });
    expect((await rows()).map((r) => r.status === 'dead')).toStrictEqual([false, true, false]);
  });

  it('when events were refused, then the organization sees them in the API (dead, with reason and text) and in the troubleshooting panel', async () => {
    const badEvent = `{"eventId":${nextEventId++},"portalId":${PORTAL},"occurredAt":1700000000000,"subscriptionType":"ticket.propertyChange","objectId":1001,"propertyName":"subject","propertyValue":"\\u0000"}`;
    await post(`[${badEvent}]`);
    const api = await request(tb.app).get('/api/v1/webhook-events?status=dead').set('authorization', `Bearer ${org.apiKey}`);
    expect(api.status).toBe(200);
    expect(api.body.events).toStrictEqual([
      {
        id: expect.any(String),
        portalId: String(PORTAL),
        subscriptionType: 'ticket.propertyChange',
        objectId: '1001',
        eventId: expect.any(String),
        occurredAt: new Date(1_700_000_000_000).toISOString(),
        propertyName: 'subject',
        status: 'dead',
        outcome: 'refused at intake',
        attempts: 0,
        lastError: 'propertyValue: must not contain NUL characters or unpaired surrogates',
        receivedAt: expect.any(String),
        processedAt: expect.any(String),
        rawEvent: badEvent,
      },
    ]);
    const link = new URL((await tb.services.installs.createInstallLink(org.id)).url).pathname;
    const page = await request(tb.app).get(link).set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('refused at intake: propertyValue: must not contain NUL characters or unpaired surrogates');
  });

  it('when the body is not an array, not JSON, or unsigned, then it is still refused whole (400 / 401) and nothing is stored', async () => {
    expect((await post('{"eventId":1}')).status).toBe(400);
    expect((await post('[{"eventId":1,')).status).toBe(400);
    const unsigned = await request(tb.app).post('/hubspot/webhooks').set('content-type', 'application/json').send(JSON.stringify([good()]));
    expect(unsigned.status).toBe(401);
    expect(await rows()).toStrictEqual([]);
  });
});
