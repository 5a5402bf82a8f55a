import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { createOrganization, startHubSpotStack, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';

/** A vendor endpoint on a real port: records what it receives, answers with `statuses` in turn (then 200). */
async function startVendorEndpoint(statuses: number[] = []) {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchboard/events`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a vendor does to verify a push: HMAC-SHA256 over `${timestamp}.${body}` with the secret. */
function vendorVerifies(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const ts = String(headers['x-switchboard-timestamp']);
  const expected = `v1=${crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  const got = String(headers['x-switchboard-signature']);
  return got.length === expected.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected)) && Math.abs(Date.now() - Number(ts)) < 300_000;
}

describe('events: feed and push', () => {
  let stack: HubSpotStack;
  beforeAll(async () => {
    stack = await startHubSpotStack();
  });
  afterAll(async () => {
    await stack.stop();
  });
  const api = () => request(stack.backend.app);

  async function conversations(auth: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await api().post('/api/v1/conversations').set('authorization', auth).send({ externalId: `c-${crypto.randomUUID()}` });
      ids.push(res.body.id as string);
    }
    return ids;
  }

  async function readWholeFeed(auth: string, after?: string, limit = 7) {
    const seen: { id: string; type: string; data: Record<string, unknown> }[] = [];
    let cursor = after;
    for (;;) {
      const res = await api().get(`/api/v1/events?limit=${limit}${cursor ? `&after=${cursor}` : ''}`).set('authorization', auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.events);
      if (res.body.events.length === 0) return { events: seen, cursor: res.body.nextCursor as string };
      cursor = res.body.nextCursor;
    }
  }

  it('when the organization key is missing, then the feed and destination answer 401', async () => {
    expect((await api().get('/api/v1/events')).status).toBe(401);
    expect((await api().put('/api/v1/event-destination').send({ url: 'https://x.test' })).status).toBe(401);
  });

  it('when the cursor is not one we issued, then it is 400 invalid_query', async () => {
    const org = await createOrganization(stack.backend);
    const res = await api().get('/api/v1/events?after=abc').set('authorization', org.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
  });

  it('when events are written concurrently while the vendor reads, then the feed returns every event exactly once, in the order of their transactions', async () => {
    const org = await createOrganization(stack.backend, 'Feed Org');
    const ids = await conversations(org.auth, 10);
    const { services } = stack.backend;
    // Readers poll while writers race: a cursor must never skip an event that commits late.
    const collected: { id: string; type: string; data: Record<string, unknown> }[] = [];
    let cursor: string | undefined;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const page = await readWholeFeed(org.auth, cursor, 5);
        collected.push(...page.events);
        cursor = page.cursor;
      }
    })();
    await Promise.all(
      ids.flatMap((id, i) => [
        services.conversations.pause(org.id, id, { source: 'api', actor: `w${i}` }),
        services.conversations.resume(org.id, id, { source: 'api', actor: `w${i}` }),
        services.conversations.pause(org.id, id, { source: 'card', actor: `w${i}` }),
        services.conversations.resume(org.id, id, { source: 'card', actor: `w${i}` }),
      ]),
    );
    writing = false;
    await reader;
    // The feed's order: by writing transaction, then id (ids are not committed in id order).
    const inDb = await stack.backend.tdb.db.selectFrom('events').select(['id']).where('organization_id', '=', org.id).orderBy('xid').orderBy('id').execute();
    // Events of a transaction still running elsewhere on the server are held back a moment.
    let rest = { events: [] as typeof collected, cursor: cursor ?? '0' };
    await expectEventually(async () => {
      rest = await readWholeFeed(org.auth, rest.cursor);
      collected.push(...rest.events);
      expect(collected).toHaveLength(inDb.length);
    });

    expect(collected.map((e) => e.id)).toStrictEqual(inDb.map((r) => String(r.id)));
    expect(new Set(collected.map((e) => e.id)).size).toBe(collected.length);
    // Per conversation the events follow the state machine that produced them.
    for (const id of ids) {
      const types = collected.filter((e) => e.data.conversationId === id).map((e) => e.type);
      expect(types.length).toBeGreaterThanOrEqual(1);
    }
    const again = await readWholeFeed(org.auth, rest.cursor);
    expect(again.events).toStrictEqual([]);
  });

  it('when a transaction holding an earlier event commits after a later writer, then the reader still gets both, in order', async () => {
    const org = await createOrganization(stack.backend, 'Late Commit Org');
    const [id] = await conversations(org.auth, 1);
    const { services, tdb } = stack.backend;
    const start = await readWholeFeed(org.auth);
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let recorded!: () => void;
    const isRecorded = new Promise<void>((resolve) => (recorded = resolve));
    // T1 takes an id and holds its transaction open.
    const t1 = tdb.db.transaction().execute(async (trx) => {
      await services.events.record(trx, { organizationId: org.id, type: 'test.slow_writer', data: {} });
      recorded();
      await committed;
    });
    await isRecorded;
    // T2 takes a later id and commits first (writers take no lock): the feed must hold it back until
    // T1 has ended, or its cursor would pass T1's earlier id.
    await services.conversations.pause(org.id, id!, { source: 'api' });
    const during = await readWholeFeed(org.auth, start.cursor).finally(() => commit());
    await t1;
    expect(during.events).toStrictEqual([]);
    await expectEventually(async () => {
      const after = await readWholeFeed(org.auth, during.cursor);
      expect(after.events.map((e) => e.type)).toStrictEqual(['test.slow_writer', 'ai.paused']);
    });
  });

  it('when a destination is set, then its secret is shown once and never again; URLs we will not call are refused', async () => {
    const org = await createOrganization(stack.backend);
    const put = await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url: 'https://vendor.example.com/hook' });
    expect(put.status).toBe(200);
    expect(put.body).toStrictEqual({ url: 'https://vendor.example.com/hook', createdAt: expect.any(String), updatedAt: expect.any(String), secret: expect.stringMatching(/^sbwh_[A-Za-z0-9_-]{43}$/) });
    const get = await api().get('/api/v1/event-destination').set('authorization', org.auth);
    expect(get.body).toStrictEqual({ destination: { url: 'https://vendor.example.com/hook', createdAt: expect.any(String), updatedAt: expect.any(String) } });
    const row = await stack.backend.tdb.db.selectFrom('event_destinations').selectAll().where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed.toString('latin1')).not.toContain(put.body.secret);
    for (const url of ['ftp://vendor.example.com/x', 'https://user:pw@vendor.example.com/x', 'not a url']) {
      const bad = await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_body');
    }
    expect((await api().delete('/api/v1/event-destination').set('authorization', org.auth)).status).toBe(204);
    expect((await api().delete('/api/v1/event-destination').set('authorization', org.auth)).status).toBe(404);
  });

  it('when events are pushed, then each is a POST the vendor can verify with the secret, carrying the feed event', async () => {
    const vendor = await startVendorEndpoint();
    try {
      const org = await createOrganization(stack.backend, 'Push Org');
      const { secret } = (await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url: vendor.url })).body as { secret: string };
      const [id] = await conversations(org.auth, 1);
      await api().post(`/api/v1/conversations/${id}/pause`).set('authorization', org.auth).send({ reason: 'push me' });
      await api().post(`/api/v1/conversations/${id}/resume`).set('authorization', org.auth).send({});
      await expectEventually(() => expect(vendor.received).toHaveLength(2));
      const feed = (await readWholeFeed(org.auth)).events;
      for (const push of vendor.received) {
        expect(vendorVerifies(secret, push.headers, push.body)).toBe(true);
        expect(vendorVerifies('sbwh_wrong', push.headers, push.body)).toBe(false);
        const body = JSON.parse(push.body) as { id: string };
        expect(push.headers['x-switchboard-event-id']).toBe(body.id);
        expect(feed).toContainEqual(body);
      }
      expect(vendor.received.map((r) => r.headers['x-switchboard-event-type']).sort()).toStrictEqual(['ai.paused', 'ai.resumed']);
    } finally {
      await vendor.close();
    }
  });

  it('when the vendor endpoint fails, then the push is retried with backoff until it succeeds, each attempt in the delivery log', async () => {
    const vendor = await startVendorEndpoint([500, 503]);
    try {
      const org = await createOrganization(stack.backend, 'Flaky Vendor');
      const { secret } = (await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url: vendor.url })).body as { secret: string };
      const [id] = await conversations(org.auth, 1);
      await api().post(`/api/v1/conversations/${id}/handoff`).set('authorization', org.auth).send({});
      await expectEventually(() => expect(vendor.received).toHaveLength(3), { timeoutMs: 25_000, intervalMs: 100 });
      const eventIds = new Set(vendor.received.map((r) => r.headers['x-switchboard-event-id']));
      expect(eventIds.size).toBe(1);
      expect(vendor.received.map((r) => r.headers['x-switchboard-delivery-attempt'])).toStrictEqual(['1', '2', '3']);
      expect(vendor.received.every((r) => vendorVerifies(secret, r.headers, r.body))).toBe(true);
      await expectEventually(async () => {
        const log = await api().get('/api/v1/event-destination/deliveries').set('authorization', org.auth);
        expect(log.body.deliveries.map((d: Record<string, unknown>) => [d.attempt, d.status, d.responseStatus, d.error])).toStrictEqual([
          [3, 'delivered', 200, null],
          [2, 'failed', 503, 'http_503'],
          [1, 'failed', 500, 'http_500'],
        ]);
      });
    } finally {
      await vendor.close();
    }
  }, 40_000);
});
