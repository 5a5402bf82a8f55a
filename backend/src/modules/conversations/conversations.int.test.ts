import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { connectOrganization, createOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';


describe('/api/v1/conversations', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let n = 1;
  beforeAll(async () => {
    stack = await startHubSpotStack();
    org = await connectOrganization(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const api = () => request(stack.backend.app);
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `ext-${n++}`, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; externalId: string };
  };
  const feed = async () => ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { type: string; data: Record<string, unknown> }[] }).events;
  const eventsOf = async (id: string) => (await feed()).filter((e) => e.data.conversationId === id);

  it('when the organization key is missing or wrong, then it answers 401 unauthorized', async () => {
    const missing = await api().get('/api/v1/conversations');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const wrong = await api().post('/api/v1/conversations').set('authorization', 'Bearer sb_org_nope').send({ externalId: 'x' });
    expect(wrong.status).toBe(401);
  });

  it('when a conversation is posted, then it is created (201), and posting the same externalId updates it (200)', async () => {
    const created = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'session-42', ticketId: '1001', contactId: 101 });
    expect(created.status).toBe(201);
    expect(created.body).toStrictEqual({
      id: expect.any(String),
      externalId: 'session-42',
      ticketId: '1001',
      contactId: '101',
      threadId: null,
      aiState: 'active',
      updatedAt: expect.any(String),
      contactName: null,
      contactEmail: null,
      threadStatus: null,
      createdAt: expect.any(String),
    });
    const updated = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'session-42', threadId: '7400000001', ticketId: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, ticketId: null, contactId: '101', threadId: '7400000001' });
  });

  it('when the body is invalid, then it answers 400 with every problem', async () => {
    const res = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: '', ticketId: 'abc', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toStrictEqual(['', 'externalId', 'ticketId']);
  });

  it('when listing by HubSpot record, then only conversations linked to every given record come back', async () => {
    const a = await create({ ticketId: 555001, contactId: 555002 });
    const b = await create({ ticketId: 555001 });
    await create({ contactId: 555002 });
    const byTicket = await api().get('/api/v1/conversations?ticketId=555001').set('authorization', org.auth);
    expect(byTicket.body.conversations.map((c: { id: string }) => c.id).sort()).toStrictEqual([a.id, b.id].sort());
    const both = await api().get('/api/v1/conversations?ticketId=555001&contactId=555002').set('authorization', org.auth);
    expect(both.body.conversations.map((c: { id: string }) => c.id)).toStrictEqual([a.id]);
    const bad = await api().get('/api/v1/conversations?ticketId=x').set('authorization', org.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_query');
  });

  it('when another organization asks for a conversation, then it is 404 not_found', async () => {
    const mine = await create();
    const other = await createOrganization(stack.backend);
    const res = await api().get(`/api/v1/conversations/${mine.id}`).set('authorization', other.auth);
    expect(res.status).toBe(404);
    expect(res.body).toStrictEqual({ error: { code: 'not_found', message: 'Conversation not found' } });
    expect((await api().post(`/api/v1/conversations/${mine.id}/pause`).set('authorization', other.auth).send({})).status).toBe(404);
  });

  it('when paused twice, then the second changes nothing and emits nothing; resume brings it back, each step audited', async () => {
    const c = await create();
    const first = await api().post(`/api/v1/conversations/${c.id}/pause`).set('authorization', org.auth).send({ actor: 'vendor-bot', reason: 'testing' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ aiState: 'paused', changed: true });
    const again = await api().post(`/api/v1/conversations/${c.id}/pause`).set('authorization', org.auth).send({});
    expect(again.body).toMatchObject({ aiState: 'paused', changed: false });
    const resumed = await api().post(`/api/v1/conversations/${c.id}/resume`).set('authorization', org.auth).send({ actor: 'ops' });
    expect(resumed.body).toMatchObject({ aiState: 'active', changed: true });
    expect((await eventsOf(c.id)).map((e) => [e.type, e.data.source, e.data.actor])).toStrictEqual([
      ['ai.paused', 'api', 'vendor-bot'],
      ['ai.resumed', 'api', 'ops'],
    ]);
    const audit = await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth);
    expect(audit.body.transitions.map((t: Record<string, unknown>) => [t.from, t.to, t.source, t.actor, t.reason, t.note])).toStrictEqual([
      ['active', 'paused', 'api', 'vendor-bot', 'testing', null],
      ['paused', 'active', 'api', 'ops', null, null],
    ]);
  });

  it('when a pause is asked while a handoff is pending, then it is 409 invalid_transition and only resume leaves the handoff', async () => {
    const c = await create();
    const handoff = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({ team: { id: 'billing', name: 'Billing' } });
    expect(handoff.body).toMatchObject({ aiState: 'handoff_requested', changed: true });
    const pause = await api().post(`/api/v1/conversations/${c.id}/pause`).set('authorization', org.auth).send({});
    expect(pause.status).toBe(409);
    expect(pause.body).toStrictEqual({
      error: { code: 'invalid_transition', message: 'A handoff is pending: resume the conversation before pausing it', details: [{ path: 'aiState', message: 'is handoff_requested' }] },
    });
    const twice = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({});
    expect(twice.body).toMatchObject({ changed: false });
    const resume = await api().post(`/api/v1/conversations/${c.id}/resume`).set('authorization', org.auth).send({});
    expect(resume.body).toMatchObject({ aiState: 'active', changed: true });
    expect((await eventsOf(c.id)).map((e) => e.type)).toStrictEqual(['ai.handoff_requested', 'ai.resumed']);
    expect((await eventsOf(c.id))[0]?.data.team).toStrictEqual({ id: 'billing', name: 'Billing' });
  });

  it('when a handoff is requested on a conversation linked to a ticket and contact, then one note is written to HubSpot on both timelines', async () => {
    const c = await create({ ticketId: 1002, contactId: 102 });
    const res = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({ actor: 'ai-agent', reason: 'Customer asked for a human', team: { id: 't1', name: 'Tier 2' } });
    expect(res.status).toBe(200);
    await expectEventually(async () => {
      const audit = await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth);
      expect(audit.body.transitions[0].note).toMatchObject({ status: 'done', attempts: 1, lastError: null, hubspotNoteId: expect.any(String) });
    });
    const notes = (await stack.hub.state()).notes as { id: number; properties: Record<string, string> }[];
    const audit = await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth);
    const note = notes.find((x) => String(x.id) === audit.body.transitions[0].note.hubspotNoteId);
    expect(note?.properties.hs_note_body).toContain('Handoff to a human requested');
    expect(note?.properties.hs_note_body).toContain('by ai-agent via Switchboard API');
    expect(note?.properties.hs_note_body).toContain('Team: Tier 2');
    expect(note?.properties.hs_note_body).toContain('Reason: Customer asked for a human');
    const associations = (await stack.hub.state()).associations as { fromType: string; fromId: number; toType: string; toId: number }[];
    const linked = associations.filter((a) => a.fromType === 'notes' && a.fromId === note?.id).map((a) => `${a.toType}:${a.toId}`).sort();
    expect(linked).toStrictEqual(['contacts:102', 'tickets:1002']);
  });

  it('when a workflow pauses through the service, then a note is written; an API pause writes none', async () => {
    const c = await create({ ticketId: 1003 });
    const result = await stack.backend.services.conversations.pause(org.id, c.id, { source: 'workflow', actor: 'workflow:777', reason: 'VIP customer' });
    expect(result).toMatchObject({ changed: true, conversation: { aiState: 'paused' } });
    await expectEventually(async () => {
      const audit = await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth);
      expect(audit.body.transitions[0].note).toMatchObject({ status: 'done' });
    });
    const d = await create({ ticketId: 1003 });
    await api().post(`/api/v1/conversations/${d.id}/pause`).set('authorization', org.auth).send({});
    const audit = await api().get(`/api/v1/conversations/${d.id}/transitions`).set('authorization', org.auth);
    expect(audit.body.transitions[0].note).toBeNull();
  });

  it('when HubSpot fails the note write-back, then the state change stands at once and the note is retried until it is written', async () => {
    const c = await create({ ticketId: 1001 });
    await stack.hub.setFaults({ apiFailures: { remaining: 2, status: 502 } });
    try {
      const res = await api().post(`/api/v1/conversations/${c.id}/handoff`).set('authorization', org.auth).send({ reason: 'angry customer' });
      expect(res.status).toBe(200);
      expect(res.body.aiState).toBe('handoff_requested');
      await expectEventually(
        async () => {
          const audit = await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth);
          expect(audit.body.transitions[0].note).toMatchObject({ status: 'done', attempts: 3, lastError: null });
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    } finally {
      await stack.hub.clearFaults();
    }
    const posts = await stack.hub.requests({ method: 'POST', path: '/crm/objects/2026-03/notes' });
    expect(posts.filter((r) => r.status === 502)).toHaveLength(2);
  });

  it('when the conversations service is used concurrently on one conversation, then exactly one transition happens', async () => {
    const c = await create();
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.backend.services.conversations.pause(org.id, c.id, { source: 'card', actor: 'user:1' })));
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect((await eventsOf(c.id)).map((e) => e.type)).toStrictEqual(['ai.paused']);
  });

  it('when findByRecord and upsertByExternalId are called on the service, then they work without HTTP (for workflow actions)', async () => {
    const { conversation, created } = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'wf-1', ticketId: 424242 });
    expect(created).toBe(true);
    const found = await stack.backend.services.conversations.findByRecord(org.id, { ticketId: 424242 });
    expect(found.map((x) => x.id)).toStrictEqual([conversation.id]);
    expect((await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'wf-1' })).created).toBe(false);
  });
});

describe('/api/v1/settings', () => {
  let stack: HubSpotStack;
  beforeAll(async () => {
    stack = await startHubSpotStack({ workers: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the key is missing, then it is 401; otherwise defaults read back and a patch sticks; unknown keys are 400', async () => {
    expect((await request(stack.backend.app).get('/api/v1/settings')).status).toBe(401);
    const org = await createOrganization(stack.backend);
    const initial = await request(stack.backend.app).get('/api/v1/settings').set('authorization', org.auth);
    expect(initial.body).toStrictEqual({ pauseOnOwnerChange: true, updatedAt: null });
    const patched = await request(stack.backend.app).patch('/api/v1/settings').set('authorization', org.auth).send({ pauseOnOwnerChange: false });
    expect(patched.body).toMatchObject({ pauseOnOwnerChange: false, updatedAt: expect.any(String) });
    expect((await request(stack.backend.app).get('/api/v1/settings').set('authorization', org.auth)).body.pauseOnOwnerChange).toBe(false);
    const bad = await request(stack.backend.app).patch('/api/v1/settings').set('authorization', org.auth).send({ pauseOnOwnerChange: 'no', other: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toStrictEqual(['', 'pauseOnOwnerChange']);
  });
});
