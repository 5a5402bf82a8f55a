import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { signedHeaders } from '../../../../emulator/src/signing.js';
import { eventually } from '../../../../test/support/eventually.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { connectOrganization, inTransaction, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { REQUIRED_SCOPES } from '../../hubspot/scopes.js';

const DEVELOPER_KEY = 'devkey-helpdesk-int-test-0123456789';

describe('help desk (custom channel) against the emulator', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let n = 1;
  beforeAll(async () => {
    stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
    org = await connectOrganization(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const api = () => request(stack.backend.app);
  const conversation = async (body: Record<string, unknown> = {}) => {
    const res = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `hd-${n++}`, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const messagesOf = async (id: string) => (await api().get(`/api/v1/conversations/${id}/messages`).set('authorization', org.auth)).body as { threadId: string | null; messages: { status: string; text: string; attempts: number }[] };
  const allSent = async (id: string, count: number) =>
    (await eventually(
      async () => {
        const list = await messagesOf(id);
        return list.messages.length === count && list.messages.every((m) => m.status === 'sent') && list.threadId !== null ? list : undefined;
      },
      { timeoutMs: 30_000 },
    ))!;
  const feed = async () => ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { type: string; data: Record<string, unknown> }[] }).events;
  const signedWebhook = (payload: unknown) => {
    const body = JSON.stringify(payload);
    const url = `${stack.backendUrl}/hubspot/channel/webhooks`;
    const headers = signedHeaders({ method: 'POST', url, body, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
    return api().post('/hubspot/channel/webhooks').set(headers).set('content-type', 'application/json').send(body);
  };

  it('when the channel is registered twice, then HubSpot holds one channel with our webhook and connect URLs, updated the second time', async () => {
    const first = await stack.backend.services.helpdesk.registerChannel({});
    const second = await stack.backend.services.helpdesk.registerChannel({});
    expect(first.outcome).toBe('created');
    expect(second).toStrictEqual({ ...first, outcome: 'updated' });
    expect(first.webhookUrl).toBe(`${stack.backendUrl}/hubspot/channel/webhooks`);
    const listed = await fetch(`${stack.emulator.url}/conversations/custom-channels/2026-03?hapikey=${DEVELOPER_KEY}&appId=${stack.emulator.app.appId}`).then((r) => r.json() as Promise<{ results: { id: string; webhookUrl: string; channelAccountConnectionRedirectUrl: string; capabilities: Record<string, unknown> }[] }>);
    expect(listed.results).toHaveLength(1);
    expect(listed.results[0]).toMatchObject({ id: first.channelId, webhookUrl: first.webhookUrl, channelAccountConnectionRedirectUrl: `${stack.backendUrl}/hubspot/channel/connect` });
    expect(listed.results[0]!.capabilities).toMatchObject({ threadingModel: 'INTEGRATION_THREAD_ID', allowOutgoingMessages: true });
  });

  it('when a wrong developer key is used, then registration is refused as unauthorized', async () => {
    await expect(stack.backend.services.helpdesk.registerChannel({ developerApiKey: 'wrong-key' })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('when the organization picks an inbox, then the channel is connected to it and the state says so', async () => {
    const before = await api().get('/api/v1/helpdesk').set('authorization', org.auth);
    expect(before.body).toMatchObject({ state: 'ready_to_connect', missingScopes: [], account: null });
    const inboxes = await api().get('/api/v1/helpdesk/inboxes').set('authorization', org.auth);
    expect(inboxes.status).toBe(200);
    const helpDesk = (inboxes.body as { inboxes: { id: string; name: string }[] }).inboxes.find((i) => i.name === 'Help Desk')!;
    const connected = await api().post('/api/v1/helpdesk/connect').set('authorization', org.auth).send({ inboxId: helpDesk.id });
    expect(connected.status).toBe(200);
    expect(connected.body.account).toMatchObject({ inboxId: helpDesk.id, connectedVia: 'api' });
    const after = await api().get('/api/v1/helpdesk').set('authorization', org.auth);
    expect(after.body).toMatchObject({ state: 'connected', account: { inboxId: helpDesk.id } });
  });

  it('when HubSpot reports the account our own connect is storing at that moment, then it stays connected via the API', async () => {
    // The emulator reports a created account at once, so the report can be handled while the
    // connect that created it is still storing it. Forced here: a transaction stores the account
    // (uncommitted) as our connect does, the report arrives and waits on that row, then the store
    // commits. The report read no row before it waited; it must not then overwrite `api`.
    const portal = (await stack.hub.createPortal({ domain: 'report-race.example.com' })).portal;
    const raced = await connectOrganization(stack, portal.id, 'Report Race Co');
    const { channelId } = await stack.backend.services.helpdesk.registerChannel({});
    const account = { channelId, channelAccountId: `race-${portal.id}`, inboxId: '777', name: 'Race AI' };
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let stored!: () => void;
    const isStored = new Promise<void>((r) => (stored = r));
    const connect = inTransaction(stack.backend, async (trx) => {
      await sql`insert into helpdesk_channel_accounts (organization_id, portal_id, channel_id, channel_account_id, inbox_id, name, delivery_identifier, connected_via)
        values (${raced.id}, ${portal.id}, ${channelId}, ${account.channelAccountId}, ${account.inboxId}, ${account.name}, ${'race-delivery'}, 'api')`.execute(trx);
      stored();
      await released;
    });
    await isStored;
    const report = signedWebhook({ type: 'CHANNEL_ACCOUNT_CREATED', portalId: String(portal.id), ...account }).then((r) => r);
    await eventually(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(stack.backend.tdb.db);
      return rows[0]!.n > 0;
    });
    release();
    await connect;
    expect((await report).status).toBe(200);
    const status = await api().get('/api/v1/helpdesk').set('authorization', raced.auth);
    expect(status.body).toMatchObject({ state: 'connected', account: { channelAccountId: account.channelAccountId, connectedVia: 'api' } });
  });

  it('when the vendor posts a customer turn then an AI turn, then the thread holds both in order as incoming then outgoing, and the conversation shows the thread', async () => {
    const c = await conversation();
    const customer = await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'My order is late', customer: { email: 'pat@example.com', name: 'Pat Lee' } });
    expect(customer.status).toBe(202);
    const ai = await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'ai', text: 'Sorry! Let me check.' });
    expect(ai.status).toBe(202);
    const list = await allSent(c.id, 2);
    const thread = await stack.hub.threadMessages(org.portalId, Number(list.threadId));
    expect(thread.map((m) => [m.direction, m.text])).toStrictEqual([
      ['INCOMING', 'My order is late'],
      ['OUTGOING', 'Sorry! Let me check.'],
    ]);
    await eventually(async () => (await api().get(`/api/v1/conversations/${c.id}`).set('authorization', org.auth)).body.threadId === list.threadId);
  });

  it('when the same idempotency key is posted twice, then one message is stored and sent', async () => {
    const c = await conversation();
    const first = await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Hello', idempotencyKey: 'k-1' });
    const again = await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Hello', idempotencyKey: 'k-1' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(first.body.message.id);
    const list = await allSent(c.id, 1);
    expect(await stack.hub.threadMessages(org.portalId, Number(list.threadId))).toHaveLength(1);
  });

  it('when HubSpot answers 429s and 5xx, and a sent message is sent again after a lost answer, then every message reaches the thread exactly once, in order', async () => {
    const c = await conversation();
    await stack.hub.setFaults({ forced429: 2, apiFailures: { remaining: 3, status: 503 } });
    for (const text of ['one', 'two', 'three']) {
      const res = await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: text === 'two' ? 'ai' : 'customer', text });
      expect(res.status).toBe(202);
    }
    const list = await allSent(c.id, 3);
    await stack.hub.clearFaults();
    expect(list.messages.some((m) => m.attempts > 1)).toBe(true);
    // A worker that died after HubSpot stored the message but before recording it sends it again.
    await stack.backend.tdb.db.updateTable('helpdesk_messages').set({ status: 'pending' }).where('conversation_id', '=', c.id).execute();
    await stack.backend.services.helpdesk.sendPending(c.id);
    const thread = await stack.hub.threadMessages(org.portalId, Number(list.threadId));
    expect(thread.map((m) => m.text)).toStrictEqual(['one', 'two', 'three']);
  });

  it('when a signed agent reply is delivered twice, then one message.agent_reply is recorded, and an unsigned one is refused', async () => {
    const c = await conversation();
    await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Need a human' });
    const { threadId } = await allSent(c.id, 1);
    const agent = await stack.hub.postThreadMessage(org.portalId, Number(threadId), { text: 'Hi, I am Sam', direction: 'OUTGOING' });
    const event = {
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: String(org.portalId),
      channelId: '1',
      eventId: 'e-1',
      message: { id: agent.id, conversationsThreadId: String(threadId), text: 'Hi, I am Sam', richText: '<p>Hi, I am Sam</p>', senders: [{ actorId: 'A-42', name: 'Sam Agent' }], client: { clientType: 'HUBSPOT' } },
    };
    const first = await signedWebhook(event);
    const second = await signedWebhook(event);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ agentReplies: 1, duplicates: 0 });
    expect(second.body).toMatchObject({ agentReplies: 0, duplicates: 1 });
    const replies = (await feed()).filter((e) => e.type === 'message.agent_reply' && e.data.conversationId === c.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.data).toStrictEqual({ conversationId: c.id, threadId, messageId: agent.id, text: 'Hi, I am Sam', richText: '<p>Hi, I am Sam</p>', agent: { userId: '42', email: null, name: 'Sam Agent' } });
    const unsigned = await api().post('/hubspot/channel/webhooks').set('content-type', 'application/json').send(JSON.stringify(event));
    expect(unsigned.status).toBe(401);
  });

  it('when the thread is assigned then unassigned in HubSpot, then the AI is paused (hubspot-thread-assignee) and resumed', async () => {
    const c = await conversation();
    await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Anyone there?' });
    const { threadId } = await allSent(c.id, 1);
    const agent = (await stack.hub.users(org.portalId))[0]!;
    // The thread's creation is handled first (handled after the assignment, it would itself pause, as `assignment`).
    const handled = async () => ((await api().get('/api/v1/webhook-events').set('authorization', org.auth)).body as { events: { subscriptionType: string; objectId: string; status: string }[] }).events;
    await eventually(async () => (await handled()).some((e) => e.subscriptionType === 'conversation.creation' && e.objectId === threadId && e.status !== 'pending'), { timeoutMs: 30_000 });
    const transitions = async () => ((await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth)).body as { transitions: { to: string; source: string }[] }).transitions;
    await stack.hub.setInboxAssignee(org.portalId, Number(threadId), agent.id);
    await eventually(async () => (await transitions()).length === 1);
    await stack.hub.setInboxAssignee(org.portalId, Number(threadId), null);
    await eventually(async () => (await transitions()).length === 2, { timeoutMs: 30_000 });
    expect((await transitions()).map((t) => [t.to, t.source])).toStrictEqual([
      ['paused', 'hubspot-thread-assignee'],
      ['active', 'hubspot-thread-assignee'],
    ]);
  });

  it('when the thread\'s creation is handled after its assignment, then that pause too names hubspot-thread-assignee', async () => {
    const c = await conversation();
    await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Late creation' });
    const { threadId } = await allSent(c.id, 1);
    const agent = (await stack.hub.users(org.portalId))[0]!;
    const handled = async () => ((await api().get('/api/v1/webhook-events').set('authorization', org.auth)).body as { events: { subscriptionType: string; objectId: string; status: string }[] }).events;
    await eventually(async () => (await handled()).some((e) => e.subscriptionType === 'conversation.creation' && e.objectId === threadId && e.status !== 'pending'), { timeoutMs: 30_000 });
    const transitions = async () => ((await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth)).body as { transitions: { to: string; source: string }[] }).transitions;
    await stack.hub.setInboxAssignee(org.portalId, Number(threadId), agent.id);
    await eventually(async () => (await transitions()).length === 1, { timeoutMs: 30_000 });
    expect((await api().post(`/api/v1/conversations/${c.id}/resume`).set('authorization', org.auth).send({})).status).toBe(200);
    // HubSpot does not order its events: the thread's creation may be delivered after its assignment,
    // and then the thread it reads is already assigned.
    const body = JSON.stringify([{ eventId: 990_001, subscriptionId: 1, portalId: org.portalId, appId: stack.emulator.app.appId, occurredAt: Date.now(), subscriptionType: 'conversation.creation', attemptNumber: 0, objectId: Number(threadId), changeSource: 'CONVERSATIONS' }]);
    const url = `${stack.backendUrl}/hubspot/webhooks`;
    const headers = signedHeaders({ method: 'POST', url, body, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v3'] });
    expect((await api().post('/hubspot/webhooks').set(headers).set('content-type', 'application/json').send(body)).status).toBe(200);
    await eventually(async () => (await transitions()).length === 3, { timeoutMs: 30_000 });
    expect((await transitions()).map((t) => [t.to, t.source])).toStrictEqual([
      ['paused', 'hubspot-thread-assignee'],
      ['active', 'api'],
      ['paused', 'hubspot-thread-assignee'],
      ]);
    });

  it('when the thread is handed back to the channel\'s integration actor or a bot, then that counts as unassigned: the AI resumes', async () => {
    const c = await conversation();
    await api().post(`/api/v1/conversations/${c.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Still there?' });
    const { threadId } = await allSent(c.id, 1);
    const transitions = async () => ((await api().get(`/api/v1/conversations/${c.id}/transitions`).set('authorization', org.auth)).body as { transitions: { to: string; source: string; actor: string | null; reason: string | null }[] }).transitions;
    const assign = (userId: string) => inTransaction(stack.backend, (trx) => stack.backend.services.helpdesk.onAssigneeChanged(trx, org.id, { threadId: Number(threadId), userId, occurredAt: new Date() }));
    expect((await assign('A-77'))?.outcome).toBe('help-desk thread assigned: AI paused');
    expect((await assign(`I-${stack.emulator.app.appId}`))?.outcome).toBe('help-desk thread unassigned: AI resumed');
    expect((await assign('77'))?.outcome).toBe('help-desk thread assigned: AI paused');
    expect((await assign('B-4'))?.outcome).toBe('help-desk thread unassigned: AI resumed');
    expect((await transitions()).map((t) => [t.to, t.actor, t.reason])).toStrictEqual([
      ['paused', 'hubspot-user:77', 'The help-desk thread was assigned to a HubSpot user'],
      ['active', 'hubspot-thread-assignee', 'The help-desk thread was handed back to the channel or a bot'],
      ['paused', 'hubspot-user:77', 'The help-desk thread was assigned to a HubSpot user'],
      ['active', 'hubspot-thread-assignee', 'The help-desk thread was handed back to the channel or a bot'],
    ]);
  });

  it('when the portal lacks the channel scopes, then the state lists them, connecting and publishing are refused, and nothing reaches HubSpot', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'No Channel Scopes' });
    const tokens = await stack.hub.install(portal.id, { scopes: [...REQUIRED_SCOPES] });
    const { apiKey } = await connectWithTokens(stack.backend.services, portal.id, tokens, 'Scopeless');
    const auth = `Bearer ${apiKey}`;
    const state = await api().get('/api/v1/helpdesk').set('authorization', auth);
    expect(state.body).toMatchObject({ state: 'needs_scopes', missingScopes: ['conversations.custom_channels.read', 'conversations.custom_channels.write'] });
    const connect = await api().post('/api/v1/helpdesk/connect').set('authorization', auth).send({ inboxId: '1' });
    expect(connect.status).toBe(403);
    expect(connect.body.error.code).toBe('missing_scope');
    const c = await api().post('/api/v1/conversations').set('authorization', auth).send({ externalId: 'scopeless-1' });
    const publish = await api().post(`/api/v1/conversations/${c.body.id}/messages`).set('authorization', auth).send({ author: 'customer', text: 'hi' });
    expect(publish.status).toBe(403);
    expect(publish.body.error.message).toContain('conversations.custom_channels.write');
    expect(await stack.backend.tdb.db.selectFrom('helpdesk_messages').select('id').where('conversation_id', '=', c.body.id).execute()).toHaveLength(0);
  });
});
