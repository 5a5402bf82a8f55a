// A batch decided set-based (batch-view.ts) gives the result of applying its events one by one:
// changes of one record within a batch against a stored watermark, a watermark written by another
// transaction (the takeover fast path of another process) while the batch runs, and a conversation
// resumed by another transaction while the batch waits for its lock. The events are stored straight
// into the inbox (no takeover fast path runs) and processed by the real drain; the concurrent
// transaction is a plain SQL transaction held open, and the test waits until the batch waits for its lock.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventually } from '../../../../test/support/eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { DRAIN } from './inbox-drain.js';
import { acceptedRow } from './inbox-rows.js';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import type { WebhookEvent } from './webhooks.schemas.js';

const PORTAL = 73_001;
const BASE = Date.parse('2026-12-01T10:00:00Z');
let nextEventId = 1;

const ownerChange = (ticketId: number, atMs: number, owner: string): WebhookEvent =>
  ({
    eventId: nextEventId++,
    subscriptionId: 1003,
    portalId: PORTAL,
    appId: 424242,
    occurredAt: BASE + atMs,
    subscriptionType: 'ticket.propertyChange',
    attemptNumber: 0,
    objectId: ticketId,
    propertyName: 'hubspot_owner_id',
    propertyValue: owner,
    changeSource: 'CRM_UI',
  }) as WebhookEvent;

// The bench's mix of subscribed types (bench/processes/webhook-load.ts), on records nothing is linked to.
const mixed = (portalId: number, i: number): WebhookEvent => {
  const base = { eventId: nextEventId++, portalId, appId: 424242, occurredAt: BASE + i, attemptNumber: 0, objectId: 1_000_000 + i };
  const kinds = [
    { subscriptionId: 1001, subscriptionType: 'ticket.creation', changeFlag: 'NEW', changeSource: 'CRM_UI' },
    { subscriptionId: 1003, subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id', propertyValue: String(51_000_000 + (i % 7)), changeSource: 'CRM_UI' },
    { subscriptionId: 1008, subscriptionType: 'conversation.newMessage', messageId: `m-${i}`, messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE' },
    { subscriptionId: 1007, subscriptionType: 'conversation.propertyChange', propertyName: 'status', propertyValue: i % 8 === 3 ? 'CLOSED' : 'OPEN' },
  ];
  return { ...base, ...kinds[i % 4] } as WebhookEvent;
};

describe('a batch decided set-based equals its events applied one by one', () => {
  let tb: TestBackend;
  let organizationId: string;
  let other: pg.Client;

  beforeAll(async () => {
    tb = await createTestBackend();
    const { organization } = await tb.services.organizations.createOrganization({ name: 'Batch view org' });
    organizationId = organization.id;
    await tb.services.connections.applyOAuthGrant({
      organizationId,
      grant: { portalId: PORTAL, portalDomain: null, scopes: ['oauth', 'tickets'], approvedBy: null, accessToken: 'unused-access', refreshToken: 'unused-refresh', accessExpiresAt: new Date(Date.now() + 1_800_000) },
    });
    other = new pg.Client({ connectionString: tb.tdb.url });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await tb.destroy();
  });

  const store = (events: WebhookEvent[]) => queue.insertAccepted(tb.tdb.db, events.map((e) => acceptedRow(e, e)));
  const outcomes = async (ids: number[]) => {
    const rows = await tb.tdb.db.selectFrom('webhook_events').select(['id', 'status', 'outcome']).where('id', 'in', ids).orderBy('id').execute();
    return rows.map((r) => [r.status, r.outcome]);
  };
  const watermark = (ticketId: number) =>
    tb.tdb.db.selectFrom('webhook_watermarks').select(['last_occurred_at', 'last_value']).where('portal_id', '=', PORTAL).where('object_type', '=', 'ticket').where('object_id', '=', ticketId).executeTakeFirstOrThrow();
  // Until a session of the test database waits for a lock (the batch, behind `other`'s transaction).
  const batchWaitsForLock = () =>
    eventually(
      async () => {
        const { rows } = await other.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
        return rows[0]!.n > 0;
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
  // Another transaction writes a watermark and commits once the batch waits for it.
  const writeWatermarkMeanwhile = async (ticketId: number, atMs: number, owner: string, drain: () => Promise<unknown>) => {
    await other.query('begin');
    await other.query(
      "insert into webhook_watermarks (portal_id, object_type, object_id, property_name, last_occurred_at, last_value) values ($1, 'ticket', $2, 'hubspot_owner_id', $3, $4)",
      [PORTAL, ticketId, new Date(BASE + atMs), owner],
    );
    const draining = drain();
    try {
      await batchWaitsForLock();
    } finally {
      await other.query('commit');
    }
    await draining;
  };

  it('when a drain applies a full batch of mixed events (8 portals × 100, no record linked), then its statements do not grow with its events', async () => {
    const portals = Array.from({ length: DRAIN.maxPortals }, (_, i) => PORTAL + 100 + i);
    for (const portalId of portals) {
      const { organization } = await tb.services.organizations.createOrganization({ name: `Batch view org ${portalId}` });
      await tb.services.connections.applyOAuthGrant({
        organizationId: organization.id,
        grant: { portalId, portalDomain: null, scopes: ['oauth', 'tickets'], approvedBy: null, accessToken: 'unused-access', refreshToken: 'unused-refresh', accessExpiresAt: new Date(Date.now() + 1_800_000) },
      });
    }
    const events = portals.flatMap((portalId) => Array.from({ length: DRAIN.perPortal }, (_, i) => mixed(portalId, i)));
    const ids = await store(events);
    // Every statement any pooled connection sends from here on (the job queue has its own pool).
    let statements = 0;
    let counting = true;
    const counted = new WeakSet<pg.PoolClient>();
    const count = (client: pg.PoolClient) => {
      if (counted.has(client)) return;
      counted.add(client);
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
        if (counting) statements++;
        return query(...a);
      };
    };
    tb.tdb.pool.on('acquire', count);
    try {
      await tb.services.webhooks.drainInbox();
    } finally {
      counting = false;
      tb.tdb.pool.off('acquire', count);
    }
    const rows = await tb.tdb.db.selectFrom('webhook_events').select(['status']).where('id', 'in', ids).execute();
    expect(rows.filter((r) => r.status === 'pending')).toStrictEqual([]);
    // Claim, read, one transaction (its set statements, a settings read per organization, the
    // processed marks), release: a few dozen at most, where one by one it was over a thousand.
    process.stderr.write(`statements for one batch of ${events.length} mixed events: ${statements}\n`);
    expect(statements).toBeLessThan(40);
  });

  it('when one ticket changes owner several times in a batch, against a stored watermark, then only the changes newer than every earlier one apply, and the newest is stored', async () => {
    const ticketId = 8101;
    await tb.tdb.db
      .insertInto('webhook_watermarks')
      .values({ portal_id: PORTAL, object_type: 'ticket', object_id: ticketId, property_name: 'hubspot_owner_id', last_occurred_at: new Date(BASE + 2_000), last_value: 'stored' })
      .execute();
    const ids = await store([ownerChange(ticketId, 1_000, 'older'), ownerChange(ticketId, 3_000, 'newest-first'), ownerChange(ticketId, 3_000, 'newest-again'), ownerChange(ticketId, 2_500, 'between')]);

    await tb.services.webhooks.drainInbox();

    const stale = ['ignored', 'stale: a newer change was already applied'];
    expect(await outcomes(ids)).toStrictEqual([stale, ['processed', 'no active linked conversation'], stale, stale]);
    expect(await watermark(ticketId)).toStrictEqual({ last_occurred_at: new Date(BASE + 3_000), last_value: 'newest-first' });
  });

  it('when another transaction stores a newer change of the ticket while the batch runs, then the batch finds its changes stale', async () => {
    const ticketId = 8102;
    const ids = await store([ownerChange(ticketId, 1_000, 'a'), ownerChange(ticketId, 2_000, 'b')]);

    await writeWatermarkMeanwhile(ticketId, 5_000, 'fast-path', () => tb.services.webhooks.drainInbox());

    const stale = ['ignored', 'stale: a newer change was already applied'];
    expect(await outcomes(ids)).toStrictEqual([stale, stale]);
    expect(await watermark(ticketId)).toStrictEqual({ last_occurred_at: new Date(BASE + 5_000), last_value: 'fast-path' });
  });

  it('when another transaction stores a change between two of the batch while the batch runs, then the older is stale and the newer applies, as one by one', async () => {
    const ticketId = 8103;
    const ids = await store([ownerChange(ticketId, 1_000, 'older'), ownerChange(ticketId, 3_000, 'newer')]);

    await writeWatermarkMeanwhile(ticketId, 2_000, 'fast-path', () => tb.services.webhooks.drainInbox());

    expect(await outcomes(ids)).toStrictEqual([
      ['ignored', 'stale: a newer change was already applied'],
      ['processed', 'no active linked conversation'],
    ]);
    expect(await watermark(ticketId)).toStrictEqual({ last_occurred_at: new Date(BASE + 3_000), last_value: 'newer' });
  });

  it('when another transaction resumes a linked conversation while the batch waits for its lock, then the owner change pauses it', async () => {
    const ticketId = 8104;
    const { conversation } = await tb.services.conversations.upsertByExternalId(organizationId, { externalId: 'batch-view-resumed', ticketId });
    await tb.services.conversations.pause(organizationId, conversation.id, { source: 'api', actor: 'vendor', reason: 'test' });
    const ids = await store([ownerChange(ticketId, 1_000, '51000009')]);

    await other.query('begin');
    await other.query("update conversations set ai_state = 'active' where id = $1", [conversation.id]);
    const draining = tb.services.webhooks.drainInbox();
    try {
      await batchWaitsForLock();
    } finally {
      await other.query('commit');
    }
    await draining;

    expect(await outcomes(ids)).toStrictEqual([['processed', 'paused 1 conversation(s)']]);
    expect((await tb.services.conversations.getConversation(organizationId, conversation.id)).aiState).toBe('paused');
  });
});
