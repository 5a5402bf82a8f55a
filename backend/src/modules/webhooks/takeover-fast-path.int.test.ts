import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signV3 } from '../../../../emulator/src/signing.js';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { ownerChangeEvent } from '../../../../test/support/webhook-events.js';
import { takeoverRecord } from './takeover-fast-path.js';

const SECRET = 'fast-path-client-secret';
const PUBLIC = 'https://switchboard.example.com';
const PORTAL = 62515;

const ownerChange = (eventId: number, ticketId: number) => ownerChangeEvent({ portalId: PORTAL, ticketId, eventId, occurredAt: Date.now() - 500 });

describe('the takeover fast path (no job workers run in this file)', () => {
  let tb: TestBackend;
  let organizationId: string;
  beforeAll(async () => {
    tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC } });
    const { organization } = await tb.services.organizations.createOrganization({ name: 'Fast path org' });
    organizationId = organization.id;
    await tb.services.connections.applyOAuthGrant({
      organizationId,
      grant: { portalId: PORTAL, portalDomain: null, scopes: ['oauth', 'tickets'], approvedBy: null, accessToken: 'unused-access', refreshToken: 'unused-refresh', accessExpiresAt: new Date(Date.now() + 1_800_000) },
    });
  });
  afterAll(async () => {
    await tb.destroy();
  });

  it('when an owner change arrives for a ticket linked to an active conversation, then it is processed right after the answer, without a worker; other events wait for theirs', async () => {
    const { conversation } = await tb.services.conversations.upsertByExternalId(organizationId, { externalId: 'chat-fast', ticketId: 5001 });
    const body = JSON.stringify([ownerChange(1, 5001), ownerChange(2, 5002)]);
    const ts = Date.now();
    const res = await request(tb.app)
      .post('/hubspot/webhooks')
      .set({ 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(SECRET, 'POST', `${PUBLIC}/hubspot/webhooks`, body, ts), 'x-hubspot-request-timestamp': String(ts) })
      .send(body);
    expect(res.status).toBe(200);

    await expectEventually(async () => expect((await tb.services.conversations.getConversation(organizationId, conversation.id)).aiState).toBe('paused'));
    const rows = await tb.tdb.db.selectFrom('webhook_events').select(['object_id', 'status']).orderBy('object_id').execute();
    expect(rows).toStrictEqual([
      { object_id: 5001, status: 'processed' },
      { object_id: 5002, status: 'pending' },
    ]);
    // The job queued for the fast-pathed event is still the safety net; running it changes nothing.
    const [first] = await tb.tdb.db.selectFrom('webhook_events').select('id').where('object_id', '=', 5001).execute();
    await tb.services.webhooks.processEvent(first!.id);
    const transitions = await tb.tdb.db.selectFrom('conversation_transitions').select('id').where('conversation_id', '=', conversation.id).execute();
    expect(transitions).toHaveLength(1);
  });
});

describe('takeoverRecord', () => {
  it('when an event pauses a linked conversation without a HubSpot read, then it names the record; otherwise undefined', () => {
    const base = { objectId: 7 } as const;
    expect(takeoverRecord({ ...base, subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id' })).toStrictEqual({ ticketId: 7 });
    expect(takeoverRecord({ ...base, subscriptionType: 'object.propertyChange', objectTypeId: '0-5', propertyName: 'hubspot_owner_id' })).toStrictEqual({ ticketId: 7 });
    expect(takeoverRecord({ ...base, subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo' })).toStrictEqual({ threadId: 7 });
    // These need a HubSpot read first (owner of a new ticket, sender of a message): queue only.
    expect(takeoverRecord({ ...base, subscriptionType: 'ticket.creation' })).toBeUndefined();
    expect(takeoverRecord({ ...base, subscriptionType: 'conversation.newMessage' })).toBeUndefined();
    expect(takeoverRecord({ ...base, subscriptionType: 'conversation.creation' })).toBeUndefined();
    expect(takeoverRecord({ ...base, subscriptionType: 'ticket.propertyChange', propertyName: 'subject' })).toBeUndefined();
    expect(takeoverRecord({ ...base, subscriptionType: 'conversation.propertyChange', propertyName: 'status' })).toBeUndefined();
    expect(takeoverRecord({ ...base, subscriptionType: 'contact.deletion' })).toBeUndefined();
  });
});
