// Acting as a help desk agent through the control routes, and what HubSpot then sends: the signed
// `OUTGOING_CHANNEL_MESSAGE_CREATED` / `CHANNEL_ACCOUNT_CREATED` events to the channel's webhook URL
// (verified with @hubspot/api-client's Signature), retried after a failure, and the app's
// `conversation.propertyChange` webhooks for the assignee and the close.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Signature } from '@hubspot/api-client';
import { http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';
import { eventually, startReceiver, type ReceivedRequest, type Receiver } from '../outbound/__support__/receiver.js';
import { EmulatorClientError } from '../../client.js';

let f: Fixture;
let receiver: Receiver;
let token: string;
let channelId: string;
let accountId: string;
let agentId: number;
let threadId: number;
const portal = 62515;
const base = () => `${f.emu.url}/conversations/custom-channels/2026-03`;
const dev = () => `?hapikey=${f.emu.app.developerApiKey}&appId=${f.emu.app.appId}`;
const channelHook = () => `${receiver.url}/hooks/channel`;
const channelRequests = () => receiver.requests.filter((r) => r.path === '/hooks/channel');
const appEvents = () => receiver.requests.filter((r) => r.path === '/hubspot/webhooks').flatMap((r) => JSON.parse(r.rawBody.toString()) as Record<string, unknown>[]);
// Webhooks arrive asynchronously; the generous deadline only matters on a loaded machine.
const soon = <T>(check: () => T | undefined | false) => eventually(check, 30_000);
const bodyOf = (r: ReceivedRequest) => JSON.parse(r.rawBody.toString()) as Record<string, unknown> & { message?: Record<string, unknown> };

function verified(r: ReceivedRequest): boolean {
  return Signature.isValid({
    signatureVersion: 'v3',
    method: 'POST',
    url: channelHook(),
    requestBody: r.rawBody.toString(),
    clientSecret: f.emu.app.clientSecret,
    timestamp: Number(r.headers['x-hubspot-request-timestamp']),
    signature: String(r.headers['x-hubspot-signature-v3']),
  });
}

beforeAll(async () => {
  receiver = await startReceiver();
  f = await startEmulator({ now: Date.now, webhooks: true, backendUrl: receiver.url });
  token = (await f.client.install(portal, { scopes: ['oauth', 'conversations.read', 'conversations.write', 'conversations.custom_channels.read', 'conversations.custom_channels.write'] })).access_token;
  agentId = (await f.client.createUser(portal, { email: 'agent@example.com', firstName: 'Ada', lastName: 'Agent' })).user.id;
  const channel = await http(`${base()}${dev()}`, {
    body: { name: 'Acme AI', webhookUrl: channelHook(), channelAccountConnectionRedirectUrl: `${receiver.url}/connect`, capabilities: { threadingModel: 'INTEGRATION_THREAD_ID', allowOutgoingMessages: true } },
  });
  channelId = (channel.body as { id: string }).id;
});
afterAll(async () => {
  await f.emu.stop();
  await receiver.close();
});

describe('channel account webhooks', () => {
  it('when an account is created, then CHANNEL_ACCOUNT_CREATED reaches the webhook URL signed v3', async () => {
    const res = await http(`${base()}/${channelId}/channel-accounts`, { token, body: { inboxId: '147959634', name: 'Support', authorized: true } });
    accountId = (res.body as { id: string }).id;
    const req = await soon(() => channelRequests().find((r) => bodyOf(r).type === 'CHANNEL_ACCOUNT_CREATED'));
    expect(verified(req)).toBe(true);
    expect(bodyOf(req)).toMatchObject({ type: 'CHANNEL_ACCOUNT_CREATED', portalId: String(portal), channelId, channelAccountId: accountId, eventId: expect.any(String), channelAccount: { id: accountId, inboxId: '147959634' } });
  });

  it('when the admin goes through HubSpot\'s connect flow, then the redirect carries the token and completing it creates the account', async () => {
    const { accountToken, redirectUrl } = await f.client.connectChannel(portal, channelId, { inboxId: '147959635' });
    expect(redirectUrl).toBe(`${receiver.url}/connect?accountToken=${accountToken}&portalId=${portal}&inboxId=147959635`);
    await http(`${base()}/${channelId}/channel-account-staging-tokens/${accountToken}`, { method: 'PATCH', token, body: { accountName: 'Help desk' } });
    const event = await soon(() => channelRequests().map(bodyOf).find((b) => b.type === 'CHANNEL_ACCOUNT_CREATED' && (b.channelAccount as { inboxId: string }).inboxId === '147959635'));
    expect(event.channelAccount).toMatchObject({ name: 'Help desk', authorized: true });
  });
});

describe('acting as an agent', () => {
  it('when the customer writes and the AI answers, then the inbox shows both in order with their senders', async () => {
    const publish = (over: Record<string, unknown>) =>
      http(`${base()}/${channelId}/messages`, {
        token,
        body: { channelAccountId: accountId, integrationThreadId: 'conv-7', messageDirection: 'INCOMING', text: 'Where is my parcel?', senders: [{ name: 'Carla', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'cust-7' } }], recipients: [], ...over },
      });
    threadId = Number(((await publish({ integrationIdempotencyId: 'a' })).body as { conversationsThreadId: string }).conversationsThreadId);
    await publish({ integrationIdempotencyId: 'b', messageDirection: 'OUTGOING', text: 'It left yesterday.', senders: [{ name: 'Acme AI', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme' } }], recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'cust-7' } }] });
    const thread = (await f.client.inboxThreads(portal)).find((t) => t.id === threadId);
    expect(thread).toMatchObject({ id: threadId, status: 'OPEN', assignee: null, channelId, channelAccountId: accountId });
    expect(thread?.messages.map((m) => [m.direction, m.sender.type, m.sender.name, m.text, m.status])).toStrictEqual([
      ['INCOMING', 'VISITOR', 'Carla', 'Where is my parcel?', 'RECEIVED'],
      ['OUTGOING', 'INTEGRATOR', 'Acme AI', 'It left yesterday.', 'SENT'],
    ]);
  });

  it('when an agent replies, then OUTGOING_CHANNEL_MESSAGE_CREATED carries the reply, and the reported status shows in the inbox', async () => {
    const reply = await f.client.agentReply(portal, threadId, { userId: agentId, text: 'I am taking over.' });
    expect(reply).toMatchObject({ direction: 'OUTGOING', sender: { actorId: `A-${agentId}`, type: 'AGENT', name: 'Ada Agent' }, status: null });
    const req = await soon(() => channelRequests().find((r) => bodyOf(r).type === 'OUTGOING_CHANNEL_MESSAGE_CREATED'));
    expect(verified(req)).toBe(true);
    expect(bodyOf(req)).toMatchObject({
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: String(portal),
      channelId,
      channelIntegrationThreadIds: ['conv-7'],
      message: {
        id: reply.id,
        conversationsThreadId: String(threadId),
        channelAccountId: accountId,
        direction: 'OUTGOING',
        text: 'I am taking over.',
        senders: [{ actorId: `A-${agentId}`, name: 'Ada Agent' }],
        recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'cust-7' } }],
      },
    });
    expect(bodyOf(req).message).not.toHaveProperty('status');
    await http(`${base()}/${channelId}/messages/${reply.id}`, { method: 'PATCH', token, body: { statusType: 'SENT' } });
    expect((await f.client.inboxThreads(portal)).find((t) => t.id === threadId)?.messages.at(-1)).toMatchObject({ id: reply.id, status: 'SENT' });
  });

  it('when a message is posted through the conversations API on the thread, then it goes to the channel too; a comment does not', async () => {
    const post = (body: Record<string, unknown>) => http(`${f.emu.url}/conversations/v3/conversations/threads/${threadId}/messages`, { token, body: { senderActorId: `A-${agentId}`, ...body } });
    const comment = await post({ type: 'COMMENT', text: 'Internal: customer is upset' });
    const sent = await post({ type: 'MESSAGE', text: 'Sent from the API', channelId, channelAccountId: accountId });
    expect([comment.status, sent.status]).toStrictEqual([201, 201]);
    const event = await soon(() => channelRequests().map(bodyOf).find((b) => b.message?.id === (sent.body as { id: string }).id));
    expect(event).toMatchObject({ type: 'OUTGOING_CHANNEL_MESSAGE_CREATED', channelIntegrationThreadIds: ['conv-7'], message: { text: 'Sent from the API', senders: [{ actorId: `A-${agentId}` }] } });
    // Events are recorded when they are sent, so a comment that went out would be listed by now.
    expect(f.emu.channelWebhooks.events().some((e) => (e.message as { id?: string } | undefined)?.id === (comment.body as { id: string }).id)).toBe(false);
  });

  it('when an agent is assigned, unassigned and the thread closed, then the app gets conversation.propertyChange for each', async () => {
    expect(await f.client.setInboxAssignee(portal, threadId, agentId)).toMatchObject({ assignee: agentId });
    expect(await f.client.setInboxAssignee(portal, threadId, null)).toMatchObject({ assignee: null });
    expect(await f.client.closeInboxThread(portal, threadId)).toMatchObject({ status: 'CLOSED' });
    const changes = await soon(() => {
      const found = appEvents().filter((e) => e.subscriptionType === 'conversation.propertyChange' && e.objectId === threadId);
      return found.length >= 3 ? found : undefined;
    });
    expect(changes.map((e) => [e.propertyName, e.propertyValue])).toStrictEqual([
      ['assignedTo', String(agentId)],
      ['assignedTo', ''],
      ['status', 'CLOSED'],
    ]);
  });

  it('when the webhook URL fails, then the event is retried with a fresh signature and delivered once', async () => {
    await f.client.reopenInboxThread(portal, threadId);
    receiver.respond((r) => (r.path === '/hooks/channel' ? { status: 500 } : {}));
    const before = channelRequests().length;
    const reply = await f.client.agentReply(portal, threadId, { userId: agentId, text: 'Are you there?' });
    // The failed attempt is logged once its answer came back and the retry is scheduled.
    await eventually(() => f.emu.channelWebhooks.deliveries().some((d) => d.outcome === 'retry') || undefined, 30_000);
    receiver.respond(() => ({}));
    expect(await f.client.retryChannelWebhooks()).toStrictEqual({ retried: 1 });
    await f.client.waitChannelWebhooksIdle(60_000);
    const attempts = channelRequests().slice(before);
    expect(attempts.map((r) => (bodyOf(r).message as { id: string }).id)).toStrictEqual([reply.id, reply.id]);
    expect(new Set(attempts.map((r) => bodyOf(r).eventId)).size).toBe(1);
    expect(attempts.every(verified)).toBe(true);
    const deliveries = (await f.client.channelWebhooks()).deliveries.filter((d) => d.eventId === bodyOf(attempts[0] as ReceivedRequest).eventId);
    expect(deliveries.map((d) => [d.attempt, d.ok, d.outcome])).toStrictEqual([[0, false, 'retry'], [1, true, 'done']]);
  });

  it('when the input is bad, then 4xx with { error: { code, message } } and nothing changes', async () => {
    const count = (await f.client.inboxThreads(portal)).find((t) => t.id === threadId)?.messages.length;
    for (const [call, status] of [
      [() => f.client.agentReply(portal, threadId, { userId: 999, text: 'x' }), 400],
      [() => f.client.agentReply(portal, threadId, { userId: agentId, text: '' }), 400],
      [() => f.client.agentReply(portal, 1, { userId: agentId, text: 'x' }), 404],
      [() => f.client.request('PUT', `/_emulator/portals/${portal}/inbox/threads/${threadId}/assignee`, { userId: 'me' }), 400],
    ] as const) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(EmulatorClientError);
      expect((error as EmulatorClientError).status).toBe(status);
      expect((error as EmulatorClientError).body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect((await f.client.inboxThreads(portal)).find((t) => t.id === threadId)?.messages.length).toBe(count);
  });
});
