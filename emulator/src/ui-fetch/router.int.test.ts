// hubspot.fetch emulation against a throwaway backend: permitted origins only, no added query parameters
// unless asked (like HubSpot's dev proxy), signatures over the final URL, the one retry on 5xx, and
// control-route errors as 4xx/5xx JSON.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { Signature } from '@hubspot/api-client';
import { signV2 } from '../signing.js';
import { startReceiver } from '../outbound/__support__/receiver.js';
import type { Receiver } from '../outbound/__support__/receiver.js';
import { createUiFetch } from './router.js';
import type { UiFetchProxy } from './router.js';

const SECRET = 'fetch-test-secret';
let backend: Receiver;
let app: express.Express;
let proxy: UiFetchProxy;

beforeAll(async () => {
  backend = await startReceiver();
  const uiFetch = createUiFetch({ clientSecret: SECRET, appId: 54321, permittedFetch: [backend.url], now: () => Date.now() });
  proxy = uiFetch.proxy;
  app = express();
  app.use(uiFetch.router);
});

afterAll(async () => {
  await backend.close();
});

beforeEach(() => {
  backend.requests.length = 0;
  backend.respond(() => ({ status: 200, body: { ok: true } }));
  proxy.reset();
});

const identity = { portalId: 62515, userId: 864745280, userEmail: 'jane+agent@example.com' };

describe('POST /_emulator/fetch', () => {
  it('when the origin is not in permittedUrls.fetch, then it answers 403 fetch_not_permitted and sends nothing', async () => {
    const res = await request(app).post('/_emulator/fetch').send({ url: 'https://evil.example/api/card', ...identity });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('fetch_not_permitted');
    // Same host, other port: a different origin.
    const otherPort = backend.url.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`);
    expect((await request(app).post('/_emulator/fetch').send({ url: `${otherPort}/api/card`, ...identity })).status).toBe(403);
    expect(backend.requests).toHaveLength(0);
  });

  it('when the body is invalid or a custom header is set, then it answers 400 invalid_body', async () => {
    expect((await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/x` })).status).toBe(400);
    const res = await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/x`, headers: { 'X-Custom': '1' }, ...identity });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    const get = await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/x`, body: { a: 1 }, ...identity });
    expect(get.body).toStrictEqual({ error: { code: 'invalid_body', message: 'A GET request cannot have a body' } });
  });

  it('when permitted, then the URL is sent as the card built it, nothing appended, and the v2/v3 signatures verify over it', async () => {
    const cardUrl = `${backend.url}/api/cards/ticket?ticketId=904&portalId=62515&userEmail=jane%2Bagent%40example.com`;
    const res = await request(app).post('/_emulator/fetch').send({ url: cardUrl, method: 'POST', body: { note: 'Zoë' }, ...identity });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 200, body: { ok: true }, attempts: 1 });
    expect(res.body.headers['content-type']).toContain('application/json');
    const [req] = backend.requests;
    const finalUrl = `${backend.url}${req!.path}`;
    expect(finalUrl).toBe(cardUrl);
    expect(res.body.url).toBe(cardUrl);
    const query = new URL(finalUrl).searchParams;
    expect(query.getAll('portalId')).toEqual(['62515']);
    expect(query.has('userId')).toBe(false);
    expect(query.has('appId')).toBe(false);
    expect(query.get('userEmail')).toBe('jane+agent@example.com');
    const raw = req!.rawBody.toString('utf8');
    expect(raw).toBe('{"note":"Zoë"}');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-hubspot-signature']).toBe(signV2(SECRET, 'POST', finalUrl, raw));
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        method: 'POST',
        // Signed as sent, without the docs' decoding, as HubSpot's dev proxy does.
        url: finalUrl,
        requestBody: raw,
        clientSecret: SECRET,
        timestamp: Number(req!.headers['x-hubspot-request-timestamp']),
        signature: String(req!.headers['x-hubspot-signature-v3']),
      }),
    ).toBe(true);
    expect(proxy.requests()).toHaveLength(1);
  });

  it('when appendIdentity is set, then portalId, userId, userEmail and appId are appended after the card\'s own parameters and signed with them', async () => {
    const res = await request(app)
      .post('/_emulator/fetch')
      .send({ url: `${backend.url}/api/cards/ticket?ticketId=904&portalId=62515`, ...identity, appendIdentity: true });
    expect(res.body).toMatchObject({ status: 200, attempts: 1 });
    const [req] = backend.requests;
    const finalUrl = `${backend.url}${req!.path}`;
    expect(res.body.url).toBe(finalUrl);
    expect(req!.path).toBe('/api/cards/ticket?ticketId=904&portalId=62515&portalId=62515&userId=864745280&userEmail=jane%2Bagent%40example.com&appId=54321');
    expect(req!.headers['x-hubspot-signature']).toBe(signV2(SECRET, 'GET', finalUrl, ''));
  });

  it('when appendIdentity is set and the URL has no query, then the identity starts one', async () => {
    await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/api/x`, ...identity, appendIdentity: true });
    expect(backend.requests[0]!.path).toBe('/api/x?portalId=62515&userId=864745280&userEmail=jane%2Bagent%40example.com&appId=54321');
  });

  it('when the backend answers 5xx, then hubspot.fetch retries once and hands over the second answer', async () => {
    backend.respond((_req, i) => (i === 0 ? { status: 502 } : { status: 200, body: 'plain', headers: { 'Content-Type': 'text/plain' } }));
    const res = await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/api/x`, ...identity });
    expect(res.body).toMatchObject({ status: 200, body: 'plain', attempts: 2 });
    expect(backend.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('when the backend answers 4xx, then it is handed over without a retry', async () => {
    backend.respond(() => ({ status: 401, body: { error: { code: 'signature_invalid' } } }));
    const res = await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/api/x`, ...identity });
    expect(res.body).toMatchObject({ status: 401, body: { error: { code: 'signature_invalid' } }, attempts: 1 });
  });

  it('when the backend is slower than timeoutMs, then it answers 504 fetch_timeout', async () => {
    backend.respond(() => ({ status: 200, delayMs: 500 }));
    const res = await request(app).post('/_emulator/fetch').send({ url: `${backend.url}/api/slow`, timeoutMs: 50, ...identity });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('fetch_timeout');
  });
});
