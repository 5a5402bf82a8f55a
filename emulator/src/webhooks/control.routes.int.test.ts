import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { eventually, startReceiver } from '../outbound/__support__/receiver.js';
import type { Receiver } from '../outbound/__support__/receiver.js';
import { createWebhookControlRouter, createWebhookSender } from './sender.js';
import type { WebhookSender } from './types.js';

let receiver: Receiver;
let sender: WebhookSender;
let app: express.Express;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200 }));
  sender = createWebhookSender({
    targetUrl: `${receiver.url}/hubspot/webhooks`,
    maxConcurrentRequests: 10,
    subscriptions: [{ subscriptionType: 'ticket.creation', active: true }],
    clientSecret: 'secret',
    appId: 1,
    now: () => Date.now(),
    timeScale: 0.001,
    knobs: { timeoutMs: 1_000_000 },
  });
  app = express();
  app.use(createWebhookControlRouter(sender));
});

afterAll(async () => {
  await sender.stop();
  await receiver.close();
});

describe('POST /_emulator/webhooks/knobs', () => {
  it('when a knob has the wrong type or is unknown, then it answers 400 invalid_body with every issue', async () => {
    const res = await request(app).post('/_emulator/webhooks/knobs').send({ duplicate: 'yes', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.length).toBeGreaterThanOrEqual(2);
  });

  it('when the body is not JSON, then it answers 400 invalid_body', async () => {
    const res = await request(app).post('/_emulator/webhooks/knobs').set('Content-Type', 'application/json').send('{nope');
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({ error: { code: 'invalid_body', message: 'Request body is not valid JSON' } });
  });

  it('when knobs are valid, then they are applied and returned', async () => {
    const res = await request(app).post('/_emulator/webhooks/knobs').send({ duplicate: true, maxBatchSize: 50 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ duplicate: true, maxBatchSize: 50, maxRetries: 10 });
    await request(app).post('/_emulator/webhooks/knobs').send({ duplicate: false }).expect(200);
  });
});

describe('POST /_emulator/webhooks/publish + flush + GET deliveries', () => {
  it('when a change is malformed, then it answers 400 and publishes nothing', async () => {
    const res = await request(app).post('/_emulator/webhooks/publish').send({ portalId: 'x' });
    expect(res.status).toBe(400);
    expect(sender.counters().changesPublished).toBe(0);
  });

  it('when a change is published and flushed, then the delivery log shows it', async () => {
    const pub = await request(app)
      .post('/_emulator/webhooks/publish')
      .send({ portalId: 7, subscriptionType: 'ticket.creation', objectId: 9, occurredAt: 1_767_225_600_000 });
    expect(pub.status).toBe(202);
    expect(pub.body).toStrictEqual({ eventsCreated: 1 });
    const flush = await request(app).post('/_emulator/webhooks/flush').send({});
    expect(flush.status).toBe(200);
    expect(flush.body.idle).toBe(true);
    const log = await request(app).get('/_emulator/webhooks/deliveries?portalId=7');
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toHaveLength(1);
    expect(log.body.deliveries[0]).toMatchObject({ portalId: 7, status: 200, attemptNumber: 0, ok: true });
    const other = await request(app).get('/_emulator/webhooks/deliveries?portalId=8');
    expect(other.body.deliveries).toHaveLength(0);
    expect((await request(app).get('/_emulator/webhooks/deliveries?portalId=abc')).status).toBe(400);
  });

  it('when paused and flushed with a short timeout, then it answers 504 webhooks_not_idle', async () => {
    await request(app).post('/_emulator/webhooks/pause').expect(200);
    await request(app).post('/_emulator/webhooks/publish').send({ portalId: 7, subscriptionType: 'ticket.creation', objectId: 10, occurredAt: 1 });
    const flush = await request(app).post('/_emulator/webhooks/flush').send({ timeoutMs: 50 });
    expect(flush.status).toBe(504);
    expect(flush.body.error.code).toBe('webhooks_not_idle');
    await request(app).post('/_emulator/webhooks/resume').expect(200);
    expect((await request(app).post('/_emulator/webhooks/flush').send({})).status).toBe(200);
    expect((await request(app).get('/_emulator/webhooks/counters')).body).toMatchObject({ delivered: 2, queuedBatches: 0 });
  });
});

describe('POST /_emulator/webhooks/retry-now', () => {
  it('when a failed batch waits out an hour-long backoff, then retry-now sends it at once and the sender becomes idle', async () => {
    let fail = true;
    receiver.respond(() => ({ status: fail ? 503 : 200 }));
    // Backoff base 1 h (scaled ×0.001: 3.6 s, jittered up to 5.4 s): far past what this test waits for.
    await request(app).post('/_emulator/webhooks/knobs').send({ retryBaseMs: 3_600_000 }).expect(200);
    try {
      await request(app).post('/_emulator/webhooks/publish').send({ portalId: 11, subscriptionType: 'ticket.creation', objectId: 12, occurredAt: 1 }).expect(202);
      sender.flushPending();
      await eventually(() => sender.deliveries().some((d) => d.portalId === 11 && d.outcome === 'retry'));
      fail = false;

      const res = await request(app).post('/_emulator/webhooks/retry-now');
      expect(res.status).toBe(200);
      expect(res.body.retried).toBe(1);
      await sender.idle();
      const attempts = sender.deliveries().filter((d) => d.portalId === 11);
      expect(attempts.map((d) => [d.attemptNumber, d.status, d.outcome])).toStrictEqual([
        [0, 503, 'retry'],
        [1, 200, 'done'],
      ]);
      expect((await request(app).post('/_emulator/webhooks/retry-now')).body.retried).toBe(0);
    } finally {
      receiver.respond(() => ({ status: 200 }));
      await request(app).post('/_emulator/webhooks/knobs').send({ retryBaseMs: 60_000 }).expect(200);
    }
  });
});
