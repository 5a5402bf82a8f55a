// The help-desk story end to end over real ports: the backend (with its workers) and the emulator,
// HubSpot's custom channel in between. Connect with the channel scopes and connect the channel to the
// emulator's help desk through HubSpot's own connect flow; the vendor posts a customer turn and an AI
// answer; an agent takes the thread (ai.paused), replies (message.agent_reply in the feed and a
// signed push), the vendor reports delivery (SENT in HubSpot), the agent closes the thread (the
// conversation is closed); on another conversation the AI requests a handoff (an internal comment with
// the reason and the team on its thread).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { signatureValid, startVendorEndpoint } from '../support/vendor-endpoint.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';

const DEVELOPER_KEY = 'devkey-helpdesk-e2e-0123456789abcdef';

describe('help desk story (emulator)', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let vendor: Awaited<ReturnType<typeof startVendorEndpoint>>;
  beforeAll(async () => {
    stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
    vendor = await startVendorEndpoint();
  }, 60_000);
  afterAll(async () => {
    await vendor?.close();
    await stack?.stop();
  });
  const api = () => request(stack.backend.app);
  const feed = async () => ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { type: string; data: Record<string, unknown> }[] }).events;
  const eventOf = async (type: string, conversationId: string) => (await eventually(async () => (await feed()).find((e) => e.type === type && e.data.conversationId === conversationId), { timeoutMs: 30_000 }))!;

  it('runs the whole story: connect, mirror in order, takeover pauses, agent reply reaches the vendor, delivery shows SENT, closing closes, a handoff request comments on the thread', async () => {
    // 1. Connect with the channel scopes (the app's default grant includes its optional scopes), register
    //    the channel, and connect it to the help desk through HubSpot's own flow.
    org = await connectOrganization(stack, DEMO_PORTAL_ID, 'Help Desk Co');
    const { channelId } = await stack.backend.services.helpdesk.registerChannel({});
    expect((await api().get('/api/v1/helpdesk').set('authorization', org.auth)).body).toMatchObject({ state: 'ready_to_connect', missingScopes: [] });
    const helpDesk = ((await api().get('/api/v1/helpdesk/inboxes').set('authorization', org.auth)).body as { inboxes: { id: string; name: string }[] }).inboxes.find((i) => i.name === 'Help Desk')!;
    const flow = await stack.hub.connectChannel(org.portalId, channelId, { inboxId: helpDesk.id });
    expect(flow.redirectUrl.startsWith(`${stack.backendUrl}/hubspot/channel/connect?`)).toBe(true);
    const landed = await fetch(flow.redirectUrl);
    expect(landed.status).toBe(200);
    await eventually(async () => (await api().get('/api/v1/helpdesk').set('authorization', org.auth)).body.state === 'connected', { timeoutMs: 30_000 });
    const destination = await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url: vendor.url });
    const secret = destination.body.secret as string;

    // 2. The vendor posts a customer turn and the AI's answer: both land in one thread, in order.
    const conversation = (await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'chat-777' })).body as { id: string };
    expect((await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Where is my parcel?', customer: { email: 'robin@example.com', name: 'Robin Park' } })).status).toBe(202);
    expect((await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'ai', text: 'It left the depot this morning.' })).status).toBe(202);
    const threadId = await eventually(async () => {
      const list = (await api().get(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth)).body as { threadId: string | null; messages: { status: string }[] };
      return list.messages.every((m) => m.status === 'sent') ? list.threadId : null;
    }, { timeoutMs: 30_000 });
    const thread = async () => (await stack.hub.inboxThreads(org.portalId)).find((t) => t.id === Number(threadId))!;
    expect((await thread()).inboxId).toBe(helpDesk.id);
    expect((await thread()).messages.map((m) => [m.direction, m.sender.type, m.text])).toStrictEqual([
      ['INCOMING', 'VISITOR', 'Where is my parcel?'],
      ['OUTGOING', 'INTEGRATOR', 'It left the depot this morning.'],
    ]);
    expect((await api().get(`/api/v1/conversations/${conversation.id}`).set('authorization', org.auth)).body.threadId).toBe(threadId);

    // 3. An agent takes the thread: the AI is paused, because of the thread's assignee.
    const agent = (await stack.hub.users(org.portalId))[0]!;
    await stack.hub.setInboxAssignee(org.portalId, Number(threadId), agent.id);
    const paused = await eventOf('ai.paused', conversation.id);
    expect(paused.data).toMatchObject({ source: 'hubspot-thread-assignee', actor: `hubspot-user:${agent.id}`, threadId });

    // 4. The agent replies: `message.agent_reply` in the feed and as a signed push.
    const reply = await stack.hub.agentReply(org.portalId, Number(threadId), { userId: agent.id, text: 'Hi Robin, I have it from here.' });
    const replied = await eventOf('message.agent_reply', conversation.id);
    expect(replied.data).toMatchObject({ conversationId: conversation.id, threadId, messageId: reply.id, text: 'Hi Robin, I have it from here.', agent: { userId: String(agent.id) } });
    const pushed = (await eventually(() => vendor.received.find((p) => p.headers['x-switchboard-event-type'] === 'message.agent_reply'), { timeoutMs: 30_000 }))!;
    expect(signatureValid(secret, pushed)).toBe(true);
    expect(JSON.parse(pushed.body)).toMatchObject({ type: 'message.agent_reply', data: { messageId: reply.id } });

    // 5. The vendor delivered it to the customer: HubSpot shows SENT on the agent's message.
    const delivery = await api().post(`/api/v1/conversations/${conversation.id}/messages/${reply.id}/delivery`).set('authorization', org.auth).send({ status: 'sent' });
    expect(delivery.status).toBe(200);
    expect((await thread()).messages.find((m) => m.id === reply.id)!.status).toBe('SENT');

    // 6. The agent closes the thread: the conversation is closed.
    await stack.hub.closeInboxThread(org.portalId, Number(threadId));
    const closed = await eventOf('conversation.closed', conversation.id);
    expect(closed.data).toMatchObject({ conversationId: conversation.id, threadId });
    expect((await api().get(`/api/v1/conversations/${conversation.id}`).set('authorization', org.auth)).body.threadStatus).toBe('CLOSED');

    // 7. On another conversation the AI asks for a person: its thread shows an internal comment with the
    //    reason and the team asked, after the customer's turn; the customer's channel never gets it.
    const second = (await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'chat-778' })).body as { id: string };
    expect((await api().post(`/api/v1/conversations/${second.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'I want a refund', customer: { email: 'sam@example.com' } })).status).toBe(202);
    const secondThread = (await eventually(async () => ((await api().get(`/api/v1/conversations/${second.id}/messages`).set('authorization', org.auth)).body as { threadId: string | null }).threadId ?? undefined, { timeoutMs: 30_000 }))!;
    const handoff = await api().post(`/api/v1/conversations/${second.id}/handoff`).set('authorization', org.auth).send({ reason: 'Refunds need a person', team: { id: '12', name: 'Billing' } });
    expect(handoff.body).toMatchObject({ aiState: 'handoff_requested' });
    const commented = (await eventually(async () => {
      const t = (await stack.hub.inboxThreads(org.portalId)).find((x) => x.id === Number(secondThread));
      return t && t.messages.some((m) => m.type === 'COMMENT') ? t : undefined;
    }, { timeoutMs: 30_000 }))!;
    expect(commented.messages.map((m) => [m.type, m.sender.type])).toStrictEqual([
      ['MESSAGE', 'VISITOR'],
      ['COMMENT', 'INTEGRATOR'],
    ]);
    expect(commented.messages[1]!.text).toMatch(/Reason: Refunds need a person\nTeam asked: Billing \(HubSpot team 12\)/);
    expect(stack.emulator.channelWebhooks.events().some((e) => (e.message as { type?: string } | undefined)?.type === 'COMMENT')).toBe(false);
  }, 120_000);
});
