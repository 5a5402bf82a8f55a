// The pause_on_owner_change setting decides in the transaction that pauses. A handler that reads
// HubSpot first (a ticket created with an owner, a thread created assigned, an agent's reply) checks
// the setting before that read too, but the read takes time: an organization that turned the setting
// off meanwhile, and then saw an owner set, must not be paused by the event read before.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { connectOrganization, DEMO_PORTAL_ID, inTransaction, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { applyEvent, prepareEvent, type HandlerDeps } from './handle-event.js';
import { webhooksRepository as repo } from './webhooks.repository.js';

const P = DEMO_PORTAL_ID;
const AGENT_OWNER = 51_000_002;

describe('pause_on_owner_change between a handler’s HubSpot read and its transaction', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let deps: HandlerDeps;
  let nextExternal = 1;

  beforeAll(async () => {
    stack = await startHubSpotStack();
    org = await connectOrganization(stack);
    const s = stack.backend.services;
    deps = { conversations: s.conversations, settings: s.settings, hubspot: s.hubspotApi, threadAssignee: s.helpdesk };
  });
  afterAll(async () => {
    await stack.stop();
  });

  const api = () => request(stack.backend.app);
  const setPause = async (on: boolean) => expect((await api().patch('/api/v1/settings').set('authorization', org.auth).send({ pauseOnOwnerChange: on })).status).toBe(200);
  const conversationState = async (id: string) => ((await api().get(`/api/v1/conversations/${id}`).set('authorization', org.auth)).body as { aiState: string }).aiState;
  const pausedEvents = async (conversationId: string) =>
    ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { type: string; data: Record<string, unknown> }[] }).events.filter(
      (e) => e.type === 'ai.paused' && e.data.conversationId === conversationId,
    );

  /**
   * A ticket created with an owner, its creation event already handled (nothing was linked then),
   * and an active conversation linked to it afterwards: the stored creation event, handled again,
   * finds an owner to pause for.
   */
  async function ownedTicketWithConversation() {
    const ticketId = (await stack.hub.createTicket(P, { properties: { subject: 'Owned from the start', hs_pipeline_stage: '1', hubspot_owner_id: String(AGENT_OWNER) } })).id;
    const creation = () => stack.backend.tdb.db.selectFrom('webhook_events').select(['id', 'status', 'outcome']).where('object_id', '=', ticketId).where('subscription_type', '=', 'ticket.creation').execute();
    await expectEventually(async () => expect(await creation()).toMatchObject([{ status: 'processed', outcome: 'no active linked conversation' }]));
    const [row] = await creation();
    const created = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `owner-setting-${nextExternal++}`, ticketId: String(ticketId) });
    expect(created.status).toBe(201);
    const event = (await repo.findEventById(stack.backend.tdb.db, row!.id))!;
    return { event, conversationId: (created.body as { id: string }).id };
  }

  it('when the setting is turned off after a ticket.creation event read the owner, then its transaction pauses nothing', async () => {
    const { event, conversationId } = await ownedTicketWithConversation();
    const prepared = await prepareEvent(event, org.id, deps);
    expect(prepared).toStrictEqual({ facts: { owner: String(AGENT_OWNER) } });

    await setPause(false);
    try {
      const result = await inTransaction(stack.backend, (trx) => applyEvent(trx, event, org.id, deps, prepared));
      expect(result).toMatchObject({ status: 'processed', outcome: 'pause on owner change is off' });
      expect(await pausedEvents(conversationId)).toStrictEqual([]);
      expect(await conversationState(conversationId)).toBe('active');
    } finally {
      await setPause(true);
    }
  });

  it('when the setting stays on, then the same read pauses the conversation in its transaction', async () => {
    const { event, conversationId } = await ownedTicketWithConversation();
    const prepared = await prepareEvent(event, org.id, deps);
    const result = await inTransaction(stack.backend, (trx) => applyEvent(trx, event, org.id, deps, prepared));
    expect(result).toMatchObject({ status: 'processed', outcome: 'paused 1 conversation(s)' });
    expect(await conversationState(conversationId)).toBe('paused');
    expect((await pausedEvents(conversationId)).map((e) => e.data)).toStrictEqual([expect.objectContaining({ source: 'owner_change', actor: `hubspot-owner:${AGENT_OWNER}` })]);
  });
});
