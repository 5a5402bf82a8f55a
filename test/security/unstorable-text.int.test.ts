// Text PostgreSQL cannot store (NUL, unpaired surrogates) and bodies that are not UTF-8 are refused at
// the edge: the vendor API answers 400 with the standard error body and writes nothing; HubSpot's
// signed workflow actions get FAIL_CONTINUE / INVALID_INPUT; a charset other than UTF-8 is a 415; bytes
// that are not UTF-8 are a 400 (never stored as U+FFFD). Before, each of these was a 500 or a silent 201.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signedHeaders } from '../../emulator/src/signing.js';
import { connectWithTokens } from '../support/connect-with-tokens.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { listenRaw, type RawClient } from '../support/raw-http.js';
import { createTestBackend, type TestBackend } from '../support/test-backend.js';

const SECRET = 'unstorable-text-client-secret';
const PUBLIC = 'https://switchboard.example.com';
const PORTAL = 62515;
const TICKET = 1001;

let tb: TestBackend;
let org: { id: string; apiKey: string };
let conversationId = '';
let raw: RawClient;

beforeAll(async () => {
  tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC } });
  org = await connectWithTokens(tb.services, PORTAL, { access_token: `C${crypto.randomBytes(40).toString('base64url')}`, refresh_token: `na1-${crypto.randomUUID()}`, expires_in: 1800, scopes: ['oauth', 'tickets', 'automation'] }, 'Text Org');
  conversationId = (await tb.services.conversations.upsertByExternalId(org.id, { externalId: 'chat-1', ticketId: TICKET })).conversation.id;
  await tb.services.workflowActions.putHandoffTeams(org.id, [{ id: 'billing', name: 'Billing' }]);
  raw = await listenRaw(tb.app);
});
afterAll(async () => {
  await raw.close();
  await tb.destroy();
});

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\ud800b';
const LONE_LOW = '\udc00';
const UNSTORABLE = 'must not contain NUL characters or unpaired surrogates';

/** Sends these exact bytes (supertest would re-serialise a Buffer as JSON). */
const sendBytes = async (path: string, body: Buffer, contentType: string) => {
  const res = await raw.send({ method: 'POST', path, headers: { 'content-type': contentType, authorization: `Bearer ${org.apiKey}` }, body });
  return { status: res.status, body: res.json };
};

/** Sends a JSON body given as text (escapes kept as written). */
const send = (method: 'post' | 'put' | 'patch', path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  request(tb.app)[method](path).set({ 'content-type': 'application/json', authorization: `Bearer ${org.apiKey}`, ...headers }).send(body);

describe('vendor API: NUL and unpaired surrogates in text fields', () => {
  const cases: [string, 'post' | 'put' | 'patch', () => string, (bad: string) => unknown, string][] = [
    ['organization name', 'post', () => '/api/v1/organizations', (bad) => ({ name: bad }), 'name'],
    ['externalId', 'post', () => '/api/v1/conversations', (bad) => ({ externalId: bad, ticketId: TICKET }), 'externalId'],
    ['contactName', 'post', () => '/api/v1/conversations', (bad) => ({ externalId: 'chat-2', contactName: bad }), 'contactName'],
    ['pause reason', 'post', () => `/api/v1/conversations/${conversationId}/pause`, (bad) => ({ reason: bad }), 'reason'],
    ['pause actor', 'post', () => `/api/v1/conversations/${conversationId}/pause`, (bad) => ({ actor: bad }), 'actor'],
    ['handoff team', 'post', () => `/api/v1/conversations/${conversationId}/handoff`, (bad) => ({ team: { id: 'billing', name: bad } }), 'team.name'],
    ['handoff-teams', 'put', () => '/api/v1/handoff-teams', (bad) => ({ teams: [{ id: bad, name: 'Billing' }] }), 'teams.0.id'],
    ['event destination', 'put', () => '/api/v1/event-destination', (bad) => ({ url: `https://example.com/${bad}` }), 'url'],
    ['AI result error', 'post', () => `/api/v1/conversations/${conversationId}/ai-result`, (bad) => ({ success: false, error: bad }), 'error'],
  ];
  const values: [string, string][] = [
    ['NUL', NUL],
    ['a lone high surrogate', LONE_HIGH],
    ['a lone low surrogate', LONE_LOW],
  ];

  it.each(cases.flatMap(([name, method, path, body, field]) => values.map(([what, bad]) => [name, what, method, path, body(bad), field] as const)))(
    'when the %s holds %s, then it answers 400 invalid_body naming the field and nothing is written',
    async (_name, _what, method, path, body, field) => {
      const before = await databaseFingerprint(tb.tdb.db);
      // JSON.stringify writes NUL and lone surrogates as \u escapes, as any client would.
      const res = await send(method, path(), JSON.stringify(body), path() === '/api/v1/organizations' ? { authorization: `Bearer ${tb.config.adminApiKey}` } : {});
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_body');
      expect(res.body.error.details).toContainEqual({ path: field, message: UNSTORABLE });
      expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(before);
    },
  );

  it('when the text is valid (surrogate pairs, other control characters), then it is stored exactly', async () => {
    const name = 'Ünïcødé 👩‍💻 \u0001 tab\t';
    const res = await send('post', '/api/v1/conversations', JSON.stringify({ externalId: 'chat-emoji', contactName: name }));
    expect(res.status).toBe(201);
    const row = await tb.tdb.db.selectFrom('conversations').select('contact_name').where('external_id', '=', 'chat-emoji').executeTakeFirstOrThrow();
    expect(row.contact_name).toBe(name.trim());
  });
});

describe('JSON bodies must be UTF-8 (SECURITY.md)', () => {
  it('when a body claims charset=utf-16 and is UTF-16, then it answers 415 and nothing is stored', async () => {
    const before = await databaseFingerprint(tb.tdb.db);
    const body = Buffer.from(JSON.stringify({ externalId: 'chat-utf16' }), 'utf16le');
    const res = await sendBytes('/api/v1/conversations', body, 'application/json; charset=utf-16');
    expect(res.status).toBe(415);
    expect(res.body).toStrictEqual({ error: { code: 'unsupported_media_type', message: 'Request body must be UTF-8 (charset=utf-8)' } });
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(before);
  });

  it('when a body claims another charset (latin1, utf-16le, utf8 without the dash), then it answers 415, whatever its bytes', async () => {
    for (const charset of ['iso-8859-1', 'utf-16le', 'UTF-16', 'utf8', '"utf-32"']) {
      const res = await send('post', '/api/v1/conversations', JSON.stringify({ externalId: 'chat-x' }), { 'content-type': `application/json; charset=${charset}` });
      expect([charset, res.status]).toStrictEqual([charset, 415]);
    }
  });

  it('when a body claims charset=UTF-8 in any case or quoted, then it is accepted', async () => {
    for (const [i, charset] of ['utf-8', 'UTF-8', '"utf-8"'].entries()) {
      const res = await send('post', '/api/v1/conversations', JSON.stringify({ externalId: `chat-ok-${i}` }), { 'content-type': `application/json; charset=${charset}` });
      expect([charset, res.status]).toStrictEqual([charset, 201]);
    }
  });

  it('when the bytes are not UTF-8 (an encoded surrogate, a stray continuation byte, latin1), then it answers 400 and nothing is stored as U+FFFD', async () => {
    const before = await databaseFingerprint(tb.tdb.db);
    for (const bytes of [[0xed, 0xa0, 0x80], [0x80], [0xe9], [0xc3, 0x28]]) {
      const body = Buffer.concat([Buffer.from('{"externalId":"bad-'), Buffer.from(bytes), Buffer.from('"}')]);
      const res = await sendBytes('/api/v1/conversations', body, 'application/json');
      expect([bytes, res.status, res.body]).toStrictEqual([bytes, 400, { error: { code: 'invalid_body', message: 'Request body is not valid UTF-8' } }]);
    }
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(before);
  });

  it('when a signed webhook or workflow action claims another charset, then it answers 415 and nothing is stored', async () => {
    const before = await databaseFingerprint(tb.tdb.db);
    for (const path of ['/hubspot/webhooks', '/hubspot/actions/pause-ai']) {
      const body = path === '/hubspot/webhooks' ? JSON.stringify([{ eventId: 1, portalId: PORTAL, occurredAt: Date.now(), subscriptionType: 'ticket.creation', objectId: TICKET }]) : JSON.stringify({ callbackId: 'cb-cs', origin: { portalId: PORTAL }, object: { objectId: TICKET, objectType: 'TICKET' }, inputFields: {} });
      const headers = signedHeaders({ method: 'POST', url: `${PUBLIC}${path}`, body, clientSecret: SECRET, timestamp: Date.now(), versions: ['v2', 'v3'] });
      const res = await request(tb.app).post(path).set({ ...headers, 'content-type': 'application/json; charset=utf-16' }).send(body);
      expect([path, res.status]).toStrictEqual([path, 415]);
    }
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(before);
  });
});

describe('HubSpot workflow actions (signed): NUL and unpaired surrogates', () => {
  const execute = (name: string, body: string) =>
    request(tb.app)
      .post(`/hubspot/actions/${name}`)
      .set({ 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: `${PUBLIC}/hubspot/actions/${name}`, body, clientSecret: SECRET, timestamp: Date.now(), versions: ['v2'] }) })
      .send(body);
  const execution = (over: Record<string, unknown>) => JSON.stringify({ callbackId: `cb-${crypto.randomUUID()}`, origin: { portalId: PORTAL }, context: { workflowId: 9 }, object: { objectId: TICKET, objectType: 'TICKET' }, inputFields: {}, ...over });

  const cases: [string, string, (bad: string) => string][] = [
    ['callbackId', 'pause-ai', (bad) => execution({ callbackId: bad })],
    ['inputFields.reason', 'pause-ai', (bad) => execution({ inputFields: { reason: bad } })],
    ['the request-handoff team', 'request-handoff', (bad) => execution({ inputFields: { team: bad } })],
    ['the Send to AI instructions', 'send-to-ai', (bad) => execution({ inputFields: { instructions: bad } })],
  ];

  it.each(cases.flatMap(([field, action, body]) => [NUL, LONE_HIGH].map((bad) => [field, JSON.stringify(bad), action, body(bad)] as const)))(
    'when %s holds %s, then HubSpot gets FAIL_CONTINUE / INVALID_INPUT and nothing but that answer is recorded',
    async (_field, _bad, action, body) => {
      const { workflow_action_executions: executionsBefore, ...before } = await databaseFingerprint(tb.tdb.db);
      const res = await execute(action, body);
      expect(res.status).toBe(200);
      expect(res.body.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_INPUT' });
      const { workflow_action_executions: executionsAfter, ...after } = await databaseFingerprint(tb.tdb.db);
      expect(after).toStrictEqual(before);
      // A readable envelope is an execution: it is recorded (for the troubleshooting panel) with its answer.
      if (_field === 'callbackId') {
        expect(executionsAfter).toBe(executionsBefore);
        return;
      }
      const callbackId = (JSON.parse(body) as { callbackId: string }).callbackId;
      const recorded = await tb.tdb.db.selectFrom('workflow_action_executions').select(['execution_state', 'error_code']).where('callback_id', '=', callbackId).execute();
      expect(recorded).toStrictEqual([{ execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_INPUT' }]);
    },
  );

  const options = (body: unknown) => {
    const text = JSON.stringify(body);
    return request(tb.app)
      .post('/hubspot/actions/options/team')
      .set({ 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: `${PUBLIC}/hubspot/actions/options/team`, body: text, clientSecret: SECRET, timestamp: Date.now(), versions: ['v2'] }) })
      .send(text);
  };

  it("when the options URL's q holds NUL or a lone surrogate, then it answers 400 invalid_body (a dropdown call has no execution state) and nothing is written", async () => {
    const before = await databaseFingerprint(tb.tdb.db);
    for (const q of [NUL, LONE_LOW]) {
      const res = await options({ origin: { portalId: PORTAL }, inputFieldName: 'team', fetchOptions: { q } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual({ path: 'fetchOptions.q', message: UNSTORABLE });
    }
    expect(await databaseFingerprint(tb.tdb.db)).toStrictEqual(before);
  });

  it('when the options request has null fetchOptions, q or after (as HubSpot may send), then the options are listed', async () => {
    const expected = { options: [{ label: 'Billing', value: 'billing' }], searchable: true };
    for (const body of [
      { origin: { portalId: PORTAL }, inputFieldName: 'team', fetchOptions: null },
      { origin: { portalId: PORTAL }, inputFieldName: 'team', fetchOptions: { q: null, after: null } },
      { origin: { portalId: PORTAL }, inputFieldName: null, fetchOptions: { q: null } },
    ]) {
      const res = await options(body);
      expect([JSON.stringify(body), res.status, res.body]).toStrictEqual([JSON.stringify(body), 200, expected]);
    }
  });
});
