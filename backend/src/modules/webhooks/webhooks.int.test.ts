// Processing, end to end over real ports: the emulator's CRM changes become signed webhook deliveries
// to the listening backend, whose pg-boss workers apply them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { eventually } from '../../../../test/support/eventually.js';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { INBOX_RETRY } from './process-batch.js';

const P = DEMO_PORTAL_ID;
const AGENT_USER = 1_000_002;
const ADMIN_OWNER = 51_000_001;
const AGENT_OWNER = 51_000_002;

describe('webhook processing (emulator → backend over HTTP)', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let nextExternal = 1;

  beforeAll(async () => {
    stack = await startHubSpotStack();
    org = await connectOrganization(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const api = () => request(stack.backend.app);
  const createConversation = async (links: Record<string, unknown>) => {
    const res = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `chat-${nextExternal++}`, ...links });
    expect(res.status).toBe(201);
    return res.body as { id: string; aiState: string };
  };
  const getConversation = async (id: string) => (await api().get(`/api/v1/conversations/${id}`).set('authorization', org.auth)).body as Record<string, unknown>;
  const feed = async () => ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { id: string; type: string; data: Record<string, unknown> }[] }).events;
  const eventsFor = async (conversationId: string, type?: string) => (await feed()).filter((e) => e.data.conversationId === conversationId && (type === undefined || e.type === type));
  const inbox = (where: { objectId: number; subscriptionType?: string }) =>
    stack.backend.tdb.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('object_id', '=', where.objectId)
      .$if(where.subscriptionType !== undefined, (q) => q.where('subscription_type', '=', where.subscriptionType as string))
      .orderBy('id')
      .execute();
  const flush = () => stack.hub.request('POST', '/_emulator/webhooks/flush', { timeoutMs: 20_000 });
  const newTicket = async (properties: Record<string, string> = {}) => (await stack.hub.createTicket(P, { properties: { subject: 'Help', hs_pipeline_stage: '1', ...properties } })).id;

  it('when a ticket owner is set in HubSpot, then the linked conversation pauses at that change and ai.paused says owner_change', async () => {
    const ticketId = await newTicket();
    const conversation = await createConversation({ ticketId: String(ticketId) });
    // The ticket's creation is handled first: handled after the owner is set, it would itself pause the
    // conversation ("created with an owner"), and this test is about the owner change.
    await expectEventually(async () => expect((await inbox({ objectId: ticketId, subscriptionType: 'ticket.creation' })).map((r) => r.status)).toStrictEqual(['processed']));
    await stack.hub.setTicketOwner(P, ticketId, AGENT_OWNER);

    await expectEventually(async () => expect((await getConversation(conversation.id)).aiState).toBe('paused'));
    const [paused, ...more] = await eventsFor(conversation.id, 'ai.paused');
    expect(more).toHaveLength(0);
    expect(paused?.data).toMatchObject({ source: 'owner_change', actor: `hubspot-owner:${AGENT_OWNER}`, ticketId: String(ticketId), aiState: 'paused', previousAiState: 'active' });
    const transitions = await stack.backend.tdb.db.selectFrom('conversation_transitions').selectAll().where('conversation_id', '=', conversation.id).orderBy('id').execute();
    expect(transitions.map((t) => [t.source, t.from_state, t.to_state, t.occurred_at.toISOString()])).toStrictEqual([['owner_change', 'active', 'paused', expect.any(String)]]);
    const transition = transitions[0];
    // The transition is dated by the webhook event that caused it (how fast is measured in bench/).
    // The fast path pauses before the inbox row is marked processed, so wait on the row's own state.
    const ownerChangeRows = async () => (await inbox({ objectId: ticketId, subscriptionType: 'ticket.propertyChange' })).filter((r) => r.property_name === 'hubspot_owner_id');
    await expectEventually(async () => expect((await ownerChangeRows()).map((r) => r.status)).toStrictEqual(['processed']));
    const ownerChange = await ownerChangeRows();
    expect(transition!.occurred_at.getTime()).toBe(ownerChange[0]!.occurred_at?.getTime());
    expect(transition!.created_at.getTime()).toBeGreaterThanOrEqual(transition!.occurred_at.getTime());
    const metrics = await api().get('/metrics').set('authorization', `Bearer ${stack.backend.config.adminApiKey}`);
    expect(metrics.text).toMatch(/switchboard_owner_change_to_pause_seconds_count\{source="owner_change"\} [1-9]/);
  });

  it('when a HubSpot conversation is assigned to a user, then the conversation linked to that thread pauses with source assignment', async () => {
    const thread = await stack.hub.createThread(P, { firstMessage: { text: 'Hello?' } });
    const conversation = await createConversation({ threadId: String(thread.id) });
    await stack.hub.assignThread(P, thread.id, AGENT_USER);

    await expectEventually(async () => expect((await getConversation(conversation.id)).aiState).toBe('paused'));
    const paused = await eventsFor(conversation.id, 'ai.paused');
    expect(paused).toHaveLength(1);
    expect(paused[0]?.data).toMatchObject({ source: 'assignment', actor: `hubspot-user:${AGENT_USER}`, threadId: String(thread.id) });
  });

  it('when the organization turned pause_on_owner_change off, then an owner change pauses nothing', async () => {
    const ticketId = await newTicket();
    const conversation = await createConversation({ ticketId: String(ticketId) });
    const off = await api().patch('/api/v1/settings').set('authorization', org.auth).send({ pauseOnOwnerChange: false });
    expect(off.status).toBe(200);
    try {
      await stack.hub.setTicketOwner(P, ticketId, AGENT_OWNER);
      await expectEventually(async () => {
        const [row] = await inbox({ objectId: ticketId, subscriptionType: 'ticket.propertyChange' });
        expect(row).toMatchObject({ status: 'processed', outcome: 'pause on owner change is off' });
      });
      // The events first: if anything paused the conversation, the failure shows its ai.paused data
      // (source, actor, reason). Seen once in a full run at load ~9; not reproduced since.
      expect(await eventsFor(conversation.id)).toStrictEqual([]);
      expect((await getConversation(conversation.id)).aiState).toBe('active');
    } finally {
      await api().patch('/api/v1/settings').set('authorization', org.auth).send({ pauseOnOwnerChange: true });
    }
  });

  it('when deliveries are duplicated and reordered, then several owner changes make exactly one transition and each event is stored once', async () => {
    const ticketId = await newTicket();
    const conversation = await createConversation({ ticketId: String(ticketId) });
    // The ticket's creation event leaves before duplication is on; only the owner changes count below.
    await flush();
    await stack.hub.request('POST', '/_emulator/webhooks/knobs', { duplicate: true, reorder: true });
    try {
      await stack.hub.setTicketOwner(P, ticketId, AGENT_OWNER);
      await stack.hub.setTicketOwner(P, ticketId, ADMIN_OWNER);
      await stack.hub.setTicketOwner(P, ticketId, AGENT_OWNER);
      await flush();
    } finally {
      await stack.hub.request('POST', '/_emulator/webhooks/knobs', { duplicate: false, reorder: false });
    }
    const { deliveries } = await stack.hub.request<{ deliveries: { eventIds: number[]; duplicate: boolean; ok: boolean }[] }>('GET', `/_emulator/webhooks/deliveries?portalId=${P}`);
    const published = await stack.hub.request<{ events: { eventId: number; objectId: number; subscriptionType: string; propertyName?: string }[] }>('GET', `/_emulator/webhooks/events?portalId=${P}`);
    const ownerEventIds = published.events.filter((e) => e.objectId === ticketId && e.subscriptionType === 'ticket.propertyChange' && e.propertyName === 'hubspot_owner_id').map((e) => e.eventId);
    expect(ownerEventIds).toHaveLength(3);
    const timesDelivered = ownerEventIds.map((id) => deliveries.filter((d) => d.ok && d.eventIds.includes(id)).length);
    expect(timesDelivered).toStrictEqual([2, 2, 2]);

    await expectEventually(async () => {
      const rows = await inbox({ objectId: ticketId, subscriptionType: 'ticket.propertyChange' });
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.status !== 'pending')).toBe(true);
    });
    expect((await getConversation(conversation.id)).aiState).toBe('paused');
    expect(await eventsFor(conversation.id, 'ai.paused')).toHaveLength(1);
    const transitions = await stack.backend.tdb.db.selectFrom('conversation_transitions').select('id').where('conversation_id', '=', conversation.id).execute();
    expect(transitions).toHaveLength(1);
  });

  it('when an older owner change arrives after a newer one, then it is ignored as stale', async () => {
    const ticketId = await newTicket();
    const conversation = await createConversation({ ticketId: String(ticketId) });
    const t = Date.now();
    // Newer: the owner was cleared at t. Older: an owner was set at t - 5 s, delivered afterwards.
    const change = { portalId: P, subscriptionType: 'ticket.propertyChange', objectId: ticketId, propertyName: 'hubspot_owner_id', changeSource: 'CRM_UI' };
    await stack.hub.request('POST', '/_emulator/webhooks/publish', { ...change, occurredAt: t, propertyValue: '' });
    await flush();
    await expectEventually(async () => expect((await inbox({ objectId: ticketId }))[0]?.status).toBe('processed'));
    await stack.hub.request('POST', '/_emulator/webhooks/publish', { ...change, occurredAt: t - 5_000, propertyValue: String(AGENT_OWNER) });
    await flush();

    await expectEventually(async () => {
      const rows = await inbox({ objectId: ticketId, subscriptionType: 'ticket.propertyChange' });
      expect(rows.map((r) => [r.property_value, r.status, r.outcome])).toStrictEqual([
        ['', 'processed', 'cleared: nothing to pause'],
        [String(AGENT_OWNER), 'ignored', 'stale: a newer change was already applied'],
      ]);
    });
    expect((await getConversation(conversation.id)).aiState).toBe('active');
    expect(await eventsFor(conversation.id)).toHaveLength(0);
  });

  it('when events come for a portal no organization connected, then they are stored as unroutable', async () => {
    await stack.hub.request('POST', '/_emulator/webhooks/publish', { portalId: 999_001, subscriptionType: 'ticket.deletion', objectId: 5, occurredAt: Date.now() });
    await flush();
    await expectEventually(async () => {
      const rows = await stack.backend.tdb.db.selectFrom('webhook_events').selectAll().where('portal_id', '=', 999_001).execute();
      expect(rows.map((r) => [r.status, r.outcome, r.organization_id])).toStrictEqual([['unroutable', 'unknown portal', null]]);
    });
  });

  it('when a linked ticket or contact is deleted, then the conversation is unlinked from it', async () => {
    const ticketId = await newTicket();
    const contact = await stack.hub.createContact(P, { properties: { email: `del-${Date.now()}@example.com` } });
    const conversation = await createConversation({ ticketId: String(ticketId), contactId: String(contact.id) });
    await stack.hub.deleteTicket(P, ticketId);
    await stack.hub.deleteContact(P, contact.id);
    await expectEventually(async () => expect(await getConversation(conversation.id)).toMatchObject({ ticketId: null, contactId: null, aiState: 'active' }));
  });

  it('when the linked HubSpot thread is closed, then the conversation records it and conversation.closed is emitted', async () => {
    const thread = await stack.hub.createThread(P, { firstMessage: { text: 'Thanks, bye' } });
    const conversation = await createConversation({ threadId: String(thread.id) });
    await stack.hub.closeThread(P, thread.id);
    await expectEventually(async () => expect((await getConversation(conversation.id)).threadStatus).toBe('CLOSED'));
    expect((await eventsFor(conversation.id, 'conversation.closed')).map((e) => e.data.threadId)).toStrictEqual([String(thread.id)]);
  });

  it('when a human agent replies on the linked thread, then the AI pauses; a customer message does not', async () => {
    const thread = await stack.hub.createThread(P, { firstMessage: { text: 'Anyone there?' } });
    const conversation = await createConversation({ threadId: String(thread.id) });
    await stack.hub.postThreadMessage(P, thread.id, { text: 'Still there?' });
    await flush();
    await expectEventually(async () => {
      const rows = await inbox({ objectId: thread.id, subscriptionType: 'conversation.newMessage' });
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((r) => r.status === 'processed')).toBe(true);
    });
    expect((await getConversation(conversation.id)).aiState).toBe('active');
    await stack.hub.postThreadMessage(P, thread.id, { text: 'Hi, Sam here, I will take it from here.', direction: 'OUTGOING', senderActorId: `A-${AGENT_USER}` });
    await expectEventually(async () => expect((await getConversation(conversation.id)).aiState).toBe('paused'));
    expect((await eventsFor(conversation.id, 'ai.paused'))[0]?.data).toMatchObject({ source: 'assignment', actor: `hubspot-user:${AGENT_USER}` });
  });

  it('when a ticket is created already owned and a conversation was linked to it first, then the owner is read from HubSpot and the AI pauses', async () => {
    await stack.hub.request('POST', '/_emulator/webhooks/pause');
    let ticketId: number;
    let conversation: { id: string };
    try {
      ticketId = await newTicket({ hubspot_owner_id: String(AGENT_OWNER) });
      conversation = await createConversation({ ticketId: String(ticketId) });
    } finally {
      await stack.hub.request('POST', '/_emulator/webhooks/resume');
    }
    await expectEventually(async () => expect((await getConversation(conversation.id)).aiState).toBe('paused'));
    const reads = await stack.hub.requests({ method: 'GET', path: `/crm/objects/2026-03/tickets/${ticketId}` });
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('when processing keeps failing, then the event is retried with backoff and parked as dead with its error, visible in the API', async () => {
    // A short retry schedule for this test (configuration, read at each failure).
    INBOX_RETRY.maxAttempts = 3;
    await stack.hub.request('POST', '/_emulator/webhooks/pause');
    let ticketId: number;
    try {
      ticketId = await newTicket({ hubspot_owner_id: String(AGENT_OWNER) });
      await createConversation({ ticketId: String(ticketId) });
      await stack.hub.setFaults({ apiFailures: { remaining: 1_000, status: 503 } });
    } finally {
      await stack.hub.request('POST', '/_emulator/webhooks/resume');
    }
    try {
      const dead = await eventually(
        async () => {
          const res = await api().get('/api/v1/webhook-events?status=dead').set('authorization', org.auth);
          const found = (res.body.events as { objectId: string; subscriptionType: string }[]).find((e) => e.objectId === String(ticketId) && e.subscriptionType === 'ticket.creation');
          expect(found).toBeDefined();
          return found as unknown as Record<string, unknown>;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(dead).toMatchObject({ status: 'dead', outcome: 'retries exhausted', attempts: 3 });
      expect(String(dead.lastError)).toMatch(/^hubspot_unavailable: /);
      const attempts = await stack.hub.requests({ method: 'GET', path: `/crm/objects/2026-03/tickets/${ticketId}` });
      expect(attempts).toHaveLength(3);
      const metrics = await api().get('/metrics').set('authorization', `Bearer ${stack.backend.config.adminApiKey}`);
      expect(metrics.text).toMatch(/switchboard_webhook_dead_events_total [1-9]/);
      expect(metrics.text).toMatch(/switchboard_webhook_dead_events [1-9]/);
    } finally {
      await stack.hub.clearFaults();
      INBOX_RETRY.maxAttempts = 6;
    }
  }, 45_000);

  it('when the inbox is read by another organization, then it sees none of these events', async () => {
    const { apiKey } = await stack.backend.services.organizations.createOrganization({ name: 'Other' });
    const res = await api().get('/api/v1/webhook-events').set('authorization', `Bearer ${apiKey}`);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ events: [] });
    const count = await sql<{ n: number }>`select count(*)::int as n from webhook_events where organization_id = ${org.id}`.execute(stack.backend.tdb.db);
    expect(count.rows[0]!.n).toBeGreaterThan(0);
  });
});
