import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { signV1, signV3 } from '../../../../emulator/src/signing.js';
import { createApp } from '../../app.js';
import { createDb } from '../../db/database.js';
import { createJobs } from '../../platform/jobs.js';
import { systemClock } from '../../platform/clock.js';
import { captureLogs } from '../../../../test/support/capture-logs.js';
import { buildTestConfig } from '../../../../test/support/test-config.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';

const SECRET = 'webhook-test-client-secret';
const PUBLIC = 'https://switchboard.example.com';
const URI = `${PUBLIC}/hubspot/webhooks`;

const event = (over: Record<string, unknown> = {}) => ({
  eventId: 11,
  subscriptionId: 1001,
  portalId: 62515,
  appId: 424242,
  occurredAt: Date.now() - 1_000,
  subscriptionType: 'ticket.propertyChange',
  attemptNumber: 0,
  objectId: 1001,
  propertyName: 'hubspot_owner_id',
  propertyValue: '51000002',
  changeSource: 'CRM_UI',
  ...over,
});

/** Signs like HubSpot (v1 + v3) over exactly these bytes and this URI. */
function signed(body: string | Buffer, opts: { uri?: string; secret?: string; timestamp?: number } = {}) {
  const ts = opts.timestamp ?? Date.now();
  const secret = opts.secret ?? SECRET;
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signV3(secret, 'POST', opts.uri ?? URI, body, ts),
    'x-hubspot-request-timestamp': String(ts),
    'x-hubspot-signature': signV1(secret, body),
    'x-hubspot-signature-version': 'v1',
  };
}

describe('POST /hubspot/webhooks', () => {
  let tb: TestBackend;
  beforeAll(async () => {
    tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC } });
  });
  afterAll(async () => {
    await tb.destroy();
  });
  beforeEach(async () => {
    await tb.tdb.db.deleteFrom('webhook_events').execute();
  });

  const stored = async () => (await tb.tdb.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  // The inbox is the queue: an event queued for processing is a pending row, due now (no job per event).
  const queued = async () => Number((await sql<{ n: string }>`select count(*) as n from webhook_events where status = 'pending' and next_attempt_at <= now()`.execute(tb.tdb.db)).rows[0]?.n);
  const expectNothingStored = async () => {
    expect(Number(await stored())).toBe(0);
    expect(await queued()).toBe(0);
  };
  const post = (body: string | Buffer, headers: Record<string, string>, path = '/hubspot/webhooks') => {
    let req = request(tb.app).post(path);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(body);
  };
  const refused = { error: { code: 'signature_invalid', message: 'Request signature is missing or invalid' } };

  it('when the signature is missing, then it answers 401 signature_invalid and stores nothing', async () => {
    const res = await post(JSON.stringify([event()]), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
  });

  it('when the signature is bad, then it answers 401 and stores nothing', async () => {
    const body = JSON.stringify([event()]);
    const headers = { ...signed(body), 'x-hubspot-signature-v3': 'A'.repeat(43) + '=' };
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
  });

  it('when the timestamp is more than 5 minutes old, then it answers 401 and stores nothing (and logs the reason once, without the signature)', async () => {
    const body = JSON.stringify([event()]);
    const headers = signed(body, { timestamp: Date.now() - 300_001 - 1_000 });
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
    const lines = tb.logs.records().filter((r) => r.msg === 'request signature refused' && r.reason === 'stale_timestamp');
    expect(lines).toHaveLength(1);
    expect(tb.logs.text()).not.toContain(headers['x-hubspot-signature-v3']);
  });

  it('when the timestamp is more than 5 minutes in the future, then it answers 401 and stores nothing', async () => {
    const body = JSON.stringify([event()]);
    const res = await post(body, signed(body, { timestamp: Date.now() + 301_000 + 1_000 }));
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
  });

  it('when the body was tampered with after signing, then it answers 401 and stores nothing', async () => {
    const body = JSON.stringify([event()]);
    const headers = signed(body);
    const res = await post(body.replace('51000002', '51000003'), headers);
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
  });

  it('when it was signed with another secret, then it answers 401 and stores nothing', async () => {
    const body = JSON.stringify([event()]);
    const res = await post(body, signed(body, { secret: 'someone-elses-secret' }));
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual(refused);
    await expectNothingStored();
  });

  it('when the body is larger than the limit, then it answers 413 and stores nothing', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => event({ eventId: i, propertyValue: 'x'.repeat(400) }));
    const body = JSON.stringify(many);
    expect(body.length).toBeGreaterThan(512 * 1024);
    const res = await post(body, signed(body));
    expect(res.status).toBe(413);
    expect(res.body).toStrictEqual({ error: { code: 'payload_too_large', message: 'Request body is too large' } });
    await expectNothingStored();
  });

  it('when the correctly signed body is not JSON, then it answers 400 and stores nothing', async () => {
    const body = '[{"eventId": 1,';
    const res = await post(body, signed(body));
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({ error: { code: 'invalid_body', message: 'Request body is not valid JSON' } });
    await expectNothingStored();
  });

  it('when the JSON is not an array of events, then it answers 400 and stores nothing', async () => {
    const notArray = JSON.stringify(event());
    const res1 = await post(notArray, signed(notArray));
    expect(res1.status).toBe(400);
    expect(res1.body).toStrictEqual({ error: { code: 'invalid_body', message: 'Request body is invalid', details: [{ path: '', message: 'must be a JSON array of events' }] } });
    await expectNothingStored();
  });

  it('when one event of the array is invalid, then the others are stored and queued and it is kept as dead with every problem named', async () => {
    const bad = JSON.stringify([event(), { ...event({ eventId: 'x' }), portalId: undefined }]);
    const res = await post(bad, signed(bad));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ received: 2, stored: 1, refused: 1, duplicates: 0 });
    const dead = await tb.tdb.db.selectFrom('webhook_events').select(['last_error', 'raw_event']).where('status', '=', 'dead').executeTakeFirstOrThrow();
    expect(dead.last_error?.split('; ').map((p) => p.split(':')[0]).sort()).toStrictEqual(['eventId', 'portalId']);
    expect(await queued()).toBe(1);
  });

  it('when only a v1 signature is sent and v1 is not allowed, then it answers 401', async () => {
    const body = JSON.stringify([event()]);
    const res = await post(body, { 'content-type': 'application/json', 'x-hubspot-signature': signV1(SECRET, body), 'x-hubspot-signature-version': 'v1' });
    expect(res.status).toBe(401);
    await expectNothingStored();
  });

  it('when a valid batch arrives twice, then it answers 200 both times and stores and queues each event once', async () => {
    const body = JSON.stringify([event(), event({ eventId: 12, propertyValue: '51000001' })]);
    const first = await post(body, signed(body));
    expect(first.status).toBe(200);
    expect(first.body).toStrictEqual({ received: 2, stored: 2, refused: 0, duplicates: 0 });
    const again = await post(body, signed(body));
    expect(again.status).toBe(200);
    expect(again.body).toStrictEqual({ received: 2, stored: 0, refused: 0, duplicates: 2 });
    expect(Number(await stored())).toBe(2);
    expect(await queued()).toBe(2);
  });

  it('when the same eventId comes with another value or time, then it is a different event (eventId alone is not unique)', async () => {
    const body = JSON.stringify([event(), event({ propertyValue: '51000001' }), event({ occurredAt: Date.now() - 5_000 })]);
    const res = await post(body, signed(body));
    expect(res.body).toStrictEqual({ received: 3, stored: 3, refused: 0, duplicates: 0 });
  });

  it('when events have unknown subscription types, unknown fields or eventType instead of subscriptionType, then they are kept as received', async () => {
    const unknown = { ...event({ subscriptionType: 'deal.creation', eventId: 99 }), brandNewField: { nested: true } };
    const legacyName = { ...event({ eventId: 100 }), subscriptionType: undefined, eventType: 'ticket.deletion' };
    const body = JSON.stringify([unknown, legacyName]);
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    const rows = await tb.tdb.db.selectFrom('webhook_events').select(['subscription_type', 'payload', 'status']).orderBy('event_id').execute();
    expect(rows.map((r) => r.subscription_type)).toStrictEqual(['deal.creation', 'ticket.deletion']);
    expect(rows[0]?.payload).toMatchObject({ brandNewField: { nested: true } });
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
  });

  it('when HubSpot calls with a query string, then the v3 URI is the public base URL plus the original URL, decoded with the v3 table', async () => {
    const body = JSON.stringify([event()]);
    const path = '/hubspot/webhooks?src=a%3Ab&x=%28y%29&q=hello%20world';
    const res = await post(body, signed(body, { uri: `${PUBLIC}${path}` }), path);
    expect(res.status).toBe(200);
    const wrongOrigin = await post(body, signed(body, { uri: `http://127.0.0.1:3000${path}` }), path);
    expect(wrongOrigin.status).toBe(401);
  });

  it('when a proxy turned + into spaces in the v3 header, then it is still accepted', async () => {
    for (let i = 0; i < 20; i++) {
      const body = JSON.stringify([event({ eventId: 1_000 + i })]);
      const headers = signed(body);
      // A + in first place would become a leading space, which HTTP trims from every header value:
      // that byte is lost on the way, whatever the backend does. Such signatures (1 in 64) are skipped.
      if (!headers['x-hubspot-signature-v3'].slice(1).includes('+') || headers['x-hubspot-signature-v3'].startsWith('+')) continue;
      const res = await post(body, { ...headers, 'x-hubspot-signature-v3': headers['x-hubspot-signature-v3'].replace(/\+/g, ' ') });
      expect(res.status).toBe(200);
      return;
    }
    throw new Error('no signature with a + in 20 tries');
  });
});

describe('POST /hubspot/webhooks with WEBHOOK_ALLOW_V1', () => {
  let tb: TestBackend;
  beforeAll(async () => {
    tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC, WEBHOOK_ALLOW_V1: 'true' } });
  });
  afterAll(async () => {
    await tb.destroy();
  });

  it('when only a valid v1 signature is sent, then it is accepted; a wrong one is refused', async () => {
    const body = JSON.stringify([event()]);
    const ok = await request(tb.app).post('/hubspot/webhooks').set('content-type', 'application/json').set('x-hubspot-signature', signV1(SECRET, body)).set('x-hubspot-signature-version', 'v1').send(body);
    expect(ok.status).toBe(200);
    const bad = await request(tb.app).post('/hubspot/webhooks').set('content-type', 'application/json').set('x-hubspot-signature', signV1('other', body)).set('x-hubspot-signature-version', 'v1').send(body);
    expect(bad.status).toBe(401);
  });

  it('when v3 headers are present but wrong, then a valid v1 alongside does not rescue the request', async () => {
    const body = JSON.stringify([event({ eventId: 77 })]);
    const res = await request(tb.app)
      .post('/hubspot/webhooks')
      .set('content-type', 'application/json')
      .set('x-hubspot-signature-v3', signV3('other', 'POST', URI, body, Date.now()))
      .set('x-hubspot-request-timestamp', String(Date.now()))
      .set('x-hubspot-signature', signV1(SECRET, body))
      .set('x-hubspot-signature-version', 'v1')
      .send(body);
    expect(res.status).toBe(401);
  });
});

describe('POST /hubspot/webhooks while the database is down', () => {
  it('when the events cannot be stored, then it answers 503 service_unavailable, never 200', async () => {
    const config = buildTestConfig({ HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC });
    const dead = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
    const logs = captureLogs();
    const app = createApp({ config, db: dead.db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: 'postgres://nobody:nothing@127.0.0.1:1/none', log: logs.log }) });
    const body = JSON.stringify([event()]);
    const res = await request(app).post('/hubspot/webhooks').set(signed(body)).send(body);
    expect(res.status).toBe(503);
    expect(res.body).toStrictEqual({ error: { code: 'service_unavailable', message: 'Webhook events could not be stored; retry later' } });
    await dead.db.destroy();
  });
});
