// HubSpot failing in every way the emulator can: token endpoint 5xx and hangs, API 429 storms, 500s and
// 503s, answers slower than every timeout, and the grant revoked while work is in flight. Each fault is
// injected, then every entry point is probed over HTTP: the vendor API and proxy, webhook intake,
// workflow actions and card endpoints. The rules checked for every probe:
// - nothing answers a 5xx other than 503 (with the standard error body and a code saying why);
// - what does not need HubSpot (intake, actions, cards) keeps answering 200 while HubSpot is down;
// - a transient fault never marks the connection needs_reauth;
// - once the fault ends, every acknowledged event and every requested change is applied exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import type { ManualClock } from '../../backend/src/platform/clock.js';
import type { FaultPatch } from '../../emulator/src/faults.js';
import { signedHeaders } from '../../emulator/src/signing.js';
import { recordFigures } from '../support/artifacts.js';
import { eventually } from '../support/eventually.js';
import { connectOrganization, DEMO_PORTAL_ID as P, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';

const OWNER = '51000002';

let stack: HubSpotStack;
let org: ConnectedOrganization;
let clock: ManualClock;
let nextEventId = 1;
const statuses: Record<string, number> = {};
let probes = 0;
let eventsAcknowledged = 0;

beforeAll(async () => {
  stack = await startHubSpotStack({
    manualClockAt: Date.now(),
    // Webhooks are sent by the test (it knows exactly which events it had acknowledged).
    emulator: { webhooks: false },
    env: {
      // Every timeout short, so "slower than every timeout" stays fast to test.
      HUBSPOT_TIMEOUT_MS: '300',
      HUBSPOT_MAX_ATTEMPTS: '2',
      HUBSPOT_INTERACTIVE_DEADLINE_MS: '1500',
    },
  });
  clock = stack.backend.clock as ManualClock;
  // HubSpot's rolling window, shrunk: a 429's "wait for the window" becomes 300 ms.
  await stack.hub.updateSettings({ rateLimit: { intervalMs: 300 } });
  org = await connectOrganization(stack, P);
}, 60_000);

afterAll(async () => {
  await stack.stop();
});

const app = () => request(stack.backend.app);
const secret = () => stack.backend.config.hubspot.clientSecret;
const publicUrl = (path: string) => `${stack.backend.config.publicBaseUrl}${path}`;

/** A ticket in the portal with a conversation linked to it. */
async function linkedTicket(label: string, properties: Record<string, string> = {}) {
  const ticket = await stack.hub.createTicket(P, { properties: { subject: label, hs_pipeline_stage: '1', ...properties } });
  const { conversation } = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: `${label}-${ticket.id}`, ticketId: ticket.id });
  return { ticketId: ticket.id, conversationId: conversation.id };
}

function record(probe: string, status: number) {
  probes += 1;
  statuses[status] = (statuses[status] ?? 0) + 1;
  return { probe, status };
}

/** A 503 must say why, in the standard body; no other 5xx may ever reach a caller. */
function expectNoServerFault(res: request.Response, probe: string) {
  record(probe, res.status);
  if (res.status >= 500) {
    expect([probe, res.status]).toStrictEqual([probe, 503]);
    expect(res.body).toStrictEqual({ error: { code: expect.stringMatching(/^(hubspot_unavailable|service_unavailable)$/), message: expect.any(String) } });
  }
}

async function postWebhook(events: Record<string, unknown>[]) {
  const body = JSON.stringify(events);
  const res = await app()
    .post('/hubspot/webhooks')
    .set({ 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: publicUrl('/hubspot/webhooks'), body, clientSecret: secret(), timestamp: clock.now(), versions: ['v3'] }) })
    .send(body);
  return res;
}

async function postAction(name: string, ticketId: number) {
  const body = JSON.stringify({ callbackId: `cb-${nextEventId++}`, origin: { portalId: P }, context: { source: 'WORKFLOWS', workflowId: 5000001 }, object: { objectId: ticketId, objectType: 'TICKET', properties: {} }, inputFields: { reason: 'fault test' } });
  return app()
    .post(`/hubspot/actions/${name}`)
    .set({ 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url: publicUrl(`/hubspot/actions/${name}`), body, clientSecret: secret(), timestamp: clock.now(), versions: ['v2', 'v3'] }) })
    .send(body);
}

async function getCard(ticketId: number) {
  const path = `/hubspot/ui/records/tickets/${ticketId}?portalId=${P}&userId=1000001&userEmail=ada.admin%40example.com&appId=${stack.backend.config.hubspot.appId}`;
  return app()
    .get(path)
    .set(signedHeaders({ method: 'GET', url: publicUrl(path), body: '', clientSecret: secret(), timestamp: clock.now(), versions: ['v3'] }));
}

const ownerChange = (ticketId: number) => ({ eventId: nextEventId++, subscriptionId: 1003, portalId: P, occurredAt: clock.now(), subscriptionType: 'ticket.propertyChange', attemptNumber: 0, objectId: ticketId, propertyName: 'hubspot_owner_id', propertyValue: OWNER, changeSource: 'CRM_UI' });
const ticketCreated = (ticketId: number) => ({ eventId: nextEventId++, subscriptionId: 1001, portalId: P, occurredAt: clock.now(), subscriptionType: 'ticket.creation', attemptNumber: 0, objectId: ticketId, changeFlag: 'NEW' });

const db = () => stack.backend.tdb.db;
const transitionsOf = async (conversationId: string) => db().selectFrom('conversation_transitions').select(['to_state', 'source']).where('conversation_id', '=', conversationId).execute();
const inboxStatus = async (eventIds: number[]) => db().selectFrom('webhook_events').select(['event_id', 'status', 'last_error']).where('event_id', 'in', eventIds).execute();
const needsReauthEvents = async () => (await db().selectFrom('events').select('id').where('organization_id', '=', org.id).where('type', '=', 'connection.needs_reauth').execute()).length;

async function notesOnTicket(ticketId: number): Promise<number> {
  const res = await stack.backend.services.hubspot.request(org.id, { method: 'GET', path: `/crm/v3/objects/tickets/${ticketId}`, query: { associations: 'notes' } });
  const body = res.body as { associations?: { notes?: { results?: unknown[] } } };
  return body.associations?.notes?.results?.length ?? 0;
}

/** Makes the backend consider its access token expired, so the next call must refresh it. */
async function expireAccessTokenForBackend() {
  await sql`update hubspot_tokens set access_expires_at = ${new Date(clock.now() - 1_000)} where organization_id = ${org.id}`.execute(db());
}

interface FaultCase {
  name: string;
  faults: FaultPatch;
  /** The fault is on the token endpoint: the backend's token must be expired for it to bite. */
  onTokenEndpoint?: boolean;
}

const FAULTS: FaultCase[] = [
  { name: 'token endpoint answers 503 to every refresh', faults: { tokenFailures: { remaining: 1_000, mode: 'error', status: 503 } }, onTokenEndpoint: true },
  { name: 'token endpoint answers 500', faults: { tokenFailures: { remaining: 1_000, mode: 'error', status: 500 } }, onTokenEndpoint: true },
  { name: 'token endpoint hangs past the timeout', faults: { tokenFailures: { remaining: 1_000, mode: 'hang', hangMs: 5_000 } }, onTokenEndpoint: true },
  { name: 'API 429 storm', faults: { forced429: 1_000 } },
  { name: 'API answers 500', faults: { apiFailures: { remaining: 1_000, status: 500 } } },
  { name: 'API answers 502', faults: { apiFailures: { remaining: 1_000, status: 502 } } },
  { name: 'API answers 503', faults: { apiFailures: { remaining: 1_000, status: 503 } } },
  { name: 'API slower than every timeout', faults: { apiLatencyMs: 2_000 } },
];

describe('HubSpot faults', () => {
  it.each(FAULTS)('when $name, then every entry point answers without a server fault, intake keeps acknowledging, and everything is applied once it ends', async ({ faults, onTokenEndpoint }) => {
    const owned = await linkedTicket('owner-change');
    const created = await linkedTicket('created-owned', { hubspot_owner_id: OWNER });
    const actioned = await linkedTicket('action');
    const handedOff = await linkedTicket('handoff');

    if (onTokenEndpoint) await expireAccessTokenForBackend();
    await stack.hub.setFaults(faults);

    // The vendor's proxy call needs HubSpot: it may fail, but only as a 503 that says why.
    expectNoServerFault(await app().get(`/api/v1/hubspot/crm/v3/objects/tickets/${owned.ticketId}`).set('Authorization', org.auth), 'proxy');
    // Intake needs only the database: HubSpot being down never costs an acknowledgement.
    const events = [ownerChange(owned.ticketId), ticketCreated(created.ticketId)];
    const intake = await postWebhook(events);
    expectNoServerFault(intake, 'webhook intake');
    expect(intake.status).toBe(200);
    eventsAcknowledged += events.length;
    // Workflow actions and cards answer from the database.
    const action = await postAction('pause-ai', actioned.ticketId);
    expectNoServerFault(action, 'workflow action');
    expect(action.status).toBe(200);
    expect(action.body.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', ai_state: 'paused' });
    const card = await getCard(owned.ticketId);
    expectNoServerFault(card, 'card');
    expect(card.status).toBe(200);
    // The vendor API: the state change stands at once; its HubSpot note is written later.
    const handoff = await app().post(`/api/v1/conversations/${handedOff.conversationId}/handoff`).set('Authorization', org.auth).send({ reason: 'fault test' });
    expectNoServerFault(handoff, 'vendor handoff');
    expect(handoff.status).toBe(200);
    expect(handoff.body.aiState).toBe('handoff_requested');
    // A transient fault is not a revocation.
    const status = await app().get('/api/v1/connection').set('Authorization', org.auth);
    expectNoServerFault(status, 'connection status');
    expect(status.body.status).toBe('connected');

    // The fault ends; the token cooldown a failed refresh started passes.
    await stack.hub.clearFaults();
    clock.advance(6 * 60_000);

    await eventually(async () => (await inboxStatus(events.map((e) => e.eventId))).every((r) => r.status === 'processed'), { timeoutMs: 60_000, intervalMs: 100 });
    expect(await transitionsOf(owned.conversationId)).toStrictEqual([{ to_state: 'paused', source: 'owner_change' }]);
    expect(await transitionsOf(created.conversationId)).toStrictEqual([{ to_state: 'paused', source: 'owner_change' }]);
    expect(await transitionsOf(actioned.conversationId)).toStrictEqual([{ to_state: 'paused', source: 'workflow' }]);
    expect(await transitionsOf(handedOff.conversationId)).toStrictEqual([{ to_state: 'handoff_requested', source: 'api' }]);
    await eventually(async () => (await notesOnTicket(handedOff.ticketId)) === 1, { timeoutMs: 60_000, intervalMs: 200 });
    const proxied = await app().get(`/api/v1/hubspot/crm/v3/objects/tickets/${owned.ticketId}`).set('Authorization', org.auth);
    expect(proxied.status).toBe(200);
    expect((await app().get('/api/v1/connection').set('Authorization', org.auth)).body.status).toBe('connected');
    expect(await needsReauthEvents()).toBe(0);
  }, 120_000);

  it('when the grant is revoked while work is in flight, then the connection turns needs_reauth exactly once, HubSpot-bound work stops, and intake still acknowledges', async () => {
    const pending = await linkedTicket('revoked-handoff');
    const created = await linkedTicket('revoked-created', { hubspot_owner_id: OWNER });
    // Work that needs HubSpot is queued while HubSpot is slow, then the grant dies under it.
    await stack.hub.setFaults({ apiLatencyMs: 200 });
    const handoff = await app().post(`/api/v1/conversations/${pending.conversationId}/handoff`).set('Authorization', org.auth).send({ reason: 'revoked' });
    expect(handoff.status).toBe(200);
    const events = [ticketCreated(created.ticketId)];
    expect((await postWebhook(events)).status).toBe(200);
    eventsAcknowledged += events.length;
    await stack.hub.revokePortalTokens(P);
    await expireAccessTokenForBackend();
    await stack.hub.clearFaults();

    // Concurrent callers all learn it; the transition and its vendor event happen once.
    const calls = await Promise.all(Array.from({ length: 10 }, () => app().get(`/api/v1/hubspot/crm/v3/objects/tickets/${pending.ticketId}`).set('Authorization', org.auth)));
    for (const res of calls) {
      expectNoServerFault(res, 'proxy after revocation');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('reinstall_required');
    }
    await eventually(async () => (await inboxStatus(events.map((e) => e.eventId))).every((r) => r.status !== 'pending'), { timeoutMs: 60_000, intervalMs: 100 });
    const [inbox] = await inboxStatus(events.map((e) => e.eventId));
    // Kept and visible, not retried forever against a dead grant.
    expect(inbox).toMatchObject({ status: 'dead', last_error: expect.stringContaining('reinstall_required') });
    const status = await app().get('/api/v1/connection').set('Authorization', org.auth);
    expect(status.body).toMatchObject({ status: 'needs_reauth', actionRecommended: true });
    expect(await needsReauthEvents()).toBe(1);
    // Intake, actions and cards still answer: HubSpot keeps delivering and nothing is lost meanwhile.
    const later = [ownerChange(pending.ticketId)];
    const intake = await postWebhook(later);
    expectNoServerFault(intake, 'webhook intake after revocation');
    expect(intake.status).toBe(200);
    eventsAcknowledged += later.length;
    const action = await postAction('pause-ai', created.ticketId);
    expectNoServerFault(action, 'workflow action after revocation');
    expect(action.body.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'NEEDS_REAUTH' });
    const card = await getCard(pending.ticketId);
    expectNoServerFault(card, 'card after revocation');
    expect(card.body.connection.status).toBe('needs_reauth');
    await eventually(async () => (await inboxStatus(later.map((e) => e.eventId))).every((r) => r.status === 'processed'), { timeoutMs: 60_000, intervalMs: 100 });
    expect(await needsReauthEvents()).toBe(1);

    recordFigures('hubspot-faults', {
      faultsInjected: FAULTS.length + 1,
      faults: [...FAULTS.map((f) => f.name), 'grant revoked while work is in flight'],
      probes,
      statuses,
      serverFaultsOtherThan503: Object.entries(statuses).filter(([s]) => Number(s) >= 500 && Number(s) !== 503).length,
      eventsAcknowledged,
      eventsLost: 0,
    });
  }, 120_000);
});
