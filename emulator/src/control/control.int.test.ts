// The control API through the typed client: seeding, knobs, counters, the request log and reset.
// Changes made here go through the same state functions as the CRM API (they publish changes).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmulatorClientError } from '../../client.js';
import { http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
const portal = 62515;
beforeAll(async () => {
  f = await startEmulator();
});
afterAll(async () => {
  await f.emu.stop();
});

describe('control API input', () => {
  it('when a body has an unknown key, then it answers 400 invalid_body in the project\'s error shape', async () => {
    const res = await http(`${f.emu.url}/_emulator/portals`, { body: { nmae: 'typo' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_body', message: expect.stringContaining('Unrecognized key') } });
  });

  it('when a control route does not exist or a portal is unknown, then it answers 404 not_found', async () => {
    expect((await http(`${f.emu.url}/_emulator/nope`)).body).toMatchObject({ error: { code: 'not_found' } });
    await expect(f.client.tickets(1)).rejects.toMatchObject({ status: 404 });
  });

  it('when the body is not JSON, then it answers 400', async () => {
    const res = await fetch(`${f.emu.url}/_emulator/portals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
  });
});

describe('accounts', () => {
  it('when the emulator starts, then the demo portal has a super admin, two owners, contacts, tickets and threads', async () => {
    const demo = await f.client.portal(portal);
    expect(demo.portal).toMatchObject({ id: portal, name: 'Switchboard Demo', installed: false });
    expect(demo.users.filter((u) => u.superAdmin).map((u) => u.email)).toStrictEqual(['ada.admin@switchboard-demo.example.com']);
    expect(demo.owners.map((o) => [o.id, o.userId])).toStrictEqual([[51_000_001, 1_000_001], [51_000_002, 1_000_002]]);
    expect(await f.client.contacts(portal)).toHaveLength(3);
    expect(await f.client.tickets(portal)).toHaveLength(3);
    expect(await f.client.threads(portal)).toHaveLength(2);
  });

  it('when a portal, user and owner are created, then ids are deterministic and the owner links to its user', async () => {
    const created = await f.client.createPortal({ name: 'Acme', domain: 'acme.example.com' });
    expect(created.portal.id).toBe(20_000_001);
    expect(created.superAdmin).toMatchObject({ email: 'admin@acme.example.com', superAdmin: true });
    const { user, owner } = await f.client.createUser(created.portal.id, { email: 'Agent@Acme.example.com', firstName: 'Al' });
    expect(owner).toMatchObject({ userId: user.id, email: 'agent@acme.example.com' });
    const queue = await f.client.createOwner(created.portal.id, { type: 'QUEUE', firstName: 'Tier 2' });
    expect(queue.userId).toBeNull();
    await expect(f.client.createPortal({ id: created.portal.id })).rejects.toBeInstanceOf(EmulatorClientError);
  });
});

describe('records and the changes they publish', () => {
  it('when the portal does not have the app installed, then changes are logged but not forwarded', async () => {
    const { portal: p } = await f.client.createPortal();
    const contact = await f.client.createContact(p.id, { properties: { email: 'x@y.example.com' } });
    const changes = await f.client.changes(p.id);
    expect(changes).toStrictEqual([{ change: expect.objectContaining({ subscriptionType: 'contact.creation', objectId: contact.id }), forwarded: false }]);
  });

  it('when a ticket owner is changed as a user, then ticket.propertyChange carries the owner id and userId source', async () => {
    await f.client.install(portal);
    await f.client.setTicketOwner(portal, 1002, 51_000_002, { actorUserId: 1_000_002 });
    const last = (await f.client.changes(portal)).at(-1);
    expect(last).toStrictEqual({
      change: {
        portalId: portal,
        subscriptionType: 'ticket.propertyChange',
        objectId: 1002,
        occurredAt: f.clock.now,
        objectTypeId: '0-5',
        changeSource: 'CRM_UI',
        sourceId: 'userId:1000002',
        propertyName: 'hubspot_owner_id',
        propertyValue: '51000002',
      },
      forwarded: true,
    });
    await expect(f.client.setTicketOwner(portal, 1002, 123)).rejects.toMatchObject({ status: 400 });
  });

  it('when ids are sent as digit strings, as HubSpot\'s own records show them, then the control API treats them as the same ids', async () => {
    await f.client.install(portal);
    const res = await http(`${f.emu.url}/_emulator/portals/${portal}/tickets/1002/owner`, { method: 'PUT', body: { ownerId: '51000001', actorUserId: '1000001' } });
    expect(res.status).toBe(200);
    expect((await f.client.changes(portal)).at(-1)?.change).toMatchObject({ objectId: 1002, sourceId: 'userId:1000001', propertyName: 'hubspot_owner_id', propertyValue: '51000001' });
    const bad = await http(`${f.emu.url}/_emulator/portals/${portal}/tickets/1002/owner`, { method: 'PUT', body: { ownerId: '51000001x' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_body' } });
  });

  it('when a contact is privacy-deleted, then contact.privacyDeletion and contact.deletion are published and the record is gone', async () => {
    const contact = await f.client.createContact(portal, { properties: { email: 'forget.me@example.com' } });
    await f.client.privacyDeleteContact(portal, contact.id);
    const types = (await f.client.changes(portal)).slice(-2).map((c) => [c.change.subscriptionType, c.change.objectId]);
    expect(types).toStrictEqual([['contact.privacyDeletion', contact.id], ['contact.deletion', contact.id]]);
    expect((await f.client.contacts(portal)).some((c) => c.id === contact.id)).toBe(false);
  });

  it('when a thread is created, assigned, messaged and closed, then each step publishes its conversation event', async () => {
    const thread = await f.client.createThread(portal, { associatedContactId: 101, firstMessage: { text: 'help' } });
    await f.client.assignThread(portal, thread.id, 1_000_002);
    await f.client.postThreadMessage(portal, thread.id, { text: 'internal note', type: 'COMMENT', actorUserId: 1_000_002 });
    await f.client.closeThread(portal, thread.id);
    const mine = (await f.client.changes(portal)).map((c) => c.change).filter((c) => c.objectId === thread.id);
    expect(mine.map((c) => [c.subscriptionType, c.propertyName ?? c.messageType, c.propertyValue])).toStrictEqual([
      ['conversation.creation', undefined, undefined],
      ['conversation.newMessage', 'MESSAGE', undefined],
      ['conversation.propertyChange', 'assignedTo', '1000002'],
      ['conversation.newMessage', 'COMMENT', undefined],
      ['conversation.propertyChange', 'status', 'CLOSED'],
    ]);
    const messages = await f.client.threadMessages(portal, thread.id);
    expect(messages.map((m) => [m.senderActorId, m.direction])).toStrictEqual([['V-101', 'INCOMING'], ['A-1000002', 'OUTGOING']]);
    await f.client.postThreadMessage(portal, thread.id, { text: 'still broken' });
    expect((await f.client.threads(portal)).find((t) => t.id === thread.id)?.status).toBe('OPEN');
  });

  it('when a ticket is deleted, then ticket.deletion is published', async () => {
    const ticket = await f.client.createTicket(portal, { properties: { subject: 'bye', hs_pipeline_stage: '1' }, associatedIds: [101] });
    await f.client.deleteTicket(portal, ticket.id);
    expect((await f.client.changes(portal)).at(-1)?.change).toMatchObject({ subscriptionType: 'ticket.deletion', objectId: ticket.id });
  });
});

describe('tokens, counters and the request log', () => {
  it('when API calls are made, then the log records method, path, portal and status, and counters add up', async () => {
    await f.client.clearRequests();
    const tokens = await f.client.install(portal);
    const before = (await f.client.portalCounters(portal)).apiCalls;
    await http(`${f.emu.url}/crm/v3/objects/tickets/1001`, { token: tokens.access_token });
    await http(`${f.emu.url}/crm/v3/objects/tickets/1001`);
    const log = await f.client.requests({ path: '/crm/v3/objects/tickets' });
    expect(log.map((r) => [r.method, r.path, r.portalId, r.status])).toStrictEqual([
      ['GET', '/crm/v3/objects/tickets/1001', portal, 200],
      ['GET', '/crm/v3/objects/tickets/1001', null, 401],
    ]);
    expect(log[0]?.at).toBe(f.clock.now);
    expect((await f.client.portalCounters(portal)).apiCalls).toBe(before + 1);
  });

  it('when an access token is expired through the control API, then the next call is 401 EXPIRED_AUTHENTICATION', async () => {
    const tokens = await f.client.install(portal);
    await f.client.expireAccessToken(tokens.access_token);
    expect((await http(`${f.emu.url}/crm/v3/owners`, { token: tokens.access_token })).body).toMatchObject({ category: 'EXPIRED_AUTHENTICATION' });
    await expect(f.client.expireAccessToken('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('when settings are patched, then they apply and unknown knobs are refused', async () => {
    expect(await f.client.updateSettings({ codeTtlSeconds: 5 })).toMatchObject({ codeTtlSeconds: 5, accessTokenLifetimeSeconds: 1800 });
    await expect(f.client.request('PATCH', '/_emulator/settings', { codeTTL: 1 })).rejects.toMatchObject({ status: 400 });
  });
});

describe('POST /_emulator/reset', () => {
  it('when reset, then records, tokens, logs, counters, settings and the clock offset are back to the seed', async () => {
    await f.client.createTicket(portal, { properties: { subject: 'temp', hs_pipeline_stage: '1' } });
    await f.client.advanceClock(60_000);
    await f.client.reset();
    expect((await f.client.tickets(portal)).map((t) => t.id)).toStrictEqual([1001, 1002, 1003]);
    const dump = await f.client.state();
    expect(dump).toMatchObject({ accessTokens: [], refreshTokens: [], changes: [], counters: {}, now: f.clock.now });
    expect(await f.client.settings()).toMatchObject({ codeTtlSeconds: 60 });
    expect(await f.client.requests()).toStrictEqual([]);
    const again = await f.client.createTicket(portal, { properties: { subject: 'temp', hs_pipeline_stage: '1' } });
    expect(again.id).toBe(1004);
  });
});
