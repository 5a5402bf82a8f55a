// The custom channels API (2026-03) as the backend calls it: developer-key registration, channel
// accounts and staging tokens with a portal's OAuth token, publishing with idempotency, delivery
// status, scopes and injected faults.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
let token: string;
let channelId: string;
let accountId: string;
const portal = 62515;
const base = () => `${f.emu.url}/conversations/custom-channels/2026-03`;
const dev = (extra = '') => `?hapikey=${f.emu.app.developerApiKey}&appId=${f.emu.app.appId}${extra}`;
const scopes = ['oauth', 'conversations.read', 'conversations.custom_channels.read', 'conversations.custom_channels.write', 'crm.objects.contacts.write'];
const channelBody = {
  name: 'Acme AI',
  webhookUrl: 'http://127.0.0.1:9/hooks/channel',
  channelAccountConnectionRedirectUrl: 'http://127.0.0.1:9/connect/channel',
  capabilities: { threadingModel: 'INTEGRATION_THREAD_ID', allowOutgoingMessages: true, richText: ['HYPERLINK'], deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'] },
};
const publishBody = (over: Record<string, unknown> = {}) => ({
  channelAccountId: accountId,
  messageDirection: 'INCOMING',
  integrationThreadId: 'conv-1',
  integrationIdempotencyId: 'turn-1',
  text: 'Hello, my order is late',
  senders: [{ name: 'Carla Customer', deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: 'carla@example.com' } }],
  recipients: [],
  attachments: [],
  timestamp: '2026-11-02T09:00:00Z',
  ...over,
});

beforeAll(async () => {
  f = await startEmulator();
  token = (await f.client.install(portal, { scopes })).access_token;
});
afterAll(async () => {
  await f.emu.stop();
});

describe('channel registration (developer API key)', () => {
  it('when the developer key is missing or wrong, then 401 and no channel is registered', async () => {
    expect((await http(`${base()}?appId=${f.emu.app.appId}`, { body: channelBody })).status).toBe(401);
    const wrong = await http(`${base()}?hapikey=not-the-key&appId=${f.emu.app.appId}`, { body: channelBody });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-key');
    expect((await http(`${base()}${dev()}`)).body).toMatchObject({ results: [], total: 0 });
  });

  it('when the app id is missing, then 400', async () => {
    const res = await http(`${base()}?hapikey=${f.emu.app.developerApiKey}`, { body: channelBody });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('when registered, then it is listed, readable and updatable', async () => {
    const res = await http(`${base()}${dev()}`, { body: channelBody });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({ id: expect.any(String), createdAt: '2026-11-02T09:00:00.000Z', ...channelBody });
    channelId = (res.body as { id: string }).id;
    expect((await http(`${base()}${dev()}`)).body).toMatchObject({ results: [{ id: channelId, name: 'Acme AI' }], total: 1 });
    const patched = await http(`${base()}/${channelId}${dev()}`, { method: 'PATCH', body: { ...channelBody, channelDescription: 'AI support' } });
    expect(patched.body).toMatchObject({ id: channelId, channelDescription: 'AI support' });
    expect((await http(`${base()}/${channelId}${dev()}`)).body).toMatchObject({ channelDescription: 'AI support' });
  });

  it('when a portal OAuth token is used for registration, then 401', async () => {
    expect((await http(`${base()}`, { token, body: channelBody })).status).toBe(401);
  });
});

describe('channel accounts', () => {
  it('when the token lacks the custom channel scopes, then 403 MISSING_SCOPES', async () => {
    const plain = await f.client.install(portal, { scopes: ['oauth', 'conversations.read'] });
    const res = await http(`${base()}/${channelId}/channel-accounts`, { token: plain.access_token, body: { inboxId: '147959634', name: 'Support', authorized: true } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ category: 'MISSING_SCOPES' });
    expect((await http(`${base()}/${channelId}/channel-accounts`, { token })).body).toMatchObject({ results: [], total: 0 });
  });

  it('when a private app token is used, then 401 (custom channels are not for legacy private apps)', async () => {
    const pat = await f.client.createPrivateAppToken(portal, { scopes });
    expect((await http(`${base()}/${channelId}/channel-accounts`, { token: pat.token })).status).toBe(401);
  });

  it('when the inbox list is read, then the portal has an inbox and a help desk', async () => {
    const res = await http(`${f.emu.url}/conversations/v3/conversations/inboxes`, { token });
    expect(res.body).toMatchObject({ total: 2, results: [{ id: '147959634', type: 'INBOX' }, { id: '147959635', type: 'HELP_DESK' }] });
  });

  it('when an account is created, then it is listed, readable and updatable', async () => {
    const res = await http(`${base()}/${channelId}/channel-accounts`, {
      token,
      body: { inboxId: '147959634', name: 'Support', authorized: true, deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-support' } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      id: expect.any(String),
      channelId,
      inboxId: '147959634',
      name: 'Support',
      active: true,
      authorized: true,
      archived: false,
      createdAt: '2026-11-02T09:00:00.000Z',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-support' },
    });
    accountId = (res.body as { id: string }).id;
    expect((await http(`${base()}/${channelId}/channel-accounts/${accountId}`, { token })).body).toMatchObject({ id: accountId });
    const renamed = await http(`${base()}/${channelId}/channel-accounts/${accountId}`, { method: 'PATCH', token, body: { name: 'Support desk' } });
    expect(renamed.body).toMatchObject({ name: 'Support desk', authorized: true });
  });

  it('when the inbox does not exist, then 404 and nothing is created', async () => {
    const res = await http(`${base()}/${channelId}/channel-accounts`, { token, body: { inboxId: '1', name: 'X', authorized: true } });
    expect(res.status).toBe(404);
    expect((await http(`${base()}/${channelId}/channel-accounts`, { token })).body).toMatchObject({ total: 1 });
  });

  it('when a staging token from the connect flow is completed, then it becomes an account in the chosen inbox', async () => {
    const staging = await f.client.connectChannel(portal, channelId, { inboxId: '147959635' });
    expect(new URL(staging.redirectUrl).searchParams.get('accountToken')).toBe(staging.accountToken);
    const refused = await http(`${base()}/${channelId}/channel-account-staging-tokens/${staging.accountToken}`, { method: 'PATCH', token, body: {} });
    expect(refused.status).toBe(400);
    const res = await http(`${base()}/${channelId}/channel-account-staging-tokens/${staging.accountToken}`, {
      method: 'PATCH',
      token,
      body: { accountName: 'Help desk AI', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-hd' } },
    });
    expect(res.body).toMatchObject({ accountToken: staging.accountToken, genericChannelId: Number(channelId), inboxId: 147959635, accountName: 'Help desk AI' });
    const accounts = (await http(`${base()}/${channelId}/channel-accounts`, { token })).body as { results: { inboxId: string; name: string }[] };
    expect(accounts.results.map((a) => [a.inboxId, a.name])).toStrictEqual([['147959634', 'Support desk'], ['147959635', 'Help desk AI']]);
  });
});

describe('messages', () => {
  let messageId: string;

  it('when a message is published, then it lands in a thread of the account inbox with the contact', async () => {
    const res = await http(`${base()}/${channelId}/messages`, { token, body: publishBody() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'MESSAGE',
      conversationsThreadId: expect.any(String),
      channelId,
      channelAccountId: accountId,
      direction: 'INCOMING',
      text: 'Hello, my order is late',
      senders: [{ name: 'Carla Customer', deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: 'carla@example.com' } }],
      status: { statusType: 'RECEIVED' },
      client: { clientType: 'INTEGRATION', integrationAppId: f.emu.app.appId },
    });
    messageId = (res.body as { id: string }).id;
    const threadId = Number((res.body as { conversationsThreadId: string }).conversationsThreadId);
    const thread = (await f.client.threads(portal)).find((t) => t.id === threadId);
    const contact = (await f.client.contacts(portal)).find((c) => c.properties.email === 'carla@example.com');
    expect(thread).toMatchObject({ inboxId: '147959634', originalChannelId: channelId, originalChannelAccountId: accountId, associatedContactId: contact?.id });
  });

  it('when the same integrationIdempotencyId is published again, then the first message is returned and nothing is added', async () => {
    const before = (await f.client.threads(portal)).flatMap((t) => t.messages).length;
    const again = await http(`${base()}/${channelId}/messages`, { token, body: publishBody({ text: 'changed' }) });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: messageId, text: 'Hello, my order is late' });
    expect((await f.client.threads(portal)).flatMap((t) => t.messages).length).toBe(before);
  });

  it('when the AI answer is published on the same integration thread, then it joins that thread in order', async () => {
    const res = await http(`${base()}/${channelId}/messages`, {
      token,
      body: publishBody({ messageDirection: 'OUTGOING', integrationIdempotencyId: 'turn-2', text: 'Let me check.', senders: [{ name: 'Acme AI', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-support' } }], recipients: [{ deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: 'carla@example.com' } }] }),
    });
    expect(res.body).toMatchObject({ direction: 'OUTGOING', status: { statusType: 'SENT' }, createdBy: `I-${f.emu.app.appId}` });
    const first = await http(`${base()}/${channelId}/messages/${messageId}`, { token });
    expect((res.body as { conversationsThreadId: string }).conversationsThreadId).toBe((first.body as { conversationsThreadId: string }).conversationsThreadId);
  });

  it('when the integration thread id is missing on an INTEGRATION_THREAD_ID channel, then 400 and nothing is written', async () => {
    const before = (await f.client.threads(portal)).length;
    const res = await http(`${base()}/${channelId}/messages`, { token, body: publishBody({ integrationThreadId: undefined, integrationIdempotencyId: 'turn-x' }) });
    expect(res.status).toBe(400);
    expect((await f.client.threads(portal)).length).toBe(before);
  });

  it('when the delivery status is reported, then the message shows it', async () => {
    const sent = await http(`${base()}/${channelId}/messages/${messageId}`, { method: 'PATCH', token, body: { statusType: 'READ' } });
    expect(sent.body).toMatchObject({ id: messageId, status: { statusType: 'READ' } });
    const failed = await http(`${base()}/${channelId}/messages/${messageId}`, { method: 'PATCH', token, body: { statusType: 'FAILED', errorMessage: 'carrier refused' } });
    expect(failed.body).toMatchObject({ status: { statusType: 'FAILED', failureDetails: { errorMessage: 'carrier refused' } } });
    expect((await http(`${base()}/${channelId}/messages/${messageId}`, { method: 'PATCH', token, body: { statusType: 'DELIVERED' } })).status).toBe(400);
  });

  it('when the token may only read custom channels, then publishing is 403 and nothing is written', async () => {
    const readOnly = await f.client.install(portal, { scopes: ['oauth', 'conversations.custom_channels.read'] });
    const res = await http(`${base()}/${channelId}/messages`, { token: readOnly.access_token, body: publishBody({ integrationIdempotencyId: 'turn-ro' }) });
    expect(res.status).toBe(403);
    expect(f.emu.state.ctx.data.customChannels.idempotency.has(`${channelId}:turn-ro`)).toBe(false);
  });

  it('when a 429 and a 500 are injected, then publishing fails without writing and the retry lands once', async () => {
    const count = () => f.emu.state.ctx.data.customChannels.messages.size;
    const before = count();
    await f.client.setFaults({ forced429: 1, apiFailures: { remaining: 1, status: 503 } });
    const body = publishBody({ integrationIdempotencyId: 'turn-3', text: 'Still there?' });
    expect((await http(`${base()}/${channelId}/messages`, { token, body })).status).toBe(429);
    expect((await http(`${base()}/${channelId}/messages`, { token, body })).status).toBe(503);
    expect(count()).toBe(before);
    expect((await http(`${base()}/${channelId}/messages`, { token, body })).status).toBe(201);
    expect((await http(`${base()}/${channelId}/messages`, { token, body })).status).toBe(201);
    expect(count()).toBe(before + 1);
  });

  it('when the answer to a publish is lost after the write, then the retry with the same idempotency id gets the stored message', async () => {
    const count = () => f.emu.state.ctx.data.customChannels.messages.size;
    const before = count();
    await f.client.setChannelFaults({ lostPublishAnswers: 1 });
    const body = publishBody({ integrationIdempotencyId: 'turn-4', text: 'Hello?' });
    const lost = await http(`${base()}/${channelId}/messages`, { token, body });
    expect(lost.status).toBe(500);
    expect(count()).toBe(before + 1);
    const retried = await http(`${base()}/${channelId}/messages`, { token, body });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ text: 'Hello?' });
    expect(count()).toBe(before + 1);
  });
});
