// A workflow action answered SUCCESS while the portal's grant was already dead at HubSpot: the note it
// queued must wait, visibly, and reach HubSpot exactly once after the admin reconnects. Real emulator
// (workflow engine, OAuth consent, CRM), real Postgres, real job workers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import type { ExecutionRecord } from '../../../../emulator/src/workflows/types.js';
import { openConnectPage, mergeCookies } from '../../../../test/support/connect-page.js';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { consent } from '../../../../test/support/hubspot-harness.js';

let stack: HubSpotStack;
beforeAll(async () => {
  // Real HubSpot timings for the workflow engine (its 20 s action timeout), as in the workflow tests.
  stack = await startHubSpotStack({ emulator: { timeScale: 1 } });
});
afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.backend.app);
type Note = { status: string; attempts: number; lastError: string | null; hubspotNoteId: string | null };
const noteOf = async (org: ConnectedOrganization, conversationId: string): Promise<Note> =>
  (await api().get(`/api/v1/conversations/${conversationId}/transitions`).set('authorization', org.auth)).body.transitions[0].note as Note;
const notesOnTicket = async (ticketId: number) =>
  ((await stack.hub.state()).associations as { fromType: string; fromId: number; toType: string; toId: number }[]).filter((a) => a.fromType === 'notes' && a.toType === 'tickets' && a.toId === ticketId);
const queuedNoteJobs = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'conversations-write-note' and state in ('created', 'retry', 'active')`.execute(stack.backend.tdb.db)).rows[0]!.n);

/** Reconnects through the connection link like the admin: install link, HubSpot consent, callback. */
async function reconnect(org: ConnectedOrganization): Promise<request.Response> {
  const link = (await api().post('/api/v1/install-links').set('authorization', org.auth).send({})).body as { url: string };
  const linkToken = link.url.split('/connect/')[1]!;
  const started = await api().get(`/oauth/install?link=${linkToken}`);
  const back = await consent(new URL(String(started.headers.location)), { portalId: org.portalId });
  return api().get(`${back.pathname}${back.search}`).set('Cookie', mergeCookies(undefined, started.headers['set-cookie']));
}

describe('note write-back while the connection needs reauth', () => {
  it('when a workflow pauses the AI after HubSpot revoked the grant, then SUCCESS is answered, the note waits visibly, and after the reconnect exactly one note reaches HubSpot', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Revoked Co' });
    const org = await connectOrganization(stack, portal.id, 'Revoked Co');
    const ticketId = (await stack.hub.createTicket(portal.id, { properties: { subject: 'Refund please', hs_pipeline_stage: '1' } })).id;
    const created = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'reauth-1', ticketId });
    const conversationId = created.body.id as string;
    // The admin uninstalled or HubSpot revoked the grant; Switchboard still believes it is connected.
    await stack.hub.revokePortalTokens(portal.id);

    const record = await stack.hub.request<ExecutionRecord>('POST', '/_emulator/workflows/execute', { portalId: portal.id, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, workflowId: 4242 });
    expect(record.state).toBe('SUCCESS');
    expect(record.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', ai_state: 'paused' });

    // The note waits, with its reason, in the API's audit trail and on the connection page.
    await expectEventually(async () => expect(await noteOf(org, conversationId)).toMatchObject({ status: 'waiting_connection', lastError: expect.stringContaining('reinstall_required') }), { timeoutMs: 30_000, intervalMs: 100 });
    const linkUrl = (await api().post('/api/v1/install-links').set('authorization', org.auth).send({})).body.url as string;
    const page = await openConnectPage(stack.backend.app, linkUrl.split('/connect/')[1]!);
    expect(page.res.text).toMatch(/<table data-table="notes">[\s\S]*ticket \d+[\s\S]*Waiting for reconnect[\s\S]*reinstall_required/);
    expect(await notesOnTicket(ticketId)).toStrictEqual([]);
    expect((await api().get('/api/v1/connection').set('authorization', org.auth)).body.status).toBe('needs_reauth');

    const callback = await reconnect(org);
    expect(callback.status).toBe(303);

    await expectEventually(async () => expect(await noteOf(org, conversationId)).toMatchObject({ status: 'done', lastError: null, hubspotNoteId: expect.any(String) }), { timeoutMs: 30_000, intervalMs: 100 });
    await expectEventually(async () => expect(await queuedNoteJobs()).toBe(0));
    expect(await notesOnTicket(ticketId)).toHaveLength(1);
    const after = await openConnectPage(stack.backend.app, linkUrl.split('/connect/')[1]!);
    expect(after.res.text).not.toContain('Waiting for reconnect');
  }, 90_000);

  it('when a note is refused by HubSpot for another reason, then the connection page lists it as not written with the reason', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Refusing Co' });
    const org = await connectOrganization(stack, portal.id, 'Refusing Co');
    // A ticket id HubSpot does not know: the association is refused (4xx), which no retry fixes.
    const created = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'refused-1', ticketId: 999_999_991 });
    await api().post(`/api/v1/conversations/${created.body.id}/handoff`).set('authorization', org.auth).send({ reason: 'needs a human' });

    await expectEventually(async () => expect(await noteOf(org, created.body.id as string)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('hubspot_upstream_error') }), { timeoutMs: 30_000, intervalMs: 100 });
    const linkUrl = (await api().post('/api/v1/install-links').set('authorization', org.auth).send({})).body.url as string;
    const page = await openConnectPage(stack.backend.app, linkUrl.split('/connect/')[1]!);
    expect(page.res.text).toMatch(/<table data-table="notes">[\s\S]*ticket 999999991[\s\S]*Not written[\s\S]*HubSpot refused the request \(create note\)/);
  }, 60_000);
});
