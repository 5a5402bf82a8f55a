import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signV3 } from '../../../../emulator/src/signing.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';

const SECRET = 'metrics-test-secret';
const PUBLIC = 'https://switchboard.example.com';

describe('GET /metrics', () => {
  let a: TestBackend;
  let b: TestBackend;
  beforeAll(async () => {
    a = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC } });
    b = await createTestBackend({ env: { HUBSPOT_CLIENT_SECRET: SECRET, PUBLIC_BASE_URL: PUBLIC } });
  });
  afterAll(async () => {
    await Promise.all([a.destroy(), b.destroy()]);
  });

  const scrape = (tb: TestBackend) => request(tb.app).get('/metrics').set('authorization', `Bearer ${tb.config.adminApiKey}`);

  it('when the admin key is missing or wrong, then it answers 401', async () => {
    expect((await request(a.app).get('/metrics')).status).toBe(401);
    expect((await request(a.app).get('/metrics').set('authorization', 'Bearer nope')).status).toBe(401);
  });

  it('when webhooks were accepted and refused, then the Prometheus text counts them by outcome, per app instance', async () => {
    const body = JSON.stringify([{ eventId: 1, portalId: 62515, occurredAt: Date.now(), subscriptionType: 'ticket.creation', objectId: 9 }, { eventId: 2, portalId: 62515, occurredAt: Date.now(), subscriptionType: 'ticket.creation', objectId: 10 }]);
    const ts = Date.now();
    const ok = await request(a.app)
      .post('/hubspot/webhooks')
      .set('content-type', 'application/json')
      .set('x-hubspot-signature-v3', signV3(SECRET, 'POST', `${PUBLIC}/hubspot/webhooks`, body, ts))
      .set('x-hubspot-request-timestamp', String(ts))
      .send(body);
    expect(ok.status).toBe(200);
    expect((await request(a.app).post('/hubspot/webhooks').set('content-type', 'application/json').send(body)).status).toBe(401);

    const res = await scrape(a);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('switchboard_webhook_requests_total{outcome="accepted"} 1');
    expect(res.text).toContain('switchboard_webhook_requests_total{outcome="signature_invalid"} 1');
    expect(res.text).toContain('switchboard_webhook_batch_size_sum 2');
    expect(res.text).toMatch(/switchboard_webhook_ack_seconds_count 1\b/);
    expect(res.text).toContain('switchboard_webhook_inbox_pending 2');
    expect(res.text).toMatch(/switchboard_webhook_inbox_lag_seconds \d/);
    expect(res.text).toContain('switchboard_webhook_dead_events 0');
    for (const name of ['switchboard_owner_change_to_pause_seconds', 'switchboard_webhook_dead_events_total', 'switchboard_event_pushes_total', 'switchboard_process_cpu_user_seconds_total']) {
      expect(res.text).toContain(`# HELP ${name}`);
    }
    // The other instance has its own registry: nothing leaked across.
    const other = await scrape(b);
    expect(other.text).not.toContain('switchboard_webhook_requests_total{outcome="accepted"}');
  });
});
