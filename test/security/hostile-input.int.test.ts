// Hostile input, generated (fast-check) and table-driven, against the real app over a real socket,
// one database. Every case must be refused with a 4xx and the standard error body (an HTML page on
// the browser routes), never a 5xx, and must change nothing: the database fingerprint (every table's
// rows and content, and the job queue) is compared around each group, and nobody but the configured
// HubSpot host is ever called. The one documented exception: a *signed* but malformed workflow-action
// call is answered in HubSpot's own format (200, FAIL_CONTINUE / INVALID_INPUT), still changing nothing.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import type { ManualClock } from '../../backend/src/platform/clock.js';
import { statusByCode } from '../../backend/src/platform/errors.js';
import { signV1, signV2, signV3, signedHeaders } from '../../emulator/src/signing.js';
import { recordFigures } from '../support/artifacts.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { listenRaw, startCanary, type Canary, type RawClient, type RawRequest, type RawResponse } from '../support/raw-http.js';
import { createTestBackend, type TestBackend } from '../support/test-backend.js';

const PUBLIC = 'https://switchboard.example.com';
const PORTAL_A = 62515;
const PORTAL_B = 20000077;
const TICKET_A = 1001;
// Enough for the 10 000-request floor with some margin; each group below takes a share.
const MIN_REQUESTS = 10_000;
// Each group sends hundreds of requests: on a loaded machine that takes longer than jest's default
// 30 s. (A deadline for the group, not a performance assertion.)
jest.setTimeout(300_000);

let tb: TestBackend;
let client: RawClient;
let hubspot: Canary;
let elsewhere: Canary;
let clock: ManualClock;
let fingerprint: Record<string, string>;
let hubspotHitsBefore = 0;
const perGroup: Record<string, number> = {};
let refusedEventsKept = 0;
const statuses: Record<string, number> = {};

/** What the setup created, for the generators to aim at. */
const fx = {
  keyA: '',
  keyB: '',
  orgA: '',
  orgB: '',
  conversationA: '',
  conversationB: '',
  linkA: '',
  /** A started install of org A: its state (unused) and the browser-binding cookie of that browser. */
  liveState: '',
  liveCookie: '',
  /** A state already used by a callback (replays must fail). */
  usedState: '',
  usedCookie: '',
  /** A state past its 10 minutes. */
  expiredState: '',
  expiredCookie: '',
};

beforeAll(async () => {
  // HubSpot answers every call with an error: nothing in here may succeed against it.
  hubspot = await startCanary({ status: 400, body: { error: 'invalid_grant', error_description: 'canary', status: 'BAD_AUTH_CODE', message: 'canary' } });
  elsewhere = await startCanary();
  tb = await createTestBackend({
    manualClockAt: Date.now(),
    env: {
      PUBLIC_BASE_URL: PUBLIC,
      HUBSPOT_API_BASE_URL: hubspot.url,
      HUBSPOT_APP_BASE_URL: hubspot.url,
      // Limits off: this suite is about what each handler does with what it gets (the limiter has its own test).
      RATE_LIMIT_BROWSER_PER_MINUTE: '0',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
      RATE_LIMIT_BAD_SIGNATURES_PER_MINUTE: '0',
      RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0',
    },
  });
  clock = tb.clock as ManualClock;
  client = await listenRaw(tb.app);
  const { services } = tb;

  const a = await services.organizations.createOrganization({ name: 'Tenant A' });
  const b = await services.organizations.createOrganization({ name: 'Tenant B' });
  Object.assign(fx, { keyA: a.apiKey, keyB: b.apiKey, orgA: a.organization.id, orgB: b.organization.id });
  const grant = (portalId: number) => ({
    portalId,
    portalDomain: null,
    scopes: ['oauth', 'tickets', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read', 'conversations.read', 'conversations.write', 'automation'],
    approvedBy: null,
    accessToken: `C${crypto.randomBytes(72).toString('base64url')}`,
    refreshToken: `na1-${crypto.randomUUID()}`,
    accessExpiresAt: new Date(clock.now() + 3_600_000),
  });
  await services.connections.applyOAuthGrant({ organizationId: a.organization.id, grant: grant(PORTAL_A) });
  await services.connections.applyOAuthGrant({ organizationId: b.organization.id, grant: grant(PORTAL_B) });
  fx.conversationA = (await services.conversations.upsertByExternalId(a.organization.id, { externalId: 'chat-a', ticketId: TICKET_A })).conversation.id;
  fx.conversationB = (await services.conversations.upsertByExternalId(b.organization.id, { externalId: 'chat-b', ticketId: 2001 })).conversation.id;
  fx.linkA = new URL((await services.installs.createInstallLink(a.organization.id)).url).pathname.slice('/connect/'.length);

  const start = async () => {
    const res = await client.send({ method: 'GET', path: `/oauth/install?link=${encodeURIComponent(fx.linkA)}` });
    expect(res.status).toBe(302);
    const state = new URL(String(res.headers.location)).searchParams.get('state')!;
    const cookie = String((res.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    return { state, cookie };
  };
  // Expired: started, then 11 minutes pass.
  ({ state: fx.expiredState, cookie: fx.expiredCookie } = await start());
  clock.advance(11 * 60_000);
  // Used: a callback consumed it (HubSpot then refused the code).
  ({ state: fx.usedState, cookie: fx.usedCookie } = await start());
  const used = await client.send({ method: 'GET', path: `/oauth/callback?code=na1-used&state=${fx.usedState}`, headers: { cookie: fx.usedCookie } });
  expect(used.status).toBe(400);
  ({ state: fx.liveState, cookie: fx.liveCookie } = await start());

  fingerprint = await databaseFingerprint(tb.tdb.db);
  hubspotHitsBefore = hubspot.hits().length;
}, 60_000);

afterAll(async () => {
  await client.close();
  await hubspot.close();
  await elsewhere.close();
  await tb.destroy();
});

// ---------------------------------------------------------------------------------------------------
// Checking answers

const BROWSER_ROUTES = /^\/(oauth|connect)(\/|\?|$)/;

/** A refusal: 4xx, and the standard error body (or the error page on the browser routes). */
function expectRefused(req: RawRequest, res: RawResponse, allowed: readonly number[] = []): void {
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  const where = `${req.method} ${req.path.slice(0, 300)}`;
  if (allowed.includes(res.status)) return;
  if (!(res.status >= 400 && res.status < 500)) throw new Error(`${where} ${JSON.stringify(req.headers ?? {}).slice(0, 300)} answered ${res.status}: ${res.text.slice(0, 300)}`);
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) {
    expect([where, BROWSER_ROUTES.test(req.path)]).toStrictEqual([where, true]);
    expect(res.text).toContain('Error code:');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    return;
  }
  expect([where, type]).toStrictEqual([where, expect.stringContaining('application/json')]);
  const body = res.json as { error?: { code?: string; message?: unknown; details?: unknown } };
  const keys = Object.keys(body ?? {});
  expect([where, keys]).toStrictEqual([where, ['error']]);
  const { code, message, details, ...rest } = body.error ?? {};
  expect([where, rest]).toStrictEqual([where, {}]);
  expect([where, typeof message === 'string' && message.length > 0]).toStrictEqual([where, true]);
  expect([where, code !== undefined && code in statusByCode && statusByCode[code as keyof typeof statusByCode] === res.status]).toStrictEqual([where, true]);
  if (details !== undefined) expect(Array.isArray(details)).toBe(true);
}

/** A check that also requires this exact status (where the answer is known, "any 4xx" is not enough). */
function exactly(status: number | ((req: RawRequest) => number)) {
  return (req: RawRequest, res: RawResponse): void => {
    expectRefused(req, res);
    const want = typeof status === 'number' ? status : status(req);
    expect([`${req.method} ${req.path.slice(0, 200)}`, res.status]).toStrictEqual([`${req.method} ${req.path.slice(0, 200)}`, want]);
  };
}

/** Runs a generated group: every request refused, nothing stored, nobody else called. */
async function runGroup<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  numRuns: number,
  toRequest: (input: T) => RawRequest,
  check: (req: RawRequest, res: RawResponse) => void = expectRefused,
  opts: { refusedEventsKept?: boolean } = {},
) {
  const before = client.count();
  const keptBefore = (await refusedRows()).length;
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      const req = toRequest(input);
      check(req, await client.send(req));
    }),
    { numRuns },
  );
  perGroup[name] = (perGroup[name] ?? 0) + client.count() - before;
  if (opts.refusedEventsKept) {
    // The one change allowed: webhook events refused at intake, kept as dead rows (never processed).
    const { webhook_events: inboxNow, ...now } = await databaseFingerprint(tb.tdb.db);
    const { webhook_events: inboxBefore, ...was } = fingerprint;
    expect(now).toStrictEqual(was);
    const kept = (await refusedRows()).length;
    expect(Number(inboxNow?.split(':')[0]) - Number(inboxBefore?.split(':')[0])).toBe(kept - keptBefore);
    refusedEventsKept += kept - keptBefore;
    fingerprint = await databaseFingerprint(tb.tdb.db);
  } else {
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(fingerprint);
  }
  expect(elsewhere.hits()).toStrictEqual([]);
}

/** Inbox rows of webhook events refused at intake. */
function refusedRows() {
  return tb.tdb.db.selectFrom('webhook_events').select(['status', 'raw_event', 'last_error', 'payload']).where('outcome', '=', 'refused at intake').execute();
}

/** Runs a table: the same checks for hand-written cases. */
async function runTable(name: string, cases: (RawRequest & { allowed?: number[]; status?: number })[]) {
  const before = client.count();
  for (const { allowed, status, ...req } of cases) {
    const res = await client.send(req);
    if (status === undefined) expectRefused(req, res, allowed);
    else exactly(status)(req, res);
  }
  perGroup[name] = (perGroup[name] ?? 0) + client.count() - before;
  expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(fingerprint);
  expect(elsewhere.hits()).toStrictEqual([]);
}

// ---------------------------------------------------------------------------------------------------
// Building blocks

const secret = () => tb.config.hubspot.clientSecret;
const now = () => clock.now();
const url = (path: string) => `${PUBLIC}${path}`;
const v3 = (method: string, path: string, body: string | Buffer, ts: number | string = now()) => ({
  'x-hubspot-signature-v3': signV3(secret(), method, url(path), body, ts),
  'x-hubspot-request-timestamp': String(ts),
});

/** A well-formed event: stored if it ever got through, so only the headers or URL may be wrong. */
const validEvent = (over: Record<string, unknown> = {}) => ({
  eventId: 1,
  subscriptionId: 1003,
  portalId: PORTAL_A,
  occurredAt: now(),
  subscriptionType: 'ticket.propertyChange',
  attemptNumber: 0,
  objectId: TICKET_A,
  propertyName: 'hubspot_owner_id',
  propertyValue: '51000002',
  ...over,
});
const VALID_BATCH = () => JSON.stringify([validEvent()]);

const junk = fc.string({ maxLength: 80 });
/** Text PostgreSQL cannot store: a NUL or an unpaired surrogate (high or low) somewhere in a string. */
const unstorableText = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d'), fc.string({ maxLength: 20 }))
  .map(([a, bad, b]) => a + bad + b);
const b64 = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((u) => Buffer.from(u).toString('base64'));

/** A v3 signature that is wrong in one of the ways signatures go wrong. */
const badV3 = (right: string) =>
  fc.oneof(
    fc.constant(''),
    junk,
    b64(32),
    fc.nat({ max: right.length - 1 }).map((i) => right.slice(0, i) + (right[i] === 'A' ? 'B' : 'A') + right.slice(i + 1)),
    fc.nat({ max: right.length - 1 }).map((i) => right.slice(0, i)),
    junk.map((s) => right + s + 'x'),
    fc.constant(right.replace(/[A-Za-z]/, (c) => (c === 'z' ? 'y' : 'z')).replace(/\+/g, ' ')),
    fc.constant(right.toLowerCase() === right ? right.toUpperCase() : right.toLowerCase()),
    fc.constant(Buffer.from(right, 'base64').toString('hex')),
    fc.constant('!!!!' + right.slice(4)),
  );

// ---------------------------------------------------------------------------------------------------

describe('hostile input', () => {
  it('webhook signature headers: missing, duplicated, wrong length, not base64, mangled, another version → 401', async () => {
    const path = '/hubspot/webhooks';
    const body = VALID_BATCH();
    const right = signV3(secret(), 'POST', url(path), body, now());
    const headerSets = fc.oneof(
      fc.constant({}),
      fc.constant({ 'x-hubspot-request-timestamp': String(now()) }),
      badV3(right).map((sig) => ({ 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': String(now()) })),
      // Duplicated headers arrive joined with ", ".
      fc.constantFrom<[string, string][]>([right, right], [right, 'x'], ['x', right]).map((pair) => ({ 'x-hubspot-signature-v3': pair, 'x-hubspot-request-timestamp': String(now()) })),
      fc.constant({ 'x-hubspot-signature-v3': right, 'x-hubspot-request-timestamp': [String(now()), String(now())] }),
      // Older versions: webhooks accept v1 only when configured (it is not), never v2.
      fc.constant({ 'x-hubspot-signature': signV1(secret(), body), 'x-hubspot-signature-version': 'v1' }),
      fc.constant({ 'x-hubspot-signature': signV2(secret(), 'POST', url(path), body), 'x-hubspot-signature-version': 'v2' }),
      junk.map((v) => ({ 'x-hubspot-signature': signV2(secret(), 'POST', url(path), body), 'x-hubspot-signature-version': v })),
      // A v3 header with a failing value is final: valid older signatures next to it do not rescue it.
      badV3(right).map((sig) => ({ 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': String(now()), 'x-hubspot-signature': signV1(secret(), body), 'x-hubspot-signature-version': 'v1' })),
      // Signed with another secret.
      fc.uuid().map((other) => ({ 'x-hubspot-signature-v3': signV3(other, 'POST', url(path), body, now()), 'x-hubspot-request-timestamp': String(now()) })),
    );
    await runGroup('webhook signature headers', headerSets, 1_200, (headers) => ({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body }), exactly(401));
  });

  it('help-desk channel webhook: unsigned, signed by another secret, not JSON, empty, missing fields, unstorable text → 4xx, nothing recorded', async () => {
    const path = '/hubspot/channel/webhooks';
    const reply = (message: Record<string, unknown>) => JSON.stringify({ type: 'OUTGOING_CHANNEL_MESSAGE_CREATED', portalId: String(PORTAL_A), channelId: '1', message });
    const signed = (body: string) => ({ method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, body) }, body });
    const good = reply({ id: 'm-1', conversationsThreadId: '1', text: 'hi', senders: [] });
    await runTable('channel webhook (table)', [
      { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: good, status: 401 },
      { method: 'POST', path, headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3('another-secret', 'POST', url(path), good, now()), 'x-hubspot-request-timestamp': String(now()) }, body: good, status: 401 },
      { ...signed('not json'), status: 400 },
      { ...signed('[]'), status: 400 },
      { ...signed('"text"'), status: 400 },
      { ...signed(JSON.stringify(Array.from({ length: 101 }, () => ({ type: 'X' })))), status: 400 },
      { ...signed(reply({ conversationsThreadId: '1', text: 'no id' })), status: 400 },
      { ...signed(reply({ id: 'm-2', text: 'no thread' })), status: 400 },
      { ...signed(JSON.stringify({ type: 'CHANNEL_ACCOUNT_CREATED', portalId: String(PORTAL_A) })), status: 400 },
      { ...signed(reply({ id: 'm-3', conversationsThreadId: '1', text: 'nul \u0000 here' })), status: 400 },
    ]);
  });

  it('webhook timestamps: NaN, negative, fractional, far past, stale, future, huge — each correctly signed → 401', async () => {
    const path = '/hubspot/webhooks';
    const body = VALID_BATCH();
    const stamps = fc.oneof(
      fc.constantFrom('NaN', 'abc', '', ' ', '-1', '1.5', '0x1', '1e12', 'Infinity', '99999999999999999999', `${now()} `, ` ${now()}`, `+${now()}`),
      // Numbers in range for a number but not a date: past what a Date can hold, or the exponent form.
      fc.constantFrom('9000000000000000', '8640000000000001', String(Number.MAX_SAFE_INTEGER), '9e15', `${now()}.0`),
      fc.integer({ min: -1e15, max: -1 }).map(String),
      fc.integer({ min: 0, max: now() - 300_001 }).map(String),
      fc.integer({ min: now() + 300_001, max: now() + 1e13 }).map(String),
      fc.integer({ min: 1, max: 1e6 }).map((d) => String(now() - 300_000 - d)),
      fc.integer({ min: 1, max: 1e6 }).map((d) => String(now() + 300_000 + d)),
      junk.filter((s) => !/^\d+$/.test(s)),
    );
    await runGroup('webhook timestamps', stamps, 1_000, (ts) => ({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(secret(), 'POST', url(path), body, ts), 'x-hubspot-request-timestamp': ts },
      body,
    }), exactly(401));
  });

  it('webhook URLs: signed for one URL, sent to another (query, encoding, slash, case) → 401; odd URLs correctly signed with a bad body → 400', async () => {
    const body = VALID_BATCH();
    const query = fc.webQueryParameters();
    const variants = fc.oneof(
      query.filter((q) => q.length > 0).map((q) => ({ sent: `/hubspot/webhooks?${q}`, signed: '/hubspot/webhooks' })),
      query.map((q) => ({ sent: '/hubspot/webhooks', signed: `/hubspot/webhooks?${q}x=1` })),
      fc.constantFrom(
        { sent: '/hubspot/webhooks?a=b:c', signed: '/hubspot/webhooks?a=b%253Ac' },
        { sent: '/hubspot/webhooks?q=a%20b', signed: '/hubspot/webhooks?q=a+b' },
        { sent: '/hubspot/webhooks?b=2&a=1', signed: '/hubspot/webhooks?a=1&b=2' },
        { sent: '/hubspot/webhooks/', signed: '/hubspot/webhooks' },
        { sent: '/hubspot/Webhooks', signed: '/hubspot/webhooks' },
        { sent: '/hubspot/webhooks', signed: 'http://switchboard.example.com/hubspot/webhooks' },
      ),
    );
    await runGroup('webhook URLs (signed elsewhere)', variants, 500, ({ sent, signed }) => ({
      method: 'POST',
      path: sent,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(secret(), 'POST', signed.startsWith('http') ? signed : url(signed), body, now()), 'x-hubspot-request-timestamp': String(now()) },
      body,
    }), exactly(401));
    const odd = fc.oneof(fc.webQueryParameters(), fc.constantFrom('%E0%A4%A', '%', 'a=%ZZ', 'x=%00', 'a[b]=c', 'a=1&a=2', '__proto__=x', 'constructor[prototype][x]=1'));
    await runGroup('webhook URLs (odd, signed, bad body)', odd, 300, (q) => {
      const path = `/hubspot/webhooks?${q}`;
      const bad = '{"not":"an array"}';
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, bad) }, body: bad };
    }, exactly(400));
  });

  it('webhook batches, correctly signed, whose events are all bad (wrong types, NUL, lone surrogates, dates past what a date holds) → 200, each kept as a dead row, nothing else stored', async () => {
    const path = '/hubspot/webhooks';
    const deadBefore = await refusedRows();
    // An id HubSpot may send as a digit string is valid that way; only other strings are wrong.
    const notAnId = fc.string().filter((x) => !/^\d{1,15}$/.test(x));
    const badEvent = fc.oneof(
      fc.constant({}),
      fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
      fc.record({ field: fc.constantFrom('eventId', 'portalId', 'occurredAt', 'objectId'), value: fc.oneof(notAnId, fc.double().filter((d) => !Number.isInteger(d)), fc.boolean(), fc.constant(-1), fc.constant(1.5), fc.array(fc.nat())) }).map(({ field, value }) => validEvent({ [field]: value })),
      fc.constantFrom('eventId', 'portalId', 'occurredAt', 'objectId', 'subscriptionType').map((field) => validEvent({ [field]: null })),
      fc.constantFrom('eventId', 'portalId', 'occurredAt', 'objectId').map((field) => {
        const e: Record<string, unknown> = validEvent();
        delete e[field];
        return e;
      }),
      fc.constantFrom(42, true, '', 'x'.repeat(201)).map((t) => validEvent({ subscriptionType: t })),
      // Invalid dates within the number range: past 8.64e15 ms a Date (and a timestamp column) cannot hold it.
      fc.oneof(fc.constantFrom(9e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 1e300), fc.integer({ min: 8_640_000_000_000_001, max: Number.MAX_SAFE_INTEGER })).map((t) => validEvent({ occurredAt: t })),
      // Text PostgreSQL cannot store, in any field (known or not) or key.
      fc.tuple(fc.constantFrom('propertyValue', 'propertyName', 'changeSource', 'sourceId', 'subscriptionType', 'objectTypeId', 'messageId', 'brandNewField'), unstorableText).map(([field, bad]) => validEvent({ [field]: bad })),
      unstorableText.map((bad) => ({ ...validEvent(), [bad]: 'x' })),
      unstorableText.map((bad) => validEvent({ nested: { deeper: [bad] } })),
    );
    const batches = fc.oneof(
      fc.array(badEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
      // Deeply nested elements: not events, and deeper than anything we store.
      fc.integer({ min: 2, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
      fc.integer({ min: 1, max: 200 }).map((depth) => `[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`),
    );
    await runGroup('webhook batches of refused events', batches, 600, (body) => {
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, body) }, body };
    }, (req, res) => {
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const events = JSON.parse(String(req.body)) as unknown[];
      const answer = res.json as { received: number; stored: number; refused: number; duplicates: number };
      expect([req.body, res.status, answer.received, answer.stored, answer.refused + answer.duplicates]).toStrictEqual([req.body, 200, events.length, 0, events.length]);
    }, { refusedEventsKept: true });
    // Every refused event is a dead row with its reason and its text; nothing else changed (checked by runGroup).
    const dead = await refusedRows();
    expect(dead.length).toBeGreaterThan(deadBefore.length);
    expect(dead.every((r) => r.status === 'dead' && r.raw_event !== null && (r.last_error ?? '').length > 0 && r.payload === null)).toBe(true);
  });

  it('webhook bodies, correctly signed: empty, not JSON, invalid UTF-8, not an array, deeply nested, over 100 events, too large, another charset → 4xx', async () => {
    const path = '/hubspot/webhooks';
    const bodies = fc.oneof(
      fc.constant(Buffer.alloc(0)),
      fc.string().filter((s) => !isParsableArray(s)).map((s) => Buffer.from(s)),
      fc.jsonValue().filter((v) => !Array.isArray(v)).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('[{"eventId":1,"x":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(bytes), Buffer.from('"}]')])),
      fc.integer({ min: 101, max: 300 }).map((n) => Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => validEvent({ eventId: i + 1 }))))),
    );
    const contentTypes = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', '');
    await runGroup('webhook bodies', fc.tuple(bodies.map(shortLabel), contentTypes), 1_200, ([{ body }, type]) => ({
      method: 'POST',
      path,
      headers: { ...(type ? { 'content-type': type } : {}), ...v3('POST', path, body) },
      body,
    }));
    // Too large, and bodies that lie about their length or encoding.
    const huge = Buffer.from(JSON.stringify([validEvent({ propertyValue: 'x'.repeat(600_000) })]));
    const gzipGarbage = Buffer.from('definitely not gzip');
    const oneTooMany = JSON.stringify(Array.from({ length: 101 }, (_, i) => validEvent({ eventId: i + 1 })));
    await runTable('webhook bodies (table)', [
      // Regression: a signed batch of 101–1000 events was stored (the schema allowed 1000; HubSpot sends at most 100).
      { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, oneTooMany) }, body: oneTooMany },
      // Regression: a body that does not inflate was a 500 (zlib's error has a 4xx status but no body-parser type).
      { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-encoding': 'deflate', ...v3('POST', path, gzipGarbage) }, body: gzipGarbage },
      { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, huge) }, body: huge },
      { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...v3('POST', path, gzipGarbage) }, body: gzipGarbage },
      { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-encoding': 'br;q=1, compress', ...v3('POST', path, '[]') }, body: '[]' },
      { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, 'null') }, body: 'null' },
      { method: 'GET', path, headers: v3('GET', path, '') },
      { method: 'PUT', path, headers: { 'content-type': 'application/json', ...v3('PUT', path, VALID_BATCH()) }, body: VALID_BATCH() },
    ]);
  });

  it('workflow actions: unsigned or badly signed → 401; signed but malformed → HubSpot’s FAIL_CONTINUE / INVALID_INPUT and nothing done; unknown actions and option fields → 404', async () => {
    const names = ['pause-ai', 'resume-ai', 'request-handoff', 'send-to-ai'];
    const malformed = fc.oneof(
      fc.constant(''),
      fc.string().filter((s) => !isJson(s)),
      fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => JSON.stringify(v) ?? 'null'),
      fc
        .record(
          {
            callbackId: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)),
            origin: fc.oneof(fc.constant({}), fc.record({ portalId: fc.oneof(fc.string().filter((p) => !/^\d{1,18}$/.test(p)), fc.constant(-1), fc.constant(1.5)) })),
            object: fc.oneof(fc.constant({}), fc.record({ objectId: fc.oneof(fc.string(), fc.double()), objectType: fc.constantFrom('', 7) })),
            extra: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    );
    const answerOk = (name: string) => (req: RawRequest, res: RawResponse) => {
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      expect([req.path, res.status]).toStrictEqual([req.path, 200]);
      expect((res.json as { outputFields: Record<string, unknown> }).outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_INPUT' });
      void name;
    };
    for (const name of names) {
      const path = `/hubspot/actions/${name}`;
      await runGroup(`action ${name} (signed, malformed)`, malformed, 150, (body) => ({ method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body, clientSecret: secret(), timestamp: now(), versions: ['v2', 'v3'] }) }, body }), answerOk(name));
      const sample = JSON.stringify({ callbackId: 'cb-1', origin: { portalId: PORTAL_A }, object: { objectId: TICKET_A, objectType: 'TICKET' }, inputFields: {} });
      const right = signV2(secret(), 'POST', url(path), sample);
      const unsigned = fc.oneof(
        fc.constant({}),
        junk.map((sig) => ({ 'x-hubspot-signature': sig, 'x-hubspot-signature-version': 'v2' })),
        fc.constant({ 'x-hubspot-signature': right, 'x-hubspot-signature-version': 'v1' }),
        fc.constant({ 'x-hubspot-signature': signV2(secret(), 'POST', url(`${path}?x=1`), sample), 'x-hubspot-signature-version': 'v2' }),
        fc.constant({ 'x-hubspot-signature': signV1(secret(), sample), 'x-hubspot-signature-version': 'v1' }),
        badV3(signV3(secret(), 'POST', url(path), sample, now())).map((sig) => ({ 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': String(now()), 'x-hubspot-signature': right, 'x-hubspot-signature-version': 'v2' })),
      );
      await runGroup(`action ${name} (unsigned)`, unsigned, 150, (headers) => ({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: sample }), exactly(401));
    }
    const segment = fc.webSegment().filter((s) => s.length > 0 && !names.includes(s) && s !== 'options');
    await runGroup('action names (unknown)', segment, 200, (name) => {
      const path = `/hubspot/actions/${name}`;
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body: '{}', clientSecret: secret(), timestamp: now(), versions: ['v2', 'v3'] }) }, body: '{}' };
    }, exactly(404));
    await runGroup('action option fields', fc.tuple(fc.webSegment(), malformed), 300, ([field, body]) => {
      const path = `/hubspot/actions/options/${field || 'x'}`;
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body, clientSecret: secret(), timestamp: now(), versions: ['v2', 'v3'] }) }, body };
    }, exactly((req) => (req.path === '/hubspot/actions/options/team' ? 400 : 404)));
    await runGroup('action option fields (known, malformed)', malformed, 200, (body) => {
      const path = '/hubspot/actions/options/team';
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body, clientSecret: secret(), timestamp: now(), versions: ['v2', 'v3'] }) }, body };
    }, exactly(400));
  });

  it('OAuth callback: forged, replayed, expired or foreign-browser state, error parameters, duplicated or oversized parameters → 4xx page, nothing stored', async () => {
    const state = fc.oneof(
      junk.filter((s) => s.length > 0),
      fc.constant(fx.usedState),
      fc.constant(fx.expiredState),
      fc.constant(fx.liveState),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `sb_state_${s}`),
      fc.constant(`${fx.liveState}x`),
      fc.constant(fx.liveState.slice(0, -1)),
    );
    const cookie = fc.oneof(
      fc.constant(undefined),
      fc.constant(fx.usedCookie),
      fc.constant(fx.expiredCookie),
      junk.map((v) => `sb_oauth_binding=${encodeURIComponent(v)}`),
      fc.constant(`sb_oauth_binding=${crypto.randomBytes(32).toString('base64url')}.${fx.linkA}`),
      // Another attempt's browser cookie (its own nonce, the real link) does not open this state.
      fc.constant(fx.usedCookie),
      fc.constant(`${fx.expiredCookie.split('.')[0]}.${fx.linkA}`),
    );
    const params = fc.record(
      {
        code: fc.oneof(fc.constant('na1-code'), junk, fc.constant('x'.repeat(600))),
        state,
        error: fc.oneof(fc.constantFrom('access_denied', 'invalid_scope', 'server_error'), junk, fc.constant('e'.repeat(300))),
        error_description: fc.oneof(junk, fc.constant('<script>alert(1)</script>'), fc.constant('d'.repeat(1200))),
      },
      { requiredKeys: ['state'] },
    );
    const accept = fc.constantFrom('text/html', 'application/json', '*/*', undefined);
    await runGroup('oauth callback', fc.tuple(params, cookie, accept, fc.boolean()), 800, ([p, c, a, duplicate]) => {
      // The live state never goes out with its own browser's cookie (that would be a real install).
      const q = new URLSearchParams(Object.entries(p).filter(([, v]) => v !== undefined) as [string, string][]);
      if (duplicate) q.append('state', 'second');
      return { method: 'GET', path: `/oauth/callback?${q.toString()}`, headers: { ...(c ? { cookie: c } : {}), ...(a ? { accept: a } : {}) } };
    });
    await runTable('oauth callback (table)', [
      { method: 'GET', path: '/oauth/callback' },
      { method: 'GET', path: `/oauth/callback?state=${fx.liveState}` },
      { method: 'GET', path: `/oauth/callback?code=x&state=${fx.liveState}` },
      { method: 'GET', path: `/oauth/callback?code=x&state=${fx.usedState}`, headers: { cookie: fx.usedCookie } },
      { method: 'GET', path: `/oauth/callback?code=x&state=${fx.expiredState}`, headers: { cookie: fx.expiredCookie } },
      { method: 'GET', path: `/oauth/callback?code=x&state=${fx.liveState}`, headers: { cookie: fx.usedCookie } },
      { method: 'GET', path: `/oauth/callback?error=access_denied&state=${fx.liveState}`, headers: { cookie: fx.liveCookie } },
      { method: 'GET', path: '/oauth/callback?code=%E0%A4%A' },
      { method: 'GET', path: '/oauth/callback?code[]=x&state[]=y' },
      { method: 'POST', path: '/oauth/callback?code=x' },
    ]);
  });

  it('install and connect tokens guessed (random, near misses, wrong prefix, oversized, malformed) → 4xx page, nothing stored', async () => {
    const guess = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `sb_link_${s}`),
      fc.nat({ max: fx.linkA.length - 1 }).map((i) => fx.linkA.slice(0, i) + (fx.linkA[i] === 'a' ? 'b' : 'a') + fx.linkA.slice(i + 1)),
      fc.constant(fx.linkA.slice(0, -1)),
      fc.constant(`${fx.linkA}A`),
      fc.constant(fx.linkA.toUpperCase()),
      fc.constant(fx.keyA),
      fc.constant(fx.liveState),
      fc.webSegment().filter((s) => s.length > 0),
      fc.constant('x'.repeat(201)),
    );
    await runGroup('install links guessed', fc.tuple(guess, fc.constantFrom('text/html', 'application/json')), 500, ([token, accept]) => ({ method: 'GET', path: `/oauth/install?link=${encodeURIComponent(token)}`, headers: { accept } }));
    const action = fc.constantFrom('', '/claim', '/confirm', '/cancel', '/helpdesk');
    const form = fc.oneof(fc.constant(''), fc.uuid().map((u) => `pending=${u}`), junk.map((j) => `pending=${encodeURIComponent(j)}`), junk.map((j) => `inboxId=${encodeURIComponent(j)}`), fc.constant('a=1&'.repeat(1_500)));
    await runGroup('connect pages guessed', fc.tuple(guess, action, form, fc.constantFrom('text/html', 'application/json')), 500, ([token, act, body, accept]) => ({
      method: act === '' ? 'GET' : 'POST',
      path: `/connect/${encodeURIComponent(token)}${act}`,
      headers: { accept, ...(act === '' ? {} : { 'content-type': 'application/x-www-form-urlencoded', cookie: `sb_install_claim=sb_claim_${crypto.randomBytes(8).toString('hex')}` }) },
      ...(act === '' ? {} : { body }),
    }));
    // The real link, with forged form posts: no pending grant to confirm, cancel or claim.
    await runGroup('connect page forms on a real link', fc.tuple(action.filter((a) => a !== ''), form), 300, ([act, body]) => ({
      method: 'POST',
      path: `/connect/${fx.linkA}${act}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: `sb_install_claim=sb_claim_${crypto.randomBytes(8).toString('hex')}` },
      body,
    }));
    await runTable('connect and install (table)', [
      // Regressions: a form over the size limit, or with too many fields, was a 500 page on the browser routes.
      { method: 'POST', path: `/connect/${fx.linkA}/confirm`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: 'a&'.repeat(1_100) },
      { method: 'POST', path: `/connect/${fx.linkA}/claim`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: `pending=${'x'.repeat(10_000)}` },
      { method: 'POST', path: `/connect/${fx.linkA}/cancel`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'content-encoding': 'gzip' }, body: 'not gzip' },
      { method: 'GET', path: '/oauth/install' },
      { method: 'GET', path: `/oauth/install?link=${fx.linkA}&link=${fx.linkA}` },
      { method: 'GET', path: `/oauth/install?link=${fx.linkA}&extra=1` },
      { method: 'GET', path: '/connect/%E0%A4%A' },
      { method: 'GET', path: '/connect/%E0%A4%A', headers: { accept: 'text/html' } },
      { method: 'POST', path: '/connect/%E0%A4%A/claim', headers: { accept: 'text/html' } },
    ]);
  });

  it('card endpoints: unsigned, badly signed, another app, another portal’s identity acting on this tenant’s conversation, duplicated identity → refused', async () => {
    const identity = (portalId: number, extra = '') => `portalId=${portalId}&userId=1000001&userEmail=ada%40example.com&appId=${tb.config.hubspot.appId}${extra}`;
    const actions = fc.constantFrom('pause', 'resume', 'handoff');
    const foreign = fc.oneof(fc.constant(PORTAL_B), fc.integer({ min: 1, max: 99_999_999 }).filter((p) => p !== PORTAL_A));
    await runGroup('cards: another portal acts on tenant A', fc.tuple(foreign, actions), 600, ([portalId, action]) => {
      const path = `/hubspot/ui/conversations/${fx.conversationA}/${action}?${identity(portalId)}`;
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, '{}') }, body: '{}' };
    });
    const requests = fc.oneof(
      fc.constant({ method: 'GET', base: `/hubspot/ui/records/tickets/${TICKET_A}` }),
      fc.constant({ method: 'GET', base: '/hubspot/ui/settings' }),
      fc.constant({ method: 'PATCH', base: '/hubspot/ui/settings' }),
      actions.map((a) => ({ method: 'POST', base: `/hubspot/ui/conversations/${fx.conversationA}/${a}` })),
    );
    const tampering = fc.oneof(
      fc.constant('unsigned'),
      fc.constant('bad signature'),
      fc.constant('stale'),
      fc.constant('signed for portal B, sent as A'),
      fc.constant('duplicated portal'),
      fc.constant('another app'),
      fc.constant('no identity'),
      fc.constant('v2 only'),
    );
    await runGroup('cards: tampered requests', fc.tuple(requests, tampering), 600, ([{ method, base }, how]) => {
      const body = method === 'GET' ? '' : '{}';
      const withBody = method === 'GET' ? {} : { body };
      const path = `${base}?${identity(PORTAL_A)}`;
      switch (how) {
        case 'unsigned':
          return { method, path, ...withBody };
        case 'bad signature':
          return { method, path, headers: { 'x-hubspot-signature-v3': signV3('wrong', method, url(path), body, now()), 'x-hubspot-request-timestamp': String(now()) }, ...withBody };
        case 'stale':
          return { method, path, headers: v3(method, path, body, now() - 301_000), ...withBody };
        case 'signed for portal B, sent as A':
          return { method, path, headers: v3(method, `${base}?${identity(PORTAL_B)}`, body), ...withBody };
        case 'duplicated portal': {
          const p = `${base}?${identity(PORTAL_A, `&portalId=${PORTAL_B}`)}`;
          return { method, path: p, headers: v3(method, p, body), ...withBody };
        }
        case 'another app': {
          const p = `${base}?portalId=${PORTAL_A}&userId=1&appId=${(tb.config.hubspot.appId ?? 0) + 1}`;
          return { method, path: p, headers: v3(method, p, body), ...withBody };
        }
        case 'no identity':
          return { method, path: base, headers: v3(method, base, body), ...withBody };
        default:
          return { method, path, headers: { 'x-hubspot-signature': signV2(secret(), method, url(path), body), 'x-hubspot-signature-version': 'v2' }, ...withBody };
      }
    });
    // (An empty body is a valid card call: it means `{}`.)
    const badBodies = fc.oneof(fc.string().filter((s) => s !== '' && !isJson(s)), fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => JSON.stringify(v) ?? 'null'), fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }).filter((d) => Object.keys(d).some((k) => !['pauseOnOwnerChange', 'handoffTeams', 'reason', 'note'].includes(k))).map((d) => JSON.stringify(d)));
    await runGroup('cards: signed, malformed', fc.tuple(fc.constantFrom('PATCH /hubspot/ui/settings', 'POST pause', 'GET record'), badBodies, fc.webSegment()), 400, ([which, body, seg]) => {
      if (which === 'GET record') {
        const path = `/hubspot/ui/records/${seg || 'x'}/${seg || 'y'}?${identity(PORTAL_A)}`;
        return { method: 'GET', path, headers: v3('GET', path, '') };
      }
      const path = which.startsWith('PATCH') ? `/hubspot/ui/settings?${identity(PORTAL_A)}` : `/hubspot/ui/conversations/${fx.conversationA}/pause?${identity(PORTAL_A)}`;
      const method = which.startsWith('PATCH') ? 'PATCH' : 'POST';
      return { method, path, headers: { 'content-type': 'application/json', ...v3(method, path, body) }, body };
    });
  });

  it('HubSpot proxy: traversal, encoded slashes, absolute URLs, other hosts, odd segments → 4xx, and nothing but HubSpot is ever called', async () => {
    const hostile = fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '.%2e', '%2e', '', '%2f', '%2F', '%5c', '\\', 'http:', 'https:', `${elsewhere.url.replace('http://', '')}`, '%00', '..%2f..', '%252e%252e');
    const prefix = fc.oneof(fc.constant(''), fc.constant(`//${elsewhere.url.replace('http://', '')}`), fc.constant(`/${elsewhere.url}`), fc.constant('/@127.0.0.1'));
    const paths = fc.tuple(prefix, fc.array(fc.webSegment(), { maxLength: 4 }), hostile, fc.array(fc.webSegment(), { maxLength: 3 }), fc.nat()).map(([pre, left, bad, right, at]) => {
      const segments = [...left, ...right];
      segments.splice(at % (segments.length + 1), 0, bad);
      return `${pre}/${segments.join('/')}`;
    });
    const method = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT');
    const hitsBefore = hubspot.hits().length;
    await runGroup('proxy paths', fc.tuple(paths, method), 800, ([p, m]) => ({ method: m, path: `/api/v1/hubspot${p}`, headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, ...(m === 'GET' || m === 'DELETE' ? {} : { body: '{}' }) }));
    // Allowed HubSpot paths reached only with a valid key; the scope table refuses what is not offered.
    const notOffered = fc.constantFrom('/oauth/v1/token', '/oauth/2026-03/token', '/appinstalls/2026-03/external-install', '/webhooks/v3/1/settings', '/integrations/v1/me', '/crm/v3/objects/deals', '/files/v3/files', '/settings/v3/users');
    await runGroup('proxy paths not offered', fc.tuple(notOffered, method), 300, ([p, m]) => ({ method: m, path: `/api/v1/hubspot${p}`, headers: { authorization: `Bearer ${fx.keyA}` } }));
    expect(hubspot.hits().slice(hitsBefore)).toStrictEqual([]);
  });

  it('vendor API: every route with a missing, malformed or guessed key → 401; with a valid key, malformed bodies, queries and ids → 4xx', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/v1/organization'],
      ['GET', '/api/v1/connection'],
      ['GET', '/api/v1/connection/history'],
      ['PUT', '/api/v1/connection/private-app-token'],
      ['DELETE', '/api/v1/connection'],
      ['POST', '/api/v1/install-links'],
      ['GET', '/api/v1/hubspot/crm/v3/objects/tickets'],
      ['POST', '/api/v1/conversations'],
      ['GET', '/api/v1/conversations'],
      ['GET', `/api/v1/conversations/${fx.conversationA}`],
      ['GET', `/api/v1/conversations/${fx.conversationA}/transitions`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/pause`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/resume`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/handoff`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/ai-result`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`],
      ['GET', `/api/v1/conversations/${fx.conversationA}/messages`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages/123/delivery`],
      ['GET', '/api/v1/helpdesk'],
      ['GET', '/api/v1/helpdesk/inboxes'],
      ['POST', '/api/v1/helpdesk/connect'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/event-destination'],
      ['PUT', '/api/v1/event-destination'],
      ['DELETE', '/api/v1/event-destination'],
      ['GET', '/api/v1/event-destination/deliveries'],
      ['GET', '/api/v1/settings'],
      ['PATCH', '/api/v1/settings'],
      ['GET', '/api/v1/handoff-teams'],
      ['PUT', '/api/v1/handoff-teams'],
      ['GET', '/api/v1/webhook-events'],
      ['POST', '/api/v1/organizations'],
      ['GET', '/metrics'],
    ];
    const auth = fc.oneof(
      fc.constant(undefined),
      junk.map((s) => `Bearer ${s}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `Bearer sb_org_${s}`),
      fc.nat({ max: fx.keyA.length - 1 }).map((i) => `Bearer ${fx.keyA.slice(0, i)}${fx.keyA[i] === 'A' ? 'B' : 'A'}${fx.keyA.slice(i + 1)}`),
      fc.constant(`Bearer ${fx.keyA.slice(0, -1)}`),
      fc.constant(`Bearer ${fx.keyA} ${fx.keyA}`),
      fc.constant(`Basic ${Buffer.from(`${fx.keyA}:`).toString('base64')}`),
      fc.constant(fx.keyA),
      fc.constant(`Bearer ${fx.linkA}`),
      fc.constant(`Bearer ${tb.config.hubspot.clientSecret}`),
    );
    await runGroup('vendor API without a valid key', fc.tuple(fc.constantFrom(...routes), auth), 1_000, ([[method, path], a]) => ({
      method,
      path,
      headers: { 'content-type': 'application/json', ...(a ? { authorization: a } : {}) },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"name":"x","externalId":"e","url":"https://example.com/h"}' }),
    }), exactly(401));
    // With tenant A's key: bodies that can never be valid (unknown keys on strict schemas, wrong types, not JSON).
    // (An empty body is no body: optional bodies then mean `{}`.)
    const notJson = fc.string().filter((s) => s !== '' && !isJson(s));
    const strictViolation = fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !KNOWN_KEYS.has(k)), fc.jsonValue(), { minKeys: 1, maxKeys: 3 });
    const badBody = fc.oneof(notJson, fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => JSON.stringify(v) ?? 'null'), strictViolation.map((d) => JSON.stringify(d)));
    const writes: [string, string][] = [
      ['POST', '/api/v1/conversations'],
      ['PUT', '/api/v1/connection/private-app-token'],
      ['POST', '/api/v1/install-links'],
      ['PUT', '/api/v1/event-destination'],
      ['PATCH', '/api/v1/settings'],
      ['PUT', '/api/v1/handoff-teams'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/pause`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/handoff`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/ai-result`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages/123/delivery`],
      ['POST', '/api/v1/helpdesk/connect'],
    ];
    await runGroup('vendor API bodies', fc.tuple(fc.constantFrom(...writes), badBody), 800, ([[method, path], body]) => ({ method, path, headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body }), exactly(400));
    const destinations = fc.oneof(junk, fc.constantFrom('javascript:alert(1)', 'ftp://example.com/x', 'file:///etc/passwd', 'https://user:pass@example.com/h', 'https://example.com/h#frag', 'data:text/plain,x', `gopher://127.0.0.1:6379/_x`));
    await runGroup('event destinations', destinations, 200, (u) => ({ method: 'PUT', path: '/api/v1/event-destination', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: u }) }), exactly(400));
    const ids = fc.oneof(fc.uuid(), fc.constant(fx.conversationB), fc.webSegment().filter((s) => s.length > 0), fc.constantFrom('%E0%A4%A', '..', '%2e%2e', "1'%20or%20'1'%3D'1", '00000000-0000-0000-0000-000000000000'));
    const sub = fc.constantFrom('', '/transitions', '/pause', '/resume', '/handoff', '/ai-result', '/messages', '/messages/1/delivery');
    const reads = ['', '/transitions', '/messages'];
    const bodyOf = (s: string) => (s === '/ai-result' ? '{"status":"completed"}' : s === '/messages/1/delivery' ? '{"status":"sent"}' : '{}');
    await runGroup('conversation ids (unknown, foreign, malformed)', fc.tuple(ids, sub), 400, ([id, s]) => ({
      method: reads.includes(s) ? 'GET' : 'POST',
      path: `/api/v1/conversations/${id}${s}`,
      headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' },
      ...(reads.includes(s) ? {} : { body: bodyOf(s) }),
    }));
    // Help-desk bodies that are well-formed JSON objects but invalid (types, enums, sizes, addresses).
    await runTable('help desk (table)', [
      ...[
        { author: 'agent', text: 'x' },
        { author: 'customer', text: '' },
        { author: 'customer', text: '   ' },
        { author: 'customer', text: 'x'.repeat(10_001) },
        { author: 'ai', text: 'x', customer: { email: 'not-an-email' } },
        { author: 'ai', text: 'x', customer: { phone: 'call me' } },
        { author: 'ai', text: 'x', customer: { email: 'a@example.com', admin: true } },
        { author: 'ai', text: 'x', idempotencyKey: 'k'.repeat(201) },
        { author: 'ai', text: 42 },
      ].map((b) => ({ method: 'POST', path: `/api/v1/conversations/${fx.conversationA}/messages`, headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify(b) })),
      ...[{ status: 'delivered' }, { status: 'failed', errorMessage: 'x'.repeat(501) }].map((b) => ({ method: 'POST', path: `/api/v1/conversations/${fx.conversationA}/messages/123/delivery`, headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify(b) })),
      ...['../1', '1%2F2', 'x'.repeat(101)].map((m) => ({ method: 'POST', path: `/api/v1/conversations/${fx.conversationA}/messages/${m}/delivery`, headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: '{"status":"sent"}' })),
      ...[{ inboxId: 'abc' }, { inboxId: '1', name: '' }, { inboxId: 1 }].map((b) => ({ method: 'POST', path: '/api/v1/helpdesk/connect', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify(b) })),
    ]);
    const queries = fc.oneof(fc.webQueryParameters().filter((q) => q.length > 0).map((q) => `${q}&zz=1`), fc.constantFrom('limit=0', 'limit=-1', 'limit=1e9', 'ticketId=abc', 'ticketId=0', 'after=-1', 'after=%E0', 'limit=1&limit=2', 'status=bogus', 'uninstall=yes'));
    const lists = fc.constantFrom('/api/v1/conversations', '/api/v1/events', '/api/v1/event-destination/deliveries', '/api/v1/webhook-events', '/api/v1/connection');
    await runGroup('vendor API queries', fc.tuple(lists, queries), 400, ([p, q]) => ({ method: p === '/api/v1/connection' ? 'DELETE' : 'GET', path: `${p}?${q}`, headers: { authorization: `Bearer ${fx.keyA}` } }), exactly(400));
    await runTable('vendor API (table)', [
      { method: 'POST', path: '/api/v1/conversations', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: JSON.stringify({ externalId: 'x'.repeat(70_000) }) },
      { method: 'POST', path: '/api/v1/conversations', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: '{"externalId":"a","__proto__":{"admin":true}}' },
      // Regression: a JSON body that does not inflate was a 500.
      { method: 'POST', path: '/api/v1/conversations', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip' },
      { method: 'POST', path: '/api/v1/conversations', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json; charset=latin-9' }, body: '{}' },
      { method: 'POST', path: '/api/v1/organizations', headers: { authorization: `Bearer ${tb.config.adminApiKey}x`, 'content-type': 'application/json' }, body: '{"name":"x"}' },
      { method: 'POST', path: '/api/v1/organizations', headers: { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' }, body: '{"name":"x"}' },
      { method: 'POST', path: '/api/v1/organizations', headers: { authorization: `Bearer ${tb.config.adminApiKey}`, 'content-type': 'application/json' }, body: '{"name":""}' },
      { method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${fx.keyA}` } },
    ]);
  });

  it('anything else: unknown paths and methods, malformed escapes → 404 / 400 with the standard body', async () => {
    const known = /^\/(healthz|readyz)$/;
    const paths = fc.oneof(fc.webPath(), fc.array(fc.webSegment(), { maxLength: 5 }).map((s) => `/${s.join('/')}`), fc.constantFrom('/%', '/%E0%A4%A', '/api/v1/%00', '/hubspot/%2e%2e/webhooks', '/api/v1/conversations/%E0%A4%A', '/.env', '/api/v1/../api/v1/organization'));
    await runGroup('unknown paths', fc.tuple(paths.filter((p) => p.length > 0 && !known.test(p)), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')), 500, ([p, m]) => ({ method: m, path: p.startsWith('/') ? p : `/${p}`, headers: { 'content-type': 'application/json' }, ...(m === 'GET' ? {} : { body: '{}' }) }));
  });

  it('text PostgreSQL cannot store (NUL, unpaired surrogates) in any text field of any entry point → 400 (or FAIL_CONTINUE for HubSpot), nothing written', async () => {
    const api = { authorization: `Bearer ${fx.keyA}`, 'content-type': 'application/json' };
    const vendor: [string, string, (bad: string) => unknown, string][] = [
      ['POST', '/api/v1/organizations', (bad) => ({ name: bad }), 'name'],
      ['POST', '/api/v1/conversations', (bad) => ({ externalId: bad }), 'externalId'],
      ['POST', '/api/v1/conversations', (bad) => ({ externalId: 'chat-a', contactName: bad }), 'contactName'],
      ['POST', '/api/v1/conversations', (bad) => ({ externalId: 'chat-a', contactEmail: `${bad}@example.com` }), 'contactEmail'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/pause`, (bad) => ({ reason: bad }), 'reason'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/pause`, (bad) => ({ actor: bad }), 'actor'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/resume`, (bad) => ({ reason: bad }), 'reason'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/handoff`, (bad) => ({ team: { id: bad, name: 'Billing' } }), 'team.id'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/handoff`, (bad) => ({ team: { id: 'billing', name: bad } }), 'team.name'],
      ['PUT', '/api/v1/handoff-teams', (bad) => ({ teams: [{ id: 'billing', name: bad }] }), 'teams.0.name'],
      ['PUT', '/api/v1/event-destination', (bad) => ({ url: `https://example.com/${bad}` }), 'url'],
      ['PUT', '/api/v1/connection/private-app-token', (bad) => ({ token: `pat-na1-${bad}` }), 'token'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/ai-result`, (bad) => ({ success: false, error: bad }), 'error'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/ai-result`, (bad) => ({ success: true, outputs: { ai_result: bad } }), 'outputs.ai_result'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`, (bad) => ({ author: 'customer', text: `hi ${bad}` }), 'text'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`, (bad) => ({ author: 'ai', text: 'hi', richText: bad }), 'richText'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`, (bad) => ({ author: 'customer', text: 'hi', customer: { name: `Pat ${bad}` } }), 'customer.name'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages`, (bad) => ({ author: 'customer', text: 'hi', idempotencyKey: `k${bad}` }), 'idempotencyKey'],
      ['POST', `/api/v1/conversations/${fx.conversationA}/messages/123/delivery`, (bad) => ({ status: 'failed', errorMessage: `e${bad}` }), 'errorMessage'],
      ['POST', '/api/v1/helpdesk/connect', (bad) => ({ inboxId: '1', name: `n${bad}` }), 'name'],
    ];
    await runGroup('vendor API text (NUL, lone surrogates)', fc.tuple(fc.constantFrom(...vendor), unstorableText), 700, ([[method, path, body], bad]) => ({
      method,
      path,
      headers: { ...api, ...(path === '/api/v1/organizations' ? { authorization: `Bearer ${tb.config.adminApiKey}` } : {}) },
      body: JSON.stringify(body(bad)),
    }), (req, res) => {
      exactly(400)(req, res);
      const { error } = res.json as { error: { code: string; details?: { path: string; message: string }[] } };
      const named = vendor.filter(([m, p]) => m === req.method && p === req.path).map(([, , , field]) => field);
      expect([req.path, error.code, error.details?.some((d) => named.includes(d.path) && d.message === 'must not contain NUL characters or unpaired surrogates')]).toStrictEqual([req.path, 'invalid_body', true]);
    });

    // HubSpot's signed calls: a malformed envelope gets HubSpot's own answer.
    const actionEnvelope = fc.tuple(fc.constantFrom('pause-ai', 'resume-ai', 'request-handoff', 'send-to-ai'), fc.constantFrom('callbackId', 'objectType', 'source', 'propertyKey', 'propertyValue', 'inputKey'), unstorableText).map(([name, where, bad]) => {
      const e: Record<string, unknown> = { callbackId: 'cb-text', origin: { portalId: PORTAL_A }, context: { source: 'WORKFLOWS', workflowId: 1 }, object: { objectId: TICKET_A, objectType: 'TICKET', properties: {} }, inputFields: {} };
      if (where === 'callbackId') e.callbackId = bad;
      if (where === 'objectType') e.object = { objectId: TICKET_A, objectType: bad };
      if (where === 'source') e.context = { source: bad };
      if (where === 'propertyKey') e.object = { objectId: TICKET_A, objectType: 'TICKET', properties: { [bad]: 'x' } };
      if (where === 'propertyValue') e.object = { objectId: TICKET_A, objectType: 'TICKET', properties: { subject: bad } };
      if (where === 'inputKey') e.inputFields = { [bad]: 'x' };
      return { name, body: JSON.stringify(e) };
    });
    await runGroup('actions: signed, unstorable text in the envelope', actionEnvelope, 400, ({ name, body }) => {
      const path = `/hubspot/actions/${name}`;
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body, clientSecret: secret(), timestamp: now(), versions: ['v2'] }) }, body };
    }, (req, res) => {
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      expect([req.path, res.status, (res.json as { outputFields: Record<string, string> }).outputFields]).toStrictEqual([req.path, 200, expect.objectContaining({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_INPUT' })]);
    });
    await runGroup('action options: unstorable search text or cursor', fc.tuple(fc.constantFrom('q', 'after', 'inputFieldName'), unstorableText), 200, ([where, bad]) => {
      const path = '/hubspot/actions/options/team';
      const body = JSON.stringify({ origin: { portalId: PORTAL_A }, inputFieldName: where === 'inputFieldName' ? bad : 'team', fetchOptions: where === 'inputFieldName' ? {} : { [where]: bad } });
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: url(path), body, clientSecret: secret(), timestamp: now(), versions: ['v2'] }) }, body };
    }, exactly(400));
    const identity = `portalId=${PORTAL_A}&userId=1000001&userEmail=ada%40example.com&appId=${tb.config.hubspot.appId}`;
    await runGroup('cards: signed, unstorable text', fc.tuple(fc.constantFrom('pause', 'resume', 'handoff'), fc.constantFrom('reason', 'note'), unstorableText), 300, ([action, field, bad]) => {
      const path = `/hubspot/ui/conversations/${fx.conversationA}/${action}?${identity}`;
      const body = JSON.stringify({ [field]: bad });
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...v3('POST', path, body) }, body };
    }, exactly(400));
    // Browser routes: NUL arrives percent-encoded in a query (an unpaired surrogate cannot: %ED%A0%80 is not UTF-8).
    await runTable('browser routes (NUL)', [
      { method: 'GET', path: '/oauth/install?link=%00', status: 400 },
      { method: 'GET', path: `/oauth/install?link=${fx.linkA}%00`, status: 400 },
      { method: 'GET', path: '/oauth/callback?code=na1-%00&state=x', status: 400 },
      { method: 'GET', path: `/oauth/callback?code=x&state=${fx.liveState}%00`, headers: { cookie: fx.liveCookie }, status: 400 },
      { method: 'GET', path: '/oauth/callback?error=%00&error_description=%00', status: 400 },
      { method: 'GET', path: '/oauth/callback?code=%ED%A0%80', status: 400 },
      { method: 'GET', path: '/connect/%00', status: 404 },
    ]);
  });

  it('charset claims: a body that says it is not UTF-8 is refused 415 at every entry point that takes a body; bytes that are not UTF-8 are refused 400', async () => {
    const cardPath = `/hubspot/ui/conversations/${fx.conversationA}/pause?portalId=${PORTAL_A}&userId=1000001&userEmail=ada%40example.com&appId=${tb.config.hubspot.appId}`;
    const entries: { method: string; path: string; headers: Record<string, string>; body: string }[] = [
      { method: 'POST', path: '/hubspot/webhooks', headers: v3('POST', '/hubspot/webhooks', VALID_BATCH()), body: VALID_BATCH() },
      ...['pause-ai', 'resume-ai', 'request-handoff', 'send-to-ai'].map((name) => {
        const body = JSON.stringify({ callbackId: 'cb-cs', origin: { portalId: PORTAL_A }, object: { objectId: TICKET_A, objectType: 'TICKET' }, inputFields: {} });
        return { method: 'POST', path: `/hubspot/actions/${name}`, headers: signedHeaders({ method: 'POST', url: url(`/hubspot/actions/${name}`), body, clientSecret: secret(), timestamp: now(), versions: ['v2', 'v3'] }), body };
      }),
      { method: 'POST', path: '/hubspot/actions/options/team', headers: signedHeaders({ method: 'POST', url: url('/hubspot/actions/options/team'), body: '{"origin":{"portalId":1}}', clientSecret: secret(), timestamp: now(), versions: ['v2'] }), body: '{"origin":{"portalId":1}}' },
      { method: 'POST', path: cardPath, headers: v3('POST', cardPath, '{}'), body: '{}' },
      ...(
        [
          ['POST', '/api/v1/organizations', '{"name":"x"}'],
          ['POST', '/api/v1/conversations', '{"externalId":"cs"}'],
          ['POST', `/api/v1/conversations/${fx.conversationA}/pause`, '{}'],
          ['POST', `/api/v1/conversations/${fx.conversationA}/handoff`, '{}'],
          ['POST', `/api/v1/conversations/${fx.conversationA}/ai-result`, '{"success":true}'],
          ['PUT', '/api/v1/handoff-teams', '{"teams":[]}'],
          ['PUT', '/api/v1/event-destination', '{"url":"https://example.com/h"}'],
          ['PATCH', '/api/v1/settings', '{"pauseOnOwnerChange":true}'],
          ['POST', '/api/v1/install-links', '{}'],
          ['PUT', '/api/v1/connection/private-app-token', '{"token":"pat-na1-xxxxxxxx"}'],
          ['POST', '/api/v1/hubspot/crm/v3/objects/tickets/search', '{}'],
        ] as const
      ).map(([method, path, body]) => ({ method, path, headers: { authorization: `Bearer ${path === '/api/v1/organizations' ? tb.config.adminApiKey : fx.keyA}` }, body })),
    ];
    const charsets = fc.constantFrom('utf-16', 'UTF-16LE', 'utf-16be', 'utf-32', 'iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'utf8', 'utf-7', '"utf-16"', 'x-unknown', '');
    await runGroup('charset claims (every entry point)', fc.tuple(fc.constantFrom(...entries), charsets, fc.boolean()), 700, ([entry, charset, reencode]) => ({
      method: entry.method,
      path: entry.path,
      headers: { ...entry.headers, 'content-type': `application/json; charset=${charset}` },
      // The bytes either as the claim says (UTF-16 for the utf-16 claims) or as UTF-8: refused either way.
      body: reencode && /utf-16/i.test(charset) ? Buffer.from(entry.body, 'utf16le') : entry.body,
    }), exactly(415));
    const notUtf8 = fc.constantFrom([0xed, 0xa0, 0x80], [0x80], [0xe9], [0xc3, 0x28], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]).map((bytes) => Buffer.from(bytes));
    const jsonEntries = entries.filter((e) => e.path.startsWith('/api/v1/') && !e.path.startsWith('/api/v1/hubspot/'));
    await runGroup('bytes that are not UTF-8 (vendor API)', fc.tuple(fc.constantFrom(...jsonEntries), notUtf8), 300, ([entry, bytes]) => ({
      method: entry.method,
      path: entry.path,
      headers: { ...entry.headers, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from(entry.body.slice(0, -1)), Buffer.from(entry.body.endsWith('}') && entry.body !== '{}' ? ',"x":"' : '"x":"'), bytes, Buffer.from('"}')]),
    }), (req, res) => {
      exactly(400)(req, res);
      // Refused for its bytes, before any schema (never decoded to U+FFFD).
      expect([req.path, res.json]).toStrictEqual([req.path, { error: { code: 'invalid_body', message: 'Request body is not valid UTF-8' } }]);
    });
  });

  it(`at least ${MIN_REQUESTS} generated and table requests were sent, every one refused, and nothing changed`, async () => {
    const total = Object.values(perGroup).reduce((a, b) => a + b, 0);
    expect(total).toBe(client.count() - 3 /* setup: 3 install starts */ - 1 /* setup: the used callback */);
    expect(total).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(fingerprint);
    expect(elsewhere.hits()).toStrictEqual([]);
    // The only calls HubSpot saw: code exchanges of the callback without a state (HubSpot-initiated
    // installs have none, so the code must be tried), each refused by HubSpot and storing nothing.
    expect(new Set(hubspot.hits().slice(hubspotHitsBefore).map((h) => `${h.method} ${h.url}`))).toStrictEqual(new Set(['POST /oauth/2026-03/token']));
    const fiveHundreds = Object.entries(statuses).filter(([s]) => Number(s) >= 500);
    expect(fiveHundreds).toStrictEqual([]);
    recordFigures('hostile-input', { requests: total, groups: Object.keys(perGroup).length, perGroup, statuses, serverErrors: 0, stateChanges: 0, refusedEventsKept, callsToOtherHosts: 0 });
  });
});

// ---------------------------------------------------------------------------------------------------

/** Wraps a generated body so a failure report shows its size and start, not every byte. */
function shortLabel(body: Buffer): { body: Buffer } {
  return { body, [fc.toStringMethod]: () => `<${body.length} bytes: ${JSON.stringify(body.subarray(0, 120).toString('latin1'))}…>` } as { body: Buffer };
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function isParsableArray(s: string): boolean {
  try {
    return Array.isArray(JSON.parse(s));
  } catch {
    return false;
  }
}

// Every key a vendor body may carry; a generated body with any other key must be refused (strict schemas).
const KNOWN_KEYS = new Set(['author', 'text', 'richText', 'customer', 'idempotencyKey', 'inboxId', 'name', 'errorMessage', 'externalId', 'ticketId', 'contactId', 'threadId', 'contactName', 'contactEmail', 'token', 'privateAppToken', 'expiresInHours', 'url', 'pauseOnOwnerChange', 'teams', 'actor', 'reason', 'team', 'teamId', 'status', 'callbackId', 'outputs', 'summary', 'result', 'error', 'message', 'note', 'confirmPortalChange', 'handoffTeams']);
