// Conversations inbox API (v3 threads/messages, 2026-09 assignee) and the changes it publishes:
// `assignedTo` carries a user id, unlike a ticket's `hubspot_owner_id`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';
import type { TokenResponse } from '../../client.js';

let f: Fixture;
let tokens: TokenResponse;
const portal = 62515;
const emailThread = 7_400_000_001;
const chatThread = 7_400_000_002;
const v3 = (path: string) => `${f.emu.url}/conversations/v3/conversations${path}`;
const v2609 = (path: string) => `${f.emu.url}/conversations/conversations/2026-09${path}`;

beforeAll(async () => {
  f = await startEmulator();
  tokens = await f.client.install(portal, { scopes: ['oauth', 'conversations.read', 'conversations.write'] });
});
afterAll(async () => {
  await f.emu.stop();
});

const lastChange = async () => (await f.client.changes(portal)).at(-1)?.change;

describe('GET /conversations/v3/conversations/threads', () => {
  it('when the token has only conversations.read, then reads work and writes are 403 MISSING_SCOPES', async () => {
    const readOnly = await f.client.install(portal, { scopes: ['oauth', 'conversations.read'] });
    expect((await http(v3('/threads'), { token: readOnly.access_token })).status).toBe(200);
    const res = await http(v3(`/threads/${emailThread}`), { method: 'PATCH', token: readOnly.access_token, body: { status: 'CLOSED' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ category: 'MISSING_SCOPES' });
  });

  it('when threads are listed and filtered, then they have HubSpot\'s thread shape', async () => {
    const all = await http(v3('/threads'), { token: tokens.access_token });
    expect(all.body).toMatchObject({ results: [expect.objectContaining({ id: String(emailThread) }), expect.objectContaining({ id: String(chatThread) })] });
    const byContact = await http(v3('/threads?associatedContactId=101&threadStatus=OPEN'), { token: tokens.access_token });
    expect(byContact.body).toStrictEqual({
      results: [
        {
          id: String(emailThread),
          createdAt: expect.any(String),
          status: 'OPEN',
          originalChannelId: '1002',
          originalChannelAccountId: '240983',
          inboxId: '147959634',
          spam: false,
          archived: false,
          associatedContactId: '101',
          latestMessageTimestamp: expect.any(String),
          latestMessageReceivedTimestamp: expect.any(String),
          threadAssociations: { associatedTicketId: '1001' },
        },
      ],
    });
    const chat = await http(v3(`/threads/${chatThread}`), { token: tokens.access_token });
    expect(chat.body).toMatchObject({ assignedTo: 'A-1000002', originalChannelId: '1000' });
    expect((await http(v3('/threads/123'), { token: tokens.access_token })).status).toBe(404);
  });
});

describe('PATCH /conversations/v3/conversations/threads/{id}', () => {
  it('when the body tries to set anything but status or archived:false, then it is a 400', async () => {
    const res = await http(v3(`/threads/${emailThread}`), { method: 'PATCH', token: tokens.access_token, body: { assignedTo: 'A-1' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('when the thread is closed, then it answers the thread and publishes status=CLOSED', async () => {
    const res = await http(v3(`/threads/${emailThread}`), { method: 'PATCH', token: tokens.access_token, body: { status: 'CLOSED' } });
    expect(res.body).toMatchObject({ status: 'CLOSED', closedAt: expect.any(String) });
    expect(await lastChange()).toMatchObject({ subscriptionType: 'conversation.propertyChange', objectId: emailThread, propertyName: 'status', propertyValue: 'CLOSED', occurredAt: f.clock.now });
  });
});

describe('messages', () => {
  it('when a MESSAGE has no channel ids or a non-agent sender, then it is refused', async () => {
    const noChannel = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token, body: { type: 'MESSAGE', text: 'hi', senderActorId: 'A-1000002' } });
    expect(noChannel.status).toBe(400);
    const visitor = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token, body: { type: 'COMMENT', text: 'hi', senderActorId: 'V-101' } });
    expect(visitor.status).toBe(400);
    const stranger = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token, body: { type: 'COMMENT', text: 'hi', senderActorId: 'A-999' } });
    expect(stranger.status).toBe(400);
  });

  it('when the app sends a COMMENT without a sender, then it is the integration actor\'s; a MESSAGE without one is refused', async () => {
    const comment = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token, body: { type: 'COMMENT', text: 'Internal note', attachments: [] } });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ type: 'COMMENT', text: 'Internal note', createdBy: `I-${f.emu.app.appId}` });
    const message = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token, body: { type: 'MESSAGE', text: 'hi', channelId: '1000', channelAccountId: '240984' } });
    expect(message.status).toBe(400);
  });

  it('when the app sends a message, then it is listed with the integration client and newMessage is published', async () => {
    const sent = await http(v3(`/threads/${chatThread}/messages`), {
      token: tokens.access_token,
      body: { type: 'MESSAGE', text: 'On it!', senderActorId: 'A-1000002', channelId: '1000', channelAccountId: '240984' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: 'MESSAGE', text: 'On it!', direction: 'OUTGOING', client: { clientType: 'INTEGRATION', integrationAppId: f.emu.app.appId }, conversationsThreadId: String(chatThread) });
    const id = (sent.body as { id: string }).id;
    expect(await lastChange()).toMatchObject({ subscriptionType: 'conversation.newMessage', objectId: chatThread, messageId: id, messageType: 'MESSAGE' });
    const list = await http(v3(`/threads/${chatThread}/messages`), { token: tokens.access_token });
    expect((list.body as { results: { id: string }[] }).results.map((m) => m.id)).toContain(id);
    expect((await http(v3(`/threads/${chatThread}/messages/${id}`), { token: tokens.access_token })).body).toMatchObject({ id });
  });
});

describe('/conversations/conversations/2026-09/threads/{id}/assignee', () => {
  it('when the actor is not an agent actor id, then it is a 400, and v3 has no assignee endpoint', async () => {
    expect((await http(v2609(`/threads/${emailThread}/assignee`), { method: 'PUT', token: tokens.access_token, body: { actorId: '1000002' } })).status).toBe(400);
    expect((await http(v3(`/threads/${emailThread}/assignee`), { method: 'PUT', token: tokens.access_token, body: { actorId: 'A-1000002' } })).status).toBe(404);
  });

  it('when a thread is assigned and unassigned, then the changes carry the user id and then an empty value', async () => {
    const put = await http(v2609(`/threads/${emailThread}/assignee`), { method: 'PUT', token: tokens.access_token, body: { actorId: 'A-1000001' } });
    expect(put.body).toMatchObject({ id: String(emailThread), assignedTo: 'A-1000001' });
    expect(await lastChange()).toMatchObject({ subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo', propertyValue: '1000001', changeSource: 'API' });
    const del = await http(v2609(`/threads/${emailThread}/assignee`), { method: 'DELETE', token: tokens.access_token });
    expect(del.status).toBe(204);
    expect(await lastChange()).toMatchObject({ propertyName: 'assignedTo', propertyValue: '' });
  });

  it('when a thread is moved to the trash, then it is gone from the list and conversation.deletion is published', async () => {
    const thread = await f.client.createThread(portal, { associatedContactId: 103, firstMessage: { text: 'hello' } });
    expect((await http(v3(`/threads/${thread.id}`), { method: 'DELETE', token: tokens.access_token })).status).toBe(204);
    expect((await http(v3(`/threads/${thread.id}`), { token: tokens.access_token })).status).toBe(404);
    expect(await lastChange()).toMatchObject({ subscriptionType: 'conversation.deletion', objectId: thread.id });
  });
});
