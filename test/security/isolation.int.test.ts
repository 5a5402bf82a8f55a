// Tenant isolation matrix: two organizations, each connected to its own HubSpot portal (the emulator,
// over HTTP). Every route of the backend is tried by tenant B against tenant A: with B's key on A's
// ids, with B's portal identity on A's records, with B's link and CSRF token on A's pending grant,
// with A's signed request replayed as B. Each attempt must be refused (4xx) or answer only B's own
// data, and afterwards A's state is exactly what it was. A route added to the code and missing here
// fails the last test, which lists the routes found in backend/src/modules/*/*.routes.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { createTokenCipher } from '../../backend/src/platform/crypto/token-cipher.js';
import { signedHeaders } from '../../emulator/src/signing.js';
import { recordFigures } from '../support/artifacts.js';
import { mergeCookies, openConnectPage } from '../support/connect-page.js';
import { databaseFingerprint } from '../support/db-fingerprint.js';
import { eventually } from '../support/eventually.js';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';
import { repoRoot } from '../support/spawn.js';

let stack: HubSpotStack;
let a: ConnectedOrganization;
let b: ConnectedOrganization;
const A = {
  portal: 87_654_329,
  ticket: 0,
  conversation: '',
  externalId: 'chat-of-tenant-a-7f3k',
  email: 'alice@tenant-a.example',
  team: 'Team-Only-A-9q2w',
  orgName: 'Tenant A Corporation',
  link: '',
  pendingId: '',
  eventId: 0,
  stateCookie: '',
  state: '',
};
const B = { portal: 0, ticket: 0, conversation: '', link: '' };
/** A's identifiers: none may appear in an answer given to B. */
let aSecrets: string[] = [];

/** One row of the matrix: a route, an attack on it, and what B must get. */
interface Attack {
  route: string;
  attack: string;
  run(): Promise<request.Response>;
  expect: 'refused' | 'own data only';
  /** A's identifiers this answer may name because B supplied them itself (e.g. the portal of a token B holds). */
  mayMention?: string[];
}

const rows: Attack[] = [];
const results: { route: string; attack: string; status: number }[] = [];

beforeAll(async () => {
  stack = await startHubSpotStack();
  const { services } = stack.backend;
  await stack.hub.createPortal({ id: A.portal, name: 'Tenant A portal' });
  a = await connectOrganization(stack, A.portal, A.orgName);
  A.ticket = (await stack.hub.createTicket(A.portal, { properties: { subject: 'A ticket', hs_pipeline_stage: '1' } })).id;
  const portalB = (await stack.hub.createPortal({ name: 'Tenant B portal' })).portal;
  B.portal = portalB.id;
  b = await connectOrganization(stack, B.portal, 'Tenant B Ltd');
  B.ticket = (await stack.hub.createTicket(B.portal, { properties: { subject: 'B ticket', hs_pipeline_stage: '1' } })).id;

  const app = request(stack.backend.app);
  const created = await app.post('/api/v1/conversations').set('Authorization', a.auth).send({ externalId: A.externalId, ticketId: A.ticket, contactEmail: A.email });
  A.conversation = created.body.id;
  B.conversation = (await request(stack.backend.app).post('/api/v1/conversations').set('Authorization', b.auth).send({ externalId: 'chat-of-b', ticketId: B.ticket })).body.id;
  // A has history, an event feed, settings, teams and a destination.
  await request(stack.backend.app).post(`/api/v1/conversations/${A.conversation}/pause`).set('Authorization', a.auth).send({ reason: 'a-only' });
  await request(stack.backend.app).put('/api/v1/handoff-teams').set('Authorization', a.auth).send({ teams: [{ id: 'a-team', name: A.team }] });
  await request(stack.backend.app).patch('/api/v1/settings').set('Authorization', a.auth).send({ pauseOnOwnerChange: true });
  await request(stack.backend.app).put('/api/v1/event-destination').set('Authorization', a.auth).send({ url: `${stack.backendUrl}/a-hooks` });
  A.eventId = Number((await request(stack.backend.app).get('/api/v1/events').set('Authorization', a.auth)).body.events[0].id);
  await services.conversations.resume(a.id, A.conversation, { source: 'api', actor: 'setup', reason: null, details: {} });

  // A's links, a started install (state + browser cookie) and a grant waiting for A's confirmation.
  const linkOf = async (auth: string) => String((await request(stack.backend.app).post('/api/v1/install-links').set('Authorization', auth).send({})).body.url).split('/connect/')[1]!;
  A.link = await linkOf(a.auth);
  B.link = await linkOf(b.auth);
  const started = await request(stack.backend.app).get(`/oauth/install?link=${A.link}`);
  A.state = new URL(String(started.headers.location)).searchParams.get('state')!;
  A.stateCookie = mergeCookies(undefined, started.headers['set-cookie']);
  // A grant waiting for A's confirmation (the connection page shows it to A only). The flows that
  // create one need A on a Private App; the row is written directly, sealed like the real ones.
  const cipher = createTokenCipher(stack.backend.config.tokenEncryptionKey);
  const pending = await stack.backend.tdb.db
    .insertInto('pending_installs')
    .values({
      kind: 'awaiting_confirmation',
      organization_id: a.id,
      claim_token_hash: null,
      portal_id: 20_999_999,
      portal_domain: null,
      scopes: ['oauth', 'tickets'],
      approved_by: null,
      access_token: cipher.seal(`C${'x'.repeat(96)}`),
      refresh_token: cipher.seal('na1-00000000-0000-0000-0000-000000000000'),
      access_expires_at: new Date(Date.now() + 1_800_000),
      expires_at: new Date(Date.now() + 1_800_000),
      created_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  A.pendingId = pending.id;
  aSecrets = [A.conversation, A.externalId, A.email, A.team, A.orgName, a.id, String(A.portal), A.link, A.pendingId];
}, 60_000);

afterAll(async () => {
  await stack.stop();
});

const app = () => request(stack.backend.app);
const pub = (p: string) => `${stack.backend.config.publicBaseUrl}${p}`;
const signed = (method: string, p: string, body = '', versions: ('v2' | 'v3')[] = ['v3']) =>
  signedHeaders({ method, url: pub(p), body, clientSecret: stack.backend.config.hubspot.clientSecret, timestamp: Date.now(), versions });
const identity = (portalId: number) => `portalId=${portalId}&userId=1000001&userEmail=bob%40tenant-b.example&appId=${stack.backend.config.hubspot.appId}`;

function row(route: string, attack: string, expectation: Attack['expect'], run: () => Promise<request.Response>, mayMention?: () => string[]) {
  rows.push({ route, attack, expect: expectation, run, ...(mayMention ? { get mayMention() { return mayMention(); } } : {}) });
}

// ---- the vendor API, with B's key --------------------------------------------------------------------
const withB = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', p: string, body?: unknown) => () => {
  const r = app()[method](p).set('Authorization', b.auth);
  return body === undefined ? r : r.send(body as object);
};
row('GET /api/v1/organization', 'B’s key', 'own data only', withB('get', '/api/v1/organization'));
row('GET /api/v1/connection', 'B’s key', 'own data only', withB('get', '/api/v1/connection'));
row('GET /api/v1/connection/history', 'B’s key', 'own data only', withB('get', '/api/v1/connection/history'));
row('PUT /api/v1/connection/private-app-token', 'B stores a Private App token of A’s portal', 'refused', async () => {
  const pat = await stack.hub.createPrivateAppToken(A.portal, { scopes: ['tickets', 'crm.objects.contacts.read'] });
  return app().put('/api/v1/connection/private-app-token').set('Authorization', b.auth).send({ token: pat.token, confirmPortalChange: true, confirmRollback: true });
}, () => [String(A.portal)]);
row('POST /api/v1/install-links', 'B’s key: the link is B’s', 'own data only', async () => {
  const res = await app().post('/api/v1/install-links').set('Authorization', b.auth).send({});
  return app().get(`/connect/${String(res.body.url).split('/connect/')[1]}`).set('Accept', 'text/html');
});
row('ANY /api/v1/hubspot/*', 'B’s key on A’s ticket', 'refused', withB('get', `/api/v1/hubspot/crm/v3/objects/tickets/${A.ticket}`));
row('ANY /api/v1/hubspot/*', 'B’s key, A’s owner search', 'own data only', withB('get', '/api/v1/hubspot/crm/v3/owners'));
row(
  'POST /api/v1/conversations',
  'B’s key with A’s externalId: B gets its own, new conversation',
  'own data only',
  async () => {
    const res = await app().post('/api/v1/conversations').set('Authorization', b.auth).send({ externalId: A.externalId, ticketId: A.ticket });
    expect([res.status, res.body.id === A.conversation]).toStrictEqual([201, false]);
    return res;
  },
  () => [A.externalId],
);
row('GET /api/v1/conversations', 'B’s key, filtered on A’s ticket', 'own data only', withB('get', `/api/v1/conversations?ticketId=${A.ticket}`));
row('GET /api/v1/conversations/:id', 'B’s key on A’s conversation', 'refused', () => withB('get', `/api/v1/conversations/${A.conversation}`)());
row('GET /api/v1/conversations/:id/transitions', 'B’s key on A’s conversation', 'refused', () => withB('get', `/api/v1/conversations/${A.conversation}/transitions`)());
for (const action of ['pause', 'resume', 'handoff'] as const) {
  row(`POST /api/v1/conversations/:id/${action}`, 'B’s key on A’s conversation', 'refused', () => withB('post', `/api/v1/conversations/${A.conversation}/${action}`, {})());
}
row('POST /api/v1/conversations/:id/ai-result', 'B’s key on A’s conversation', 'refused', () => withB('post', `/api/v1/conversations/${A.conversation}/ai-result`, { success: true, outputs: { ai_result: 'x' } })());
row('POST /api/v1/conversations/:id/messages', 'B’s key on A’s conversation', 'refused', () => withB('post', `/api/v1/conversations/${A.conversation}/messages`, { author: 'customer', text: 'hi', customer: { email: 'b@tenant-b.example' } })());
row('GET /api/v1/conversations/:id/messages', 'B’s key on A’s conversation', 'refused', () => withB('get', `/api/v1/conversations/${A.conversation}/messages`)());
row('POST /api/v1/conversations/:id/messages/:messageId/delivery', 'B’s key on A’s conversation', 'refused', () => withB('post', `/api/v1/conversations/${A.conversation}/messages/1/delivery`, { status: 'sent' })());
row('GET /api/v1/helpdesk', 'B’s key: B’s own help-desk state', 'own data only', withB('get', '/api/v1/helpdesk'));
row('GET /api/v1/helpdesk/inboxes', 'B’s key: B’s own portal’s inboxes', 'own data only', withB('get', '/api/v1/helpdesk/inboxes'));
row('POST /api/v1/helpdesk/connect', 'B’s key: connects only B’s own portal', 'own data only', withB('post', '/api/v1/helpdesk/connect', { inboxId: '147959634' }));
row('GET /api/v1/events', 'B’s key from the start of the feed', 'own data only', withB('get', '/api/v1/events?after=0'));
row('GET /api/v1/event-destination', 'B’s key', 'own data only', withB('get', '/api/v1/event-destination'));
row('PUT /api/v1/event-destination', 'B’s key: sets B’s own', 'own data only', withB('put', '/api/v1/event-destination', { url: `${'http://127.0.0.1:9'}/b-hooks` }));
row('DELETE /api/v1/event-destination', 'B’s key: deletes B’s own', 'own data only', withB('delete', '/api/v1/event-destination'));
row('GET /api/v1/event-destination/deliveries', 'B’s key on A’s event id', 'own data only', () => withB('get', `/api/v1/event-destination/deliveries?eventId=${A.eventId}`)());
row('GET /api/v1/settings', 'B’s key', 'own data only', withB('get', '/api/v1/settings'));
row('PATCH /api/v1/settings', 'B’s key: changes B’s own', 'own data only', withB('patch', '/api/v1/settings', { pauseOnOwnerChange: false }));
row('GET /api/v1/handoff-teams', 'B’s key', 'own data only', withB('get', '/api/v1/handoff-teams'));
row('PUT /api/v1/handoff-teams', 'B’s key: replaces B’s own', 'own data only', withB('put', '/api/v1/handoff-teams', { teams: [{ id: 'a-team', name: 'B team' }] }));
row('GET /api/v1/webhook-events', 'B’s key', 'own data only', withB('get', '/api/v1/webhook-events'));
row('POST /api/v1/organizations', 'B’s organization key is not the admin key', 'refused', withB('post', '/api/v1/organizations', { name: 'x' }));
row('GET /metrics', 'B’s organization key is not the admin key', 'refused', withB('get', '/metrics'));

// ---- browser routes: B's link, B's browser -----------------------------------------------------------
row('GET /connect/:token', 'B’s link shows only B', 'own data only', () => app().get(`/connect/${B.link}`).set('Accept', 'text/html'));
for (const action of ['confirm', 'cancel'] as const) {
  row(`POST /connect/:token/${action}`, 'B’s link and CSRF token on A’s pending grant', 'refused', async () => {
    const page = await openConnectPage(stack.backend.app, B.link);
    return app().post(`/connect/${B.link}/${action}`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf, pending: A.pendingId });
  });
}
for (const action of ['confirm', 'cancel', 'disconnect', 'private-app', 'settings', 'helpdesk'] as const) {
  row(`POST /connect/:token/${action}`, 'B’s CSRF token posted to A’s link', 'refused', async () => {
    const page = await openConnectPage(stack.backend.app, B.link);
    return app().post(`/connect/${A.link}/${action}`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf, pending: A.pendingId, token: 'pat-na1-00000000-0000-0000-0000-000000000000' });
  });
}
row('GET /connect/:token/claim', 'B claims with a forged claim cookie', 'refused', () => app().get(`/connect/${B.link}/claim`).set('Cookie', 'sb_install_claim=sb_claim_forged'));
row('GET /connect/:token/claim', 'B’s claim cookie on A’s link', 'refused', () => app().get(`/connect/${A.link}/claim`).set('Cookie', 'sb_install_claim=sb_claim_forged'));
row('POST /connect/:token/disconnect', 'B’s page disconnects only B', 'own data only', async () => {
  const page = await openConnectPage(stack.backend.app, B.link);
  return app().post(`/connect/${B.link}/disconnect`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf });
});
row('POST /connect/:token/settings', 'B’s page changes only B', 'own data only', async () => {
  const page = await openConnectPage(stack.backend.app, B.link);
  return app().post(`/connect/${B.link}/settings`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf });
});
row('POST /connect/:token/helpdesk', 'B’s page connects only B’s own portal', 'own data only', async () => {
  const page = await openConnectPage(stack.backend.app, B.link);
  return app().post(`/connect/${B.link}/helpdesk`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf, inboxId: '1' });
});
row('POST /connect/:token/private-app', 'B’s page stores A’s portal token', 'refused', async () => {
  const pat = await stack.hub.createPrivateAppToken(A.portal, { scopes: ['tickets'] });
  const page = await openConnectPage(stack.backend.app, B.link);
  return app().post(`/connect/${B.link}/private-app`).set('Cookie', page.cookie).type('form').send({ csrf: page.csrf, token: pat.token, confirmRollback: '1', confirmPortalChange: 'on' });
}, () => [String(A.portal)]);
row('GET /oauth/install', 'B’s link starts an install for B only', 'own data only', () => app().get(`/oauth/install?link=${B.link}`));
row('GET /oauth/callback', 'A’s state from B’s browser', 'refused', async () => {
  const bStart = await app().get(`/oauth/install?link=${B.link}`);
  return app().get(`/oauth/callback?code=na1-whatever&state=${A.state}`).set('Cookie', mergeCookies(undefined, bStart.headers['set-cookie'])).set('Accept', 'text/html');
});

// ---- HubSpot's routes, as portal B --------------------------------------------------------------------
row('GET /hubspot/ui/records/:objectType/:objectId', 'portal B reads A’s ticket', 'own data only', () => {
  const p = `/hubspot/ui/records/tickets/${A.ticket}?${identity(B.portal)}`;
  return app().get(p).set(signed('GET', p));
});
row('GET /hubspot/ui/records/:objectType/:objectId', 'A’s signed request replayed as portal B', 'refused', () => {
  const signedFor = `/hubspot/ui/records/tickets/${A.ticket}?${identity(A.portal)}`;
  return app().get(`/hubspot/ui/records/tickets/${A.ticket}?${identity(B.portal)}`).set(signed('GET', signedFor));
});
for (const action of ['pause', 'resume', 'handoff'] as const) {
  row('POST /hubspot/ui/conversations/:id/:action', `portal B ${action}s A’s conversation`, 'refused', () => {
    const p = `/hubspot/ui/conversations/${A.conversation}/${action}?${identity(B.portal)}`;
    return app().post(p).set({ 'content-type': 'application/json', ...signed('POST', p, '{}') }).send('{}');
  });
}
row('GET /hubspot/ui/settings', 'portal B reads settings', 'own data only', () => {
  const p = `/hubspot/ui/settings?${identity(B.portal)}`;
  return app().get(p).set(signed('GET', p));
});
row('PATCH /hubspot/ui/settings', 'portal B changes only B', 'own data only', () => {
  const p = `/hubspot/ui/settings?${identity(B.portal)}`;
  const body = JSON.stringify({ handoffTeams: [{ id: 'a-team', name: 'B renamed' }] });
  return app().patch(p).set({ 'content-type': 'application/json', ...signed('PATCH', p, body) }).send(body);
});
for (const action of ['pause-ai', 'resume-ai', 'request-handoff', 'send-to-ai'] as const) {
  row('POST /hubspot/actions/:actionName', `${action} from portal B on A’s ticket`, 'own data only', () => {
    const p = `/hubspot/actions/${action}`;
    const body = JSON.stringify({ callbackId: `iso-${action}`, origin: { portalId: B.portal }, context: { source: 'WORKFLOWS', workflowId: 1 }, object: { objectId: A.ticket, objectType: 'TICKET', properties: {} }, inputFields: { team: 'a-team', reason: 'x' } });
    return app().post(p).set({ 'content-type': 'application/json', ...signed('POST', p, body, ['v2', 'v3']) }).send(body);
  });
}
row('POST /hubspot/actions/options/:field', 'portal B lists handoff teams', 'own data only', () => {
  const p = '/hubspot/actions/options/team';
  const body = JSON.stringify({ origin: { portalId: B.portal }, inputFieldName: 'team' });
  return app().post(p).set({ 'content-type': 'application/json', ...signed('POST', p, body, ['v2', 'v3']) }).send(body);
});
row('POST /hubspot/webhooks', 'portal B’s owner change on A’s ticket id', 'own data only', () => {
  const body = JSON.stringify([{ eventId: 777, portalId: B.portal, occurredAt: Date.now(), subscriptionType: 'ticket.propertyChange', objectId: A.ticket, propertyName: 'hubspot_owner_id', propertyValue: '51000002' }]);
  return app().post('/hubspot/webhooks').set({ 'content-type': 'application/json', ...signed('POST', '/hubspot/webhooks', body) }).send(body);
});
// Last: B disconnects its own connection; A stays connected.
row('DELETE /api/v1/connection', 'B’s key disconnects only B', 'own data only', withB('delete', '/api/v1/connection'));

/** Routes with no tenant data or whose credential is the tenant's own by design. */
const EXEMPT: Record<string, string> = {
  'GET /healthz': 'no tenant data',
  'GET /readyz': 'no tenant data',
  'GET /connect-assets/:file': 'static files of the connection page, the same for everyone',
};

async function aState() {
  const db = stack.backend.tdb.db;
  const fp = await databaseFingerprint(db);
  const aRows = {
    conversation: await db.selectFrom('conversations').selectAll().where('organization_id', '=', a.id).execute(),
    transitions: (await db.selectFrom('conversation_transitions').select('id').where('organization_id', '=', a.id).execute()).length,
    connection: await db.selectFrom('connections').select(['status', 'portal_id', 'auth']).where('organization_id', '=', a.id).execute(),
    settings: await db.selectFrom('organization_settings').selectAll().where('organization_id', '=', a.id).execute(),
    teams: await db.selectFrom('handoff_teams').select(['team_id', 'name']).where('organization_id', '=', a.id).execute(),
    destination: await db.selectFrom('event_destinations').select(['url']).where('organization_id', '=', a.id).execute(),
    pending: await db.selectFrom('pending_installs').select(['id']).where('organization_id', '=', a.id).execute(),
    states: (await sql<{ n: string }>`select count(*) as n from oauth_states where organization_id = ${a.id} and used_at is null`.execute(db)).rows[0]!.n,
    events: (await db.selectFrom('events').select('id').where('organization_id', '=', a.id).execute()).length,
  };
  return { aRows, fp };
}

// The exact answer of every attempt (route — attack): an attempt that starts answering anything else
// (a 5xx, or a 200 where a refusal was) fails here, and a new row must say what it expects.
const EXPECTED_STATUS = new Map<string, number>([
  ["GET /api/v1/organization — B’s key", 200],
  ["GET /api/v1/connection — B’s key", 200],
  ["GET /api/v1/connection/history — B’s key", 200],
  ["PUT /api/v1/connection/private-app-token — B stores a Private App token of A’s portal", 409],
  ["POST /api/v1/install-links — B’s key: the link is B’s", 200],
  ["ANY /api/v1/hubspot/* — B’s key on A’s ticket", 404],
  ["ANY /api/v1/hubspot/* — B’s key, A’s owner search", 200],
  ["POST /api/v1/conversations — B’s key with A’s externalId: B gets its own, new conversation", 201],
  ["GET /api/v1/conversations — B’s key, filtered on A’s ticket", 400],
  ["GET /api/v1/conversations/:id — B’s key on A’s conversation", 404],
  ["GET /api/v1/conversations/:id/transitions — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/pause — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/resume — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/handoff — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/ai-result — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/messages — B’s key on A’s conversation", 404],
  ["GET /api/v1/conversations/:id/messages — B’s key on A’s conversation", 404],
  ["POST /api/v1/conversations/:id/messages/:messageId/delivery — B’s key on A’s conversation", 404],
  ["GET /api/v1/helpdesk — B’s key: B’s own help-desk state", 200],
  ["GET /api/v1/helpdesk/inboxes — B’s key: B’s own portal’s inboxes", 409],
  ["POST /api/v1/helpdesk/connect — B’s key: connects only B’s own portal", 409],
  ["GET /api/v1/events — B’s key from the start of the feed", 200],
  ["GET /api/v1/event-destination — B’s key", 200],
  ["PUT /api/v1/event-destination — B’s key: sets B’s own", 200],
  ["DELETE /api/v1/event-destination — B’s key: deletes B’s own", 204],
  ["GET /api/v1/event-destination/deliveries — B’s key on A’s event id", 200],
  ["GET /api/v1/settings — B’s key", 200],
  ["PATCH /api/v1/settings — B’s key: changes B’s own", 200],
  ["GET /api/v1/handoff-teams — B’s key", 200],
  ["PUT /api/v1/handoff-teams — B’s key: replaces B’s own", 200],
  ["GET /api/v1/webhook-events — B’s key", 200],
  ["POST /api/v1/organizations — B’s organization key is not the admin key", 401],
  ["GET /metrics — B’s organization key is not the admin key", 401],
  ["GET /connect/:token — B’s link shows only B", 200],
  ["POST /connect/:token/confirm — B’s link and CSRF token on A’s pending grant", 404],
  ["POST /connect/:token/cancel — B’s link and CSRF token on A’s pending grant", 404],
  ["POST /connect/:token/confirm — B’s CSRF token posted to A’s link", 403],
  ["POST /connect/:token/cancel — B’s CSRF token posted to A’s link", 403],
  ["POST /connect/:token/disconnect — B’s CSRF token posted to A’s link", 403],
  ["POST /connect/:token/private-app — B’s CSRF token posted to A’s link", 403],
  ["POST /connect/:token/settings — B’s CSRF token posted to A’s link", 403],
  ["POST /connect/:token/helpdesk — B’s CSRF token posted to A’s link", 403],
  ["GET /connect/:token/claim — B claims with a forged claim cookie", 404],
  ["GET /connect/:token/claim — B’s claim cookie on A’s link", 404],
  ["POST /connect/:token/disconnect — B’s page disconnects only B", 303],
  ["POST /connect/:token/settings — B’s page changes only B", 303],
  ["POST /connect/:token/helpdesk — B’s page connects only B’s own portal", 409],
  ["POST /connect/:token/private-app — B’s page stores A’s portal token", 409],
  ["GET /oauth/install — B’s link starts an install for B only", 302],
  ["GET /oauth/callback — A’s state from B’s browser", 400],
  ["GET /hubspot/ui/records/:objectType/:objectId — portal B reads A’s ticket", 200],
  ["GET /hubspot/ui/records/:objectType/:objectId — A’s signed request replayed as portal B", 401],
  ["POST /hubspot/ui/conversations/:id/:action — portal B pauses A’s conversation", 404],
  ["POST /hubspot/ui/conversations/:id/:action — portal B resumes A’s conversation", 404],
  ["POST /hubspot/ui/conversations/:id/:action — portal B handoffs A’s conversation", 404],
  ["GET /hubspot/ui/settings — portal B reads settings", 200],
  ["PATCH /hubspot/ui/settings — portal B changes only B", 404],
  ["POST /hubspot/actions/:actionName — pause-ai from portal B on A’s ticket", 200],
  ["POST /hubspot/actions/:actionName — resume-ai from portal B on A’s ticket", 200],
  ["POST /hubspot/actions/:actionName — request-handoff from portal B on A’s ticket", 200],
  ["POST /hubspot/actions/:actionName — send-to-ai from portal B on A’s ticket", 200],
  ["POST /hubspot/actions/options/:field — portal B lists handoff teams", 200],
  ["POST /hubspot/webhooks — portal B’s owner change on A’s ticket id", 200],
  ["DELETE /api/v1/connection — B’s key disconnects only B", 200],
]);

describe('tenant isolation matrix', () => {
  it('when tenant B tries every route against tenant A, then each attempt is refused or answers only B’s data, and A’s state is untouched', async () => {
    const before = (await aState()).aRows;
    for (const r of rows) {
      const res = await r.run();
      results.push({ route: r.route, attack: r.attack, status: res.status });
      const where = `${r.route} — ${r.attack} → ${res.status}`;
      expect([where, res.status]).toStrictEqual([where, EXPECTED_STATUS.get(`${r.route} — ${r.attack}`)]);
      if (r.expect === 'refused') {
        const okAsHubSpotAnswer = r.route.startsWith('POST /hubspot/actions/') && res.status === 200;
        expect([where, (res.status >= 400 && res.status < 500) || okAsHubSpotAnswer]).toStrictEqual([where, true]);
      }
      const text = `${res.text ?? ''}${JSON.stringify(res.headers)}`;
      for (const secret of aSecrets.filter((x) => !(r.mayMention ?? []).includes(x))) {
        const leaked = /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : text.includes(secret);
        expect([where, leaked ? `leaks ${secret}` : 'no leak']).toStrictEqual([where, 'no leak']);
      }
    }
    // B's webhook for A's ticket id was handled as B's (its portal), never touching A.
    await eventually(async () => ['processed', 'ignored', 'unroutable'].includes((await stack.backend.tdb.db.selectFrom('webhook_events').select('status').where('event_id', '=', 777).executeTakeFirst())?.status ?? ''), { timeoutMs: 20_000 });
    expect((await aState()).aRows).toStrictEqual(before);
    // And B was really affected where the route acts on its own tenant (the matrix reached real code).
    expect((await stack.backend.tdb.db.selectFrom('connections').select('status').where('organization_id', '=', b.id).executeTakeFirstOrThrow()).status).toBe('disconnected');
  }, 120_000);

  it('when the backend’s routes are listed from the code, then every one is in the matrix (or exempt with a reason)', () => {
    const dir = path.join(repoRoot, 'backend/src/modules');
    const found = new Set<string>(['ANY /api/v1/hubspot/*']);
    for (const mod of fs.readdirSync(dir)) {
      for (const file of fs.readdirSync(path.join(dir, mod)).filter((f) => f.endsWith('.routes.ts'))) {
        const text = fs.readFileSync(path.join(dir, mod, file), 'utf8');
        for (const m of text.matchAll(/router\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)) found.add(`${m[1]!.toUpperCase()} ${m[2]}`);
      }
    }
    const covered = new Set(rows.map((r) => r.route.replace(/\/(pause|resume|handoff)$/, '/:action').replace(/^(POST \/connect\/:token\/)[a-z-]+$/, '$1$action')));
    const missing = [...found].filter((route) => {
      if (route in EXEMPT) return false;
      if (covered.has(route)) return false;
      // One row per concrete action covers the parametrised route and vice versa.
      return !rows.some((r) => r.route === route);
    });
    expect(missing).toStrictEqual([]);
    recordFigures('tenant-isolation', { routes: found.size, exempt: Object.keys(EXEMPT).length, attacks: results.length, refusedOrOwnDataOnly: results.length, crossTenantLeaks: 0, statuses: countBy(results.map((r) => r.status)) });
  });
});

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
