// createEmulator end to end: manifests read from the real project, changes made through the CRM API and
// the control API reach the webhook target (a throwaway receiver standing in for the backend) as signed
// HubSpot events, only while the app is installed; stop() leaves nothing running.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Signature } from '@hubspot/api-client';
import { eventually, startReceiver, type Receiver } from './outbound/__support__/receiver.js';
import { http, startEmulator, type Fixture } from './__support__/emulator-fixture.js';
import type { WebhookEvent } from './webhooks/types.js';

let f: Fixture;
let backend: Receiver;
const portal = 62515;

beforeAll(async () => {
  backend = await startReceiver(() => ({ status: 204 }));
  // Real time: Signature.isValid checks the timestamp against the real clock.
  f = await startEmulator({ webhooks: true, backendUrl: backend.url, timeScale: 0.001, clientSecret: 'emulator-test-secret', now: Date.now });
});
afterAll(async () => {
  await f.emu.stop();
  await backend.close();
});

const received = (): WebhookEvent[] =>
  backend.requests.filter((r) => r.path === '/hubspot/webhooks').flatMap((r) => JSON.parse(r.rawBody.toString('utf8')) as WebhookEvent[]);
const waitFor = (match: Partial<WebhookEvent>) =>
  eventually(() => received().find((e) => Object.entries(match).every(([k, v]) => e[k as keyof WebhookEvent] === v)), 5000, JSON.stringify(match));

describe('createEmulator', () => {
  it('when the app is not installed in the portal, then changes produce no webhook', async () => {
    await f.client.setTicketOwner(portal, 1001, 51_000_001);
    await f.emu.sender?.idle();
    expect(received()).toStrictEqual([]);
    expect((await f.client.changes(portal)).at(-1)?.forwarded).toBe(false);
  });

  it('when the app uses the manifests, then scopes and redirect URLs come from app-hsmeta.json with BACKEND_URL resolved', () => {
    expect(f.emu.app.requiredScopes).toContain('automation');
    expect(f.emu.app.optionalScopes).toStrictEqual(['crm.objects.companies.read', 'crm.objects.deals.read', 'conversations.write', 'conversations.custom_channels.read', 'conversations.custom_channels.write']);
    expect(f.emu.app.redirectUrls).toStrictEqual([`${backend.url}/oauth/callback`]);
    expect(f.emu.app.name).toBe('Switchboard');
  });

  it('when a ticket owner changes through the CRM API, then the backend gets a signed ticket.propertyChange', async () => {
    const tokens = await f.client.install(portal);
    const res = await http(`${f.emu.url}/crm/v3/objects/tickets/1001`, { method: 'PATCH', token: tokens.access_token, body: { properties: { hubspot_owner_id: '51000002' } } });
    expect(res.status).toBe(200);
    const event = await waitFor({ subscriptionType: 'ticket.propertyChange', objectId: 1001, propertyValue: '51000002' });
    expect(event).toMatchObject({ portalId: portal, appId: f.emu.app.appId, propertyName: 'hubspot_owner_id', occurredAt: expect.any(Number), changeSource: 'API' });
    const request = backend.requests.find((r) => r.rawBody.toString('utf8').includes('"propertyValue":"51000002"'));
    const headers = request?.headers ?? {};
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature: String(headers['x-hubspot-signature-v3']),
        clientSecret: 'emulator-test-secret',
        requestBody: request?.rawBody.toString('utf8') ?? '',
        method: 'POST',
        url: `${backend.url}/hubspot/webhooks`,
        timestamp: Number(headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
  });

  it('when the control API assigns a thread and privacy-deletes a contact, then the events carry a user id and both deletion types', async () => {
    await f.client.assignThread(portal, 7_400_000_001, 1_000_002, { actorUserId: 1_000_001 });
    await waitFor({ subscriptionType: 'conversation.propertyChange', objectId: 7_400_000_001, propertyName: 'assignedTo', propertyValue: '1000002', sourceId: 'userId:1000001' });
    await f.client.privacyDeleteContact(portal, 103);
    await waitFor({ subscriptionType: 'contact.privacyDeletion', objectId: 103 });
    await waitFor({ subscriptionType: 'contact.deletion', objectId: 103 });
  });

  it('when the app uninstalls itself, then later changes send nothing', async () => {
    const tokens = await f.client.install(portal);
    await http(`${f.emu.url}/appinstalls/2026-03/external-install`, { method: 'DELETE', token: tokens.access_token });
    await f.emu.sender?.idle();
    const before = received().length;
    await f.client.createTicket(portal, { properties: { subject: 'after uninstall', hs_pipeline_stage: '1' } });
    await f.emu.sender?.idle();
    expect(received()).toHaveLength(before);
  });
});
