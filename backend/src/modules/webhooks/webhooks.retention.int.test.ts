// The inbox sweep's retention: finished events stay stored for 14 days. Dedupe looks them up, so a
// late duplicate from HubSpot (it retries for about a day) is recognised only while they are kept,
// and the troubleshooting history reads them too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { signV3 } from '../../../../emulator/src/signing.js';
import type { ManualClock } from '../../platform/clock.js';
import { eventually } from '../../../../test/support/eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';

const SECRET = 'retention-test-client-secret';
const PUBLIC = 'https://switchboard.example.com';
const URI = `${PUBLIC}/hubspot/webhooks`;
const DAY = 24 * 3600_000;

describe('inbox retention (the sweep job)', () => {
  let tb: TestBackend;
  let clock: ManualClock;
  beforeAll(async () => {
    tb = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC }, manualClockAt: Date.now(), workers: true });
    clock = tb.clock as ManualClock;
  });
  afterAll(async () => {
    await tb.destroy();
  });

  // A portal nobody connected: processing finishes the event as unroutable, no HubSpot involved.
  const body = JSON.stringify([
    { eventId: 71, subscriptionId: 1001, portalId: 77_001, appId: 424242, occurredAt: Date.now() - 1_000, subscriptionType: 'ticket.creation', attemptNumber: 0, objectId: 5001, changeSource: 'CRM_UI' },
  ]);
  // HubSpot signs each attempt at send time (our clock is the one the signature window is checked against).
  const deliver = () => {
    const ts = clock.now();
    return request(tb.app)
      .post('/hubspot/webhooks')
      .set({ 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(SECRET, 'POST', URI, body, ts), 'x-hubspot-request-timestamp': String(ts) })
      .send(body);
  };
  const rows = () => tb.tdb.db.selectFrom('webhook_events').select(['id', 'status']).where('portal_id', '=', 77_001).execute();
  const jobsQueued = async () => Number((await sql<{ n: string }>`select count(*) as n from webhook_events where status = 'pending'`.execute(tb.tdb.db)).rows[0]?.n);

  it('when a duplicate arrives 13 days after its event was finished and the sweep ran meanwhile, then it is recognised (stored once, nothing queued); after 14 days the sweep deletes the event', async () => {
    expect((await deliver()).status).toBe(200);
    await eventually(async () => (await rows())[0]?.status === 'unroutable');
    const [first, ...more] = await rows();
    expect(more).toStrictEqual([]);

    clock.advance(13 * DAY);
    await tb.services.webhooks.sweepInbox();
    expect(await rows()).toStrictEqual([first]);
    const queuedBefore = await jobsQueued();
    expect((await deliver()).status).toBe(200);
    expect(await rows()).toStrictEqual([first]);
    expect(await jobsQueued()).toBe(queuedBefore);

    clock.advance(1 * DAY + 60_000);
    await tb.services.webhooks.sweepInbox();
    expect(await rows()).toStrictEqual([]);
  });
});
