import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { eventually } from '../../../../test/support/eventually.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { REQUIRED_SCOPES } from '../../hubspot/scopes.js';
import { HELPDESK_SCOPES } from './connect-channel.js';

const DEVELOPER_KEY = 'devkey-handoff-comment-int-0123456789';

describe('a handoff request reaches the help-desk thread as an internal comment', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let n = 1;
  beforeAll(async () => {
    stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
    org = await connectOrganization(stack);
    await stack.backend.services.helpdesk.registerChannel({});
    const inboxes = await request(stack.backend.app).get('/api/v1/helpdesk/inboxes').set('authorization', org.auth);
    const helpDesk = (inboxes.body as { inboxes: { id: string; name: string }[] }).inboxes.find((i) => i.name === 'Help Desk')!;
    expect((await request(stack.backend.app).post('/api/v1/helpdesk/connect').set('authorization', org.auth).send({ inboxId: helpDesk.id })).status).toBe(200);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const api = () => request(stack.backend.app);
  /** A conversation of `o` whose first customer turn made its HubSpot thread. */
  const mirrored = async (o: ConnectedOrganization) => {
    const created = await api().post('/api/v1/conversations').set('authorization', o.auth).send({ externalId: `hc-${n++}` });
    const id = (created.body as { id: string }).id;
    expect((await api().post(`/api/v1/conversations/${id}/messages`).set('authorization', o.auth).send({ author: 'customer', text: 'I want a person', customer: { email: `c${n}@example.com` } })).status).toBe(202);
    const threadId = await eventually(async () => ((await api().get(`/api/v1/conversations/${id}/messages`).set('authorization', o.auth)).body as { threadId: string | null }).threadId ?? undefined, { timeoutMs: 30_000 });
    return { id, threadId: Number(threadId) };
  };
  const comments = async (portalId: number, threadId: number) => (await stack.hub.threadMessages(portalId, threadId)).filter((m) => m.type === 'COMMENT');
  const commentJobStates = async (conversationId: string) =>
    (await sql<{ state: string }>`select state from pgboss.job where name = 'helpdesk-handoff-comment' and data->>'conversationId' = ${conversationId}`.execute(stack.backend.tdb.db)).rows.map((r) => r.state);
  const commentCalls = async (portalId: number, threadId: number) =>
    (await stack.hub.requests({ portalId, method: 'POST', path: `/conversations/v3/conversations/threads/${threadId}/messages` })).length;

  it('when the vendor requests a handoff, then the thread gets one COMMENT with the reason and the team, sent as the app, and the customer sees nothing', async () => {
    const c = await mirrored(org);
    const handoff = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({ reason: 'Refund over the AI limit', team: { id: '42', name: 'Billing' } });
    expect(handoff.status).toBe(200);
    const found = await eventually(async () => {
      const list = await comments(org.portalId, c.threadId);
      return list.length > 0 ? list : undefined;
    });
    expect(found).toHaveLength(1);
    const comment = found![0];
    expect(comment!.text).toContain('Reason: Refund over the AI limit');
    expect(comment!.text).toContain('Team asked: Billing (HubSpot team 42)');
    expect(comment!.senderActorId).toBe(`I-${stack.emulator.app.appId}`);
    // Internal: the channel's webhook never carried it to the vendor's customer.
    const inbox = (await stack.hub.inboxThreads(org.portalId)).find((t) => t.id === c.threadId)!;
    expect(inbox.messages.map((m) => [m.type, m.direction])).toStrictEqual([
      ['MESSAGE', 'INCOMING'],
      ['COMMENT', 'OUTGOING'],
    ]);
  });

  it('when HubSpot answers the comment call with a 503, then the job retries and the thread holds the comment once', async () => {
    const c = await mirrored(org);
    await stack.hub.setFaults({ apiFailures: { remaining: 1, status: 503, match: `POST /conversations/v3/conversations/threads/${c.threadId}/messages` } });
    const handoff = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({ reason: 'Legal question' });
    expect(handoff.status).toBe(200);
    await eventually(async () => (await commentJobStates(c.id)).includes('completed'), { timeoutMs: 60_000 });
    expect((await stack.hub.faults()).apiFailures.remaining).toBe(0);
    await stack.hub.clearFaults();
    const found = await comments(org.portalId, c.threadId);
    expect(found.map((m) => m.text.split('\n')[1])).toStrictEqual(['Reason: Legal question']);
    expect(await commentCalls(org.portalId, c.threadId)).toBe(2);
  });

  it('when a conversation has no help-desk thread, then a handoff queues nothing and makes no HubSpot call', async () => {
    const created = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `hc-plain-${n++}` });
    const id = (created.body as { id: string }).id;
    await stack.hub.clearRequests();
    const handoff = await api().post(`/api/v1/conversations/${id}/handoff`).set('authorization', org.auth).send({ reason: 'No thread here', team: { id: '7', name: 'Tier 2' } });
    expect(handoff.status).toBe(200);
    expect(handoff.body).toMatchObject({ aiState: 'handoff_requested' });
    // The job would have been queued in the handoff's own transaction, which has committed.
    expect(await commentJobStates(id)).toStrictEqual([]);
    expect((await stack.hub.requests({ portalId: org.portalId })).filter((r) => r.path.startsWith('/conversations/'))).toStrictEqual([]);
  });

  it('when the connection lacks conversations.write, then the handoff still happens and no comment is posted', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'No write scope' });
    const tokens = await stack.hub.install(portal.id, { scopes: [...new Set([...REQUIRED_SCOPES, ...HELPDESK_SCOPES])] });
    const { apiKey, id: orgId } = await connectWithTokens(stack.backend.services, portal.id, tokens, 'No Write Co');
    const o: ConnectedOrganization = { id: orgId, apiKey, portalId: portal.id, auth: `Bearer ${apiKey}` };
    const inboxes = await api().get('/api/v1/helpdesk/inboxes').set('authorization', o.auth);
    const inbox = (inboxes.body as { inboxes: { id: string; name: string }[] }).inboxes[0]!;
    expect((await api().post('/api/v1/helpdesk/connect').set('authorization', o.auth).send({ inboxId: inbox.id })).status).toBe(200);
    const c = await mirrored(o);
    const handoff = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', o.auth).send({ reason: 'Needs a human' });
    expect(handoff.body).toMatchObject({ aiState: 'handoff_requested' });
    await eventually(async () => (await commentJobStates(c.id)).includes('completed'), { timeoutMs: 30_000 });
    expect(await commentCalls(o.portalId, c.threadId)).toBe(0);
    expect(await comments(o.portalId, c.threadId)).toStrictEqual([]);
  });
});
