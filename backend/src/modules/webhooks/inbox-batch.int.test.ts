// The inbox as a queue, driven by hand (no job workers run in this file): a batch in which one event
// fails halfway keeps its neighbours and retries only that one; drains running side by side never
// apply one portal's events out of order. The events go through the real intake, the real handlers
// and the real conversations service; the one fault is a wrapper around the real conversations port
// that fails one ticket's pause once, after the pause was written (so its rollback is visible).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../../../../test/support/eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { DRAIN } from './inbox-drain.js';
import { readBatch } from './intake.js';
import { ownerChangeEvent, webhooksServiceOf } from '../../../../test/support/webhook-events.js';
import type { WebhooksService } from './webhooks.service.js';
import type { ConversationsPort } from './webhooks.ports.js';

const PORTAL_A = 71_001;
const PORTAL_B = 71_002;
let nextEventId = 1;

const ownerChange = (portalId: number, ticketId: number) => ownerChangeEvent({ portalId, ticketId, eventId: nextEventId++ });

describe('the inbox as a batched queue', () => {
  let tb: TestBackend;
  const orgs = new Map<number, string>();
  // Tickets whose next pause fails once (after writing it), inside the batch's transaction.
  const failOnce = new Set<number>();
  // Lookups the takeover fast path finished (one per portal of a stored batch).
  let fastPathLookups = 0;
  let webhooks: WebhooksService;

  beforeAll(async () => {
    tb = await createTestBackend();
    for (const portalId of [PORTAL_A, PORTAL_B]) {
      const { organization } = await tb.services.organizations.createOrganization({ name: `Queue org ${portalId}` });
      orgs.set(portalId, organization.id);
      await tb.services.connections.applyOAuthGrant({
        organizationId: organization.id,
        grant: { portalId, portalDomain: null, scopes: ['oauth', 'tickets'], approvedBy: null, accessToken: 'unused-access', refreshToken: 'unused-refresh', accessExpiresAt: new Date(Date.now() + 1_800_000) },
      });
    }
    const real = tb.services.conversations;
    const conversations: ConversationsPort = {
      findByRecord: (...a) => real.findByRecord(...a),
      findByRecords: (...a) => real.findByRecords(...a),
      activeLinks: async (...a) => {
        try {
          return await real.activeLinks(...a);
        } finally {
          fastPathLookups++;
        }
      },
      unlinkInTransaction: (...a) => real.unlinkInTransaction(...a),
      recordThreadStatusInTransaction: (...a) => real.recordThreadStatusInTransaction(...a),
      eraseContactInTransaction: (...a) => real.eraseContactInTransaction(...a),
      afterCommit: (...a) => real.afterCommit(...a),
      pauseLinkedInTransaction: async (trx, organizationId, filter, cause) => {
        const made = await real.pauseLinkedInTransaction(trx, organizationId, filter, cause);
        if ('ticketId' in filter && filter.ticketId !== undefined && failOnce.delete(filter.ticketId)) throw new Error(`injected fault after pausing ticket ${filter.ticketId}`);
        return made;
      },
    };
    webhooks = webhooksServiceOf(tb, { conversations });
  });
  afterAll(async () => {
    await tb.destroy();
  });
  const defaults = { ...DRAIN };
  afterEach(() => {
    Object.assign(DRAIN, defaults);
  });

  // Stores a batch through the intake and waits for the takeover fast path's lookup: no conversation
  // is linked yet, so it leaves every event to the queue.
  const store = async (events: ReturnType<typeof ownerChange>[]) => {
    const expected = fastPathLookups + new Set(events.map((e) => e.portalId)).size;
    const result = await webhooks.acceptBatch(readBatch(Buffer.from(JSON.stringify(events))));
    expect(result.stored).toBe(events.length);
    await eventually(async () => fastPathLookups >= expected, { timeoutMs: 10_000, intervalMs: 10 });
  };
  const link = async (portalId: number, tickets: number[]) => {
    const ids = new Map<number, string>();
    for (const ticketId of tickets) ids.set(ticketId, (await tb.services.conversations.upsertByExternalId(orgs.get(portalId)!, { externalId: `q-${portalId}-${ticketId}`, ticketId })).conversation.id);
    return ids;
  };
  // The pauses in the order they were applied (transition ids grow with each insert), by ticket.
  const pausesInOrder = async (conversations: Map<number, string>) => {
    const ticketOf = new Map([...conversations].map(([t, c]) => [c, t]));
    const rows = await tb.tdb.db.selectFrom('conversation_transitions').select(['id', 'conversation_id']).where('conversation_id', 'in', [...conversations.values()]).where('to_state', '=', 'paused').orderBy('id').execute();
    return rows.map((r) => ticketOf.get(r.conversation_id)!);
  };
  const inbox = (portalId: number) =>
    tb.tdb.db.selectFrom('webhook_events').select(['id', 'object_id', 'status', 'attempts', 'last_error']).where('portal_id', '=', portalId).orderBy('id').execute();

  it('when the 3rd (and the 5th) of 6 events fail inside the batch, then the others commit, the failed ones are retried after their backoff and applied once, and nothing is applied twice', async () => {
    const tickets = [9101, 9102, 9103, 9104, 9105, 9106];
    await store(tickets.map((t) => ownerChange(PORTAL_A, t)));
    const conversations = await link(PORTAL_A, tickets);
    // The 3rd fails the batch's first pass (no savepoints); the batch runs again with one savepoint
    // per event, where the 5th fails too: its written pause is rolled back to its savepoint.
    failOnce.add(9103);
    failOnce.add(9105);

    await webhooks.drainInbox();
    const afterFirst = await inbox(PORTAL_A);
    expect(afterFirst.map((r) => [r.object_id, r.status, r.attempts])).toStrictEqual([
      [9101, 'processed', 0],
      [9102, 'processed', 0],
      [9103, 'pending', 1],
      [9104, 'processed', 0],
      [9105, 'pending', 1],
      [9106, 'processed', 0],
    ]);
    expect(afterFirst[2]!.last_error).toBe('injected fault after pausing ticket 9103');
    expect(afterFirst[4]!.last_error).toBe('injected fault after pausing ticket 9105');
    // Their pauses were rolled back; the neighbours' committed, in event order.
    expect(await pausesInOrder(conversations)).toStrictEqual([9101, 9102, 9104, 9106]);
    // Not due before their backoff: a drain right now leaves them alone.
    await webhooks.drainInbox();
    expect((await inbox(PORTAL_A)).filter((r) => r.status === 'pending').map((r) => r.object_id)).toStrictEqual([9103, 9105]);

    await eventually(
      async () => {
        await webhooks.drainInbox();
        return (await inbox(PORTAL_A)).every((r) => r.status === 'processed');
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect((await inbox(PORTAL_A)).map((r) => r.attempts)).toStrictEqual([0, 0, 1, 0, 1, 0]);
    // Each conversation paused exactly once; the retried events after the others.
    const order = await pausesInOrder(conversations);
    expect(order.slice(0, 4)).toStrictEqual([9101, 9102, 9104, 9106]);
    expect(order.slice(4).sort()).toStrictEqual([9103, 9105]);
    const paused = await tb.tdb.db.selectFrom('conversations').select('ai_state').where('id', 'in', [...conversations.values()]).execute();
    expect(paused.map((c) => c.ai_state)).toStrictEqual(Array(6).fill('paused'));
  }, 60_000);

  it('when three drains claim at once, small batches, two portals, then each portal is applied exactly in event order and every event once', async () => {
    Object.assign(DRAIN, { maxPortals: 1, perPortal: 3 });
    const ticketsA = Array.from({ length: 24 }, (_, i) => 9200 + i);
    const ticketsB = Array.from({ length: 24 }, (_, i) => 9300 + i);
    // Interleaved across portals in arrival order, as HubSpot batches mix them.
    const events = ticketsA.flatMap((t, i) => [ownerChange(PORTAL_A, t), ownerChange(PORTAL_B, ticketsB[i] ?? 0)]);
    for (let i = 0; i < events.length; i += 8) await store(events.slice(i, i + 8));
    const linkedA = await link(PORTAL_A, ticketsA);
    const linkedB = await link(PORTAL_B, ticketsB);

    const pending = async () => (await Promise.all([inbox(PORTAL_A), inbox(PORTAL_B)])).flat().filter((r) => r.status === 'pending').length;
    while ((await pending()) > 0) await Promise.all([webhooks.drainInbox(), webhooks.drainInbox(), webhooks.drainInbox()]);

    expect(await pausesInOrder(linkedA)).toStrictEqual(ticketsA);
    expect(await pausesInOrder(linkedB)).toStrictEqual(ticketsB);
    const rows = [...(await inbox(PORTAL_A)), ...(await inbox(PORTAL_B))].filter((r) => r.object_id! >= 9200);
    expect(rows).toHaveLength(48);
    expect(rows.filter((r) => r.status !== 'processed' || r.attempts !== 0)).toStrictEqual([]);
  }, 60_000);
});
