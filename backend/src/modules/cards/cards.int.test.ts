// The backend of the HubSpot app card and settings page (`/hubspot/ui/*`) against a listening backend
// and the emulator: requests are signed for real, either here with the emulator's signing.ts or by the
// emulator's hubspot.fetch stand-in. Two portals, each held by its own organization, with the same
// HubSpot record ids, so that every answer can be checked for the other organization's data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signedHeaders } from '../../../../emulator/src/signing.js';
import { withIdentity } from '../../../../src/app/cards/utils/api.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';

let stack: HubSpotStack;
let orgA: ConnectedOrganization;
let orgB: ConnectedOrganization;
let portalB: number;
const UNKNOWN_PORTAL = 99_000_001;
const USER = { userId: 1000001, userEmail: 'ada.admin+cards@switchboard-demo.example.com' };

beforeAll(async () => {
  stack = await startHubSpotStack({ workers: false, env: { VENDOR_DASHBOARD_URL: 'https://vendor.example.com/orgs/{organizationId}/ai' } });
  orgA = await connectOrganization(stack, DEMO_PORTAL_ID, 'Org A');
  portalB = (await stack.hub.createPortal({ name: 'Portal B' })).portal.id;
  orgB = await connectOrganization(stack, portalB, 'Org B');
});
afterAll(async () => {
  await stack?.stop();
});

// ---- helpers ----

interface SignOptions {
  portalId?: number;
  body?: unknown;
  secret?: string;
  timestamp?: number;
  /** Changes the URL after signing (a tampered request). */
  tamper?: (url: string) => string;
  versions?: ('v2' | 'v3')[];
}

/** Sends a request to the backend as HubSpot's `hubspot.fetch` would: identity in the query, v3 signature. */
function signed(method: 'GET' | 'POST' | 'PATCH', path: string, opts: SignOptions = {}): request.Test {
  const query = new URLSearchParams({ portalId: String(opts.portalId ?? DEMO_PORTAL_ID), userId: String(USER.userId), userEmail: USER.userEmail, appId: String(stack.emulator.app.appId) });
  const url = `${stack.backendUrl}${path}?${query.toString()}`;
  const raw = opts.body === undefined ? '' : JSON.stringify(opts.body);
  const headers = signedHeaders({ method, url, body: raw, clientSecret: opts.secret ?? stack.emulator.app.clientSecret, timestamp: opts.timestamp ?? Date.now(), versions: opts.versions ?? ['v3'] });
  const sentUrl = (opts.tamper ?? ((u) => u))(url).slice(stack.backendUrl.length);
  const agent = request(stack.backend.app);
  const req = (method === 'GET' ? agent.get(sentUrl) : method === 'POST' ? agent.post(sentUrl) : agent.patch(sentUrl)).set(headers);
  return raw ? req.set('Content-Type', 'application/json').send(raw) : req;
}

/**
 * What the card's `hubspot.fetch` resolves with, made by the emulator's stand-in, which signs like
 * HubSpot's dev proxy. The URL carries the identity exactly as the cards' API module adds it; with
 * `appendIdentity` the emulator appends the same parameters again, as HubSpot may in production.
 */
async function hubspotFetch(
  path: string,
  init: { method?: string; body?: unknown; portalId?: number; appendIdentity?: boolean; withoutCardIdentity?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown>; url: string }> {
  const portalId = init.portalId ?? DEMO_PORTAL_ID;
  const url = `${stack.backendUrl}${path}`;
  return stack.hub.request('POST', '/_emulator/fetch', {
    url: init.withoutCardIdentity ? url : withIdentity(url, { portalId, ...USER }),
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    portalId,
    ...USER,
    ...(init.appendIdentity ? { appendIdentity: true } : {}),
  });
}

/** Sends `pathAndQuery` exactly as given, v3-signed over that URL (no identity added). */
function signedExactly(method: 'GET' | 'PATCH', pathAndQuery: string, body?: unknown): request.Test {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = signedHeaders({ method, url: `${stack.backendUrl}${pathAndQuery}`, body: raw, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
  const agent = request(stack.backend.app);
  const req = (method === 'GET' ? agent.get(pathAndQuery) : agent.patch(pathAndQuery)).set(headers);
  return raw ? req.set('Content-Type', 'application/json').send(raw) : req;
}

let seq = 0;
/** A conversation of `org` linked to `ticketId` / `contactId` of its portal. */
async function conversation(org: ConnectedOrganization, links: { ticketId?: number; contactId?: number } = { ticketId: 1001 }) {
  const { conversation: c } = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: `chat-${++seq}`, ...links });
  return c;
}

const unsigned = { error: { code: 'signature_invalid', message: 'Request signature is missing or invalid' } };

describe('the /hubspot/ui/* guard', () => {
  it('when a request is unsigned, then every route answers 401 signature_invalid and nothing changes', async () => {
    const c = await conversation(orgA);
    const q = `?portalId=${DEMO_PORTAL_ID}&userId=1&userEmail=x%40example.com`;
    const responses = await Promise.all([
      request(stack.backend.app).get(`/hubspot/ui/records/tickets/1001${q}`),
      request(stack.backend.app).post(`/hubspot/ui/conversations/${c.id}/pause${q}`).send({}),
      request(stack.backend.app).get(`/hubspot/ui/settings${q}`),
      request(stack.backend.app).patch(`/hubspot/ui/settings${q}`).send({ pauseOnOwnerChange: false }),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(401);
      expect(res.body).toStrictEqual(unsigned);
    }
    expect((await stack.backend.services.conversations.lastTransitions(orgA.id, [c.id])).size).toBe(0);
    expect((await stack.backend.services.settings.getSettings(orgA.id)).pauseOnOwnerChange).toBe(true);
    expect(stack.backend.logs.text()).toContain('request signature refused');
  });

  it('when the signature is forged, stale, v2-only, or the portal in the URL was changed after signing, then it answers 401', async () => {
    const path = '/hubspot/ui/records/tickets/1001';
    const cases = await Promise.all([
      signed('GET', path, { secret: 'not-the-client-secret' }),
      signed('GET', path, { timestamp: Date.now() - 300_001 }),
      signed('GET', path, { versions: ['v2'] }),
      // Signed for portal A, then pointed at portal B: the identity is part of the signed URI.
      signed('GET', path, { tamper: (url) => url.replace(`portalId=${DEMO_PORTAL_ID}`, `portalId=${portalB}`) }),
    ]);
    for (const res of cases) {
      expect(res.status).toBe(401);
      expect(res.body).toStrictEqual(unsigned);
    }
    // The header values are never logged.
    expect(stack.backend.logs.text()).not.toMatch(/x-hubspot-signature-v3":"[A-Za-z0-9+/]{20}/i);
  });

  it('when a signed request has no portalId or names another app, then it answers 400 invalid_query or 403 forbidden', async () => {
    const noPortal = `${stack.backendUrl}/hubspot/ui/settings`;
    const headers = signedHeaders({ method: 'GET', url: noPortal, body: '', clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
    const res = await request(stack.backend.app).get('/hubspot/ui/settings').set(headers);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');

    const otherApp = `${stack.backendUrl}/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}&appId=1`;
    const h2 = signedHeaders({ method: 'GET', url: otherApp, body: '', clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
    const res2 = await request(stack.backend.app).get(otherApp.slice(stack.backendUrl.length)).set(h2);
    expect(res2.status).toBe(403);
    expect(res2.body).toStrictEqual({ error: { code: 'forbidden', message: 'This request was made for another HubSpot app' } });
  });
});

describe('the identity in the signed URL', () => {
  it('when the card sends its identity and the proxy appends nothing (HubSpot\'s dev proxy), then the card gets its record', async () => {
    const c = await conversation(orgA, { ticketId: 1005 });
    const res = await hubspotFetch('/hubspot/ui/records/tickets/1005');
    expect(new URL(res.url).search).toBe(`?portalId=${DEMO_PORTAL_ID}&userId=${USER.userId}&userEmail=ada.admin%2Bcards%40switchboard-demo.example.com`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversations: [{ id: c.id }] });
  });

  it('when HubSpot also appends the same identity (each parameter twice, one value), then it is accepted', async () => {
    const c = await conversation(orgA, { ticketId: 1006 });
    const res = await hubspotFetch('/hubspot/ui/records/tickets/1006', { appendIdentity: true });
    expect(new URL(res.url).searchParams.getAll('portalId')).toStrictEqual([String(DEMO_PORTAL_ID), String(DEMO_PORTAL_ID)]);
    expect(new URL(res.url).searchParams.getAll('userEmail')).toStrictEqual([USER.userEmail, USER.userEmail]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversations: [{ id: c.id }] });
    const paused = await hubspotFetch(`/hubspot/ui/conversations/${c.id}/pause`, { method: 'POST', body: {}, appendIdentity: true });
    expect(paused.status).toBe(200);
    expect(paused.body.conversation).toMatchObject({ aiState: 'paused', lastTransition: { actor: USER.userEmail } });
  });

  it('when the appended portalId disagrees with the card\'s, then it answers 400 invalid_query and nothing is read or changed', async () => {
    // The card says portal A; a second copy (as HubSpot would append it) says portal B. Both signed.
    const res = await signedExactly('PATCH', `/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}&userId=${USER.userId}&portalId=${portalB}`, { pauseOnOwnerChange: false });
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({
      error: { code: 'invalid_query', message: 'Query parameters are invalid', details: [{ path: 'portalId', message: 'was sent more than once with different values' }] },
    });
    expect((await stack.backend.services.settings.getSettings(orgA.id)).pauseOnOwnerChange).toBe(true);
    expect((await stack.backend.services.settings.getSettings(orgB.id)).pauseOnOwnerChange).toBe(true);
  });

  it('when userId or userEmail copies disagree, then it answers 400 invalid_query naming the parameter', async () => {
    const user = await signedExactly('GET', `/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}&userId=1&userId=2`);
    expect(user.status).toBe(400);
    expect(user.body.error).toMatchObject({ code: 'invalid_query', details: [{ path: 'userId', message: 'was sent more than once with different values' }] });
    const email = await signedExactly('GET', `/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}&userEmail=a%40b.com&userEmail=c%40d.com`);
    expect(email.status).toBe(400);
    expect(email.body.error).toMatchObject({ code: 'invalid_query', details: [{ path: 'userEmail', message: 'was sent more than once with different values' }] });
    const same = await signedExactly('GET', `/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}&portalId=${DEMO_PORTAL_ID}&userEmail=a%40b.com&userEmail=a@b.com`);
    expect(same.status).toBe(200);
  });

  it('when the card sent no identity and the proxy adds none, then it answers 400 invalid_query rather than guessing a portal', async () => {
    const res = await hubspotFetch('/hubspot/ui/settings', { withoutCardIdentity: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_query', details: [{ path: 'portalId' }] } });
  });
});

describe('GET /hubspot/ui/records/:objectType/:objectId', () => {
  it("when portal A asks for a ticket id both portals use, then it gets A's conversations with their last transition and never B's", async () => {
    const a = await conversation(orgA, { ticketId: 1002, contactId: 102 });
    const b = await conversation(orgB, { ticketId: 1002, contactId: 102 });
    await stack.backend.services.conversations.pause(orgA.id, a.id, { source: 'api', actor: 'vendor-bot', reason: 'testing' });

    const res = await signed('GET', '/hubspot/ui/records/tickets/1002');
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      connection: { status: 'connected', auth: 'oauth' },
      conversations: [
        {
          id: a.id,
          externalId: a.externalId,
          ticketId: '1002',
          contactId: '102',
          threadId: null,
          aiState: 'paused',
          updatedAt: expect.any(String),
          lastTransition: { from: 'active', to: 'paused', source: 'api', actor: 'vendor-bot', reason: 'testing', at: expect.any(String) },
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(b.id);

    const forB = await signed('GET', '/hubspot/ui/records/contacts/102', { portalId: portalB });
    expect(forB.body.conversations.map((c: { id: string }) => c.id)).toStrictEqual([b.id]);
  });

  it('when HubSpot calls through hubspot.fetch (the card adds the identity, the emulator signs), then the card gets its record', async () => {
    const c = await conversation(orgA, { contactId: 103 });
    const res = await hubspotFetch('/hubspot/ui/records/contacts/103');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connection: { status: 'connected', auth: 'oauth' }, conversations: [{ id: c.id, aiState: 'active', lastTransition: null }] });
  });

  it('when the portal is not connected to any organization, then it answers not_connected with no conversations', async () => {
    const res = await signed('GET', '/hubspot/ui/records/tickets/1001', { portalId: UNKNOWN_PORTAL });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ connection: { status: 'not_connected', auth: null }, conversations: [] });
  });

  it('when the record type or id is not one the card uses, then it answers 400 invalid_params', async () => {
    const res = await signed('GET', '/hubspot/ui/records/deals/1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_params');
    expect((await signed('GET', '/hubspot/ui/records/tickets/abc')).status).toBe(400);
  });
});

describe('POST /hubspot/ui/conversations/:id/:action', () => {
  it('when the card pauses, resumes and hands off, then each answers the conversation with the card transition by the HubSpot user', async () => {
    const c = await conversation(orgA);
    const paused = await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { body: {} });
    expect(paused.status).toBe(200);
    expect(paused.body.conversation).toMatchObject({ id: c.id, aiState: 'paused', lastTransition: { from: 'active', to: 'paused', source: 'card', actor: USER.userEmail, reason: null } });

    const again = await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { body: {} });
    expect(again.status).toBe(200);
    expect(again.body.conversation.lastTransition).toStrictEqual(paused.body.conversation.lastTransition);

    const handoff = await signed('POST', `/hubspot/ui/conversations/${c.id}/handoff`, { body: { reason: 'Customer asked for a human' } });
    expect(handoff.body.conversation).toMatchObject({ aiState: 'handoff_requested', lastTransition: { from: 'paused', to: 'handoff_requested', source: 'card', reason: 'Customer asked for a human' } });

    const resumed = await hubspotFetch(`/hubspot/ui/conversations/${c.id}/resume`, { method: 'POST', body: {} });
    expect(resumed.status).toBe(200);
    expect(resumed.body.conversation).toMatchObject({ aiState: 'active', lastTransition: { from: 'handoff_requested', to: 'active', source: 'card' } });

    // The same audit trail the vendor API shows, with the HubSpot user id kept in the details.
    const { transitions } = await stack.backend.services.conversations.getHistory(orgA.id, c.id);
    expect(transitions.map((t) => [t.toState, t.source, t.actor])).toStrictEqual([
      ['paused', 'card', USER.userEmail],
      ['handoff_requested', 'card', USER.userEmail],
      ['active', 'card', USER.userEmail],
    ]);
    expect(transitions[0]!.details).toStrictEqual({ hubspotUserId: USER.userId });
  });

  it('when a handoff is pending and the card asks to pause, then it answers 409 invalid_transition and nothing changes', async () => {
    const c = await conversation(orgA);
    await signed('POST', `/hubspot/ui/conversations/${c.id}/handoff`, { body: {} });
    const res = await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { body: {} });
    expect(res.status).toBe(409);
    expect(res.body).toStrictEqual({
      error: { code: 'invalid_transition', message: 'A handoff is pending: resume the conversation before pausing it', details: [{ path: 'aiState', message: 'is handoff_requested' }] },
    });
    const { transitions } = await stack.backend.services.conversations.getHistory(orgA.id, c.id);
    expect(transitions).toHaveLength(1);
  });

  it("when portal A names a conversation of portal B's organization, then it answers 404 not_found and B's conversation is untouched", async () => {
    const b = await conversation(orgB);
    const res = await signed('POST', `/hubspot/ui/conversations/${b.id}/pause`, { body: {} });
    expect(res.status).toBe(404);
    expect(res.body).toStrictEqual({ error: { code: 'not_found', message: 'Conversation not found' } });
    expect((await stack.backend.services.conversations.getConversation(orgB.id, b.id)).aiState).toBe('active');
  });

  it('when the portal is not connected, the action is unknown or the body has unknown keys, then it answers 404 or 400', async () => {
    const c = await conversation(orgA);
    const notConnected = await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { body: {}, portalId: UNKNOWN_PORTAL });
    expect(notConnected.status).toBe(404);
    expect(notConnected.body.error.code).toBe('install_not_found');
    expect((await signed('POST', `/hubspot/ui/conversations/${c.id}/delete`, { body: {} })).status).toBe(400);
    const extra = await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { body: { aiState: 'active' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('invalid_body');
    expect((await signed('POST', '/hubspot/ui/conversations/not-a-uuid/pause', { body: {} })).status).toBe(400);
    expect((await stack.backend.services.conversations.lastTransitions(orgA.id, [c.id])).size).toBe(0);
  });
});

describe('GET|PATCH /hubspot/ui/settings', () => {
  it("when portal A reads its settings, then it gets A's connection health, settings, teams and dashboard link", async () => {
    await request(stack.backend.app).put('/api/v1/handoff-teams').set('Authorization', orgA.auth).send({ teams: [{ id: '11', name: 'Tier 2' }] });
    await request(stack.backend.app).put('/api/v1/handoff-teams').set('Authorization', orgB.auth).send({ teams: [{ id: '99', name: 'B only' }] });
    const res = await signed('GET', '/hubspot/ui/settings');
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      connection: { status: 'connected', auth: 'oauth', portalId: DEMO_PORTAL_ID, scopes: expect.arrayContaining(['tickets', 'automation']), lastRefreshAt: expect.any(String), lastError: null },
      settings: { pauseOnOwnerChange: true, handoffTeams: [{ id: '11', name: 'Tier 2' }] },
      dashboardUrl: `https://vendor.example.com/orgs/${orgA.id}/ai`,
    });
  });

  it("when portal A changes its settings, then A's are stored and B's stay as they were", async () => {
    const res = await signed('PATCH', '/hubspot/ui/settings', { body: { pauseOnOwnerChange: false, handoffTeams: [{ id: '12', name: 'Billing' }, { id: '11', name: 'Tier 2' }] } });
    expect(res.status).toBe(200);
    expect(res.body.settings).toStrictEqual({ pauseOnOwnerChange: false, handoffTeams: [{ id: '12', name: 'Billing' }, { id: '11', name: 'Tier 2' }] });
    expect((await stack.backend.services.settings.getSettings(orgA.id)).pauseOnOwnerChange).toBe(false);
    expect((await stack.backend.services.settings.getSettings(orgB.id)).pauseOnOwnerChange).toBe(true);
    expect(await stack.backend.services.workflowActions.getHandoffTeams(orgB.id)).toStrictEqual([{ id: '99', name: 'B only' }]);

    const back = await hubspotFetch('/hubspot/ui/settings', { method: 'PATCH', body: { pauseOnOwnerChange: true } });
    expect(back.status).toBe(200);
    expect(back.body.settings).toStrictEqual({ pauseOnOwnerChange: true, handoffTeams: [{ id: '12', name: 'Billing' }, { id: '11', name: 'Tier 2' }] });
  });

  it('when the patch is invalid, then it answers 400 invalid_body with every issue and stores nothing', async () => {
    const res = await signed('PATCH', '/hubspot/ui/settings', { body: { pauseOnOwnerChange: 'no', handoffTeams: [{ id: '1', name: 'A' }, { id: '1', name: 'B' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toStrictEqual(['handoffTeams.1.id', 'pauseOnOwnerChange']);
    expect(await stack.backend.services.workflowActions.getHandoffTeams(orgA.id)).toStrictEqual([{ id: '12', name: 'Billing' }, { id: '11', name: 'Tier 2' }]);
    const notJson = await signed('PATCH', '/hubspot/ui/settings', { body: 'x' });
    expect(notJson.status).toBe(400);
  });

  it('when the portal is not connected, then reading shows defaults and not_connected, and writing answers 404 install_not_found', async () => {
    const read = await signed('GET', '/hubspot/ui/settings', { portalId: UNKNOWN_PORTAL });
    expect(read.status).toBe(200);
    expect(read.body).toStrictEqual({
      connection: { status: 'not_connected', auth: null, portalId: UNKNOWN_PORTAL, scopes: [], lastRefreshAt: null, lastError: null },
      settings: { pauseOnOwnerChange: true, handoffTeams: [] },
      dashboardUrl: null,
    });
    const write = await signed('PATCH', '/hubspot/ui/settings', { portalId: UNKNOWN_PORTAL, body: { pauseOnOwnerChange: false } });
    expect(write.status).toBe(404);
    expect(write.body).toStrictEqual({ error: { code: 'install_not_found', message: 'This HubSpot account is not connected to Switchboard. Connect it from your AI platform first.' } });
  });

  it('when the organization disconnected, then the portal sees disconnected and no longer reaches its data', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Portal C' });
    const orgC = await connectOrganization(stack, portal.id, 'Org C');
    const c = await conversation(orgC);
    await request(stack.backend.app).delete('/api/v1/connection').set('Authorization', orgC.auth).expect(200);
    const record = await signed('GET', '/hubspot/ui/records/tickets/1001', { portalId: portal.id });
    expect(record.body).toStrictEqual({ connection: { status: 'disconnected', auth: null }, conversations: [] });
    expect((await signed('POST', `/hubspot/ui/conversations/${c.id}/pause`, { portalId: portal.id, body: {} })).status).toBe(404);
    expect((await signed('GET', '/hubspot/ui/settings', { portalId: portal.id })).body.connection.status).toBe('disconnected');
  });
});
