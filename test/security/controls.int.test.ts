// Security controls, each checked over HTTP: response headers (strict CSP, no framing, nosniff, HSTS),
// cookie flags on the browser flows, redirects that only ever go to our own pages or HubSpot's
// consent page, the per-IP and per-organization limits (and that HubSpot's deliveries are never
// dropped by them), keys and tokens stored only as hashes and compared in constant time, and event
// destinations that cannot point back into the network.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { refusedHostReason } from '../../backend/src/modules/events/push-client.js';
import type { ManualClock } from '../../backend/src/platform/clock.js';
import { createTokenBuckets } from '../../backend/src/platform/http/rate-limit.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator } from '../../emulator/src/emulator.js';
import { signV3 } from '../../emulator/src/signing.js';
import { recordFigures } from '../support/artifacts.js';
import { consent } from '../support/hubspot-harness.js';
import { trackEmulator } from '../support/secret-registry.js';
import { repoRoot } from '../support/spawn.js';
import { createTestBackend, type TestBackend } from '../support/test-backend.js';

const PUBLIC = 'https://switchboard.example.com';
const checked = { headerRoutes: 0, cookies: 0, redirects: 0, rateLimitCases: 0 };

describe('browser flows over https: headers, cookies, redirects', () => {
  let emulator: Emulator;
  let hub: EmulatorClient;
  let tb: TestBackend;
  let apiKey: string;
  const setCookies: string[] = [];
  const locations: string[] = [];

  beforeAll(async () => {
    emulator = await createEmulator({ backendUrl: PUBLIC, webhooks: false, warn: () => undefined, redirectUrls: [`${PUBLIC}/oauth/callback`] });
    trackEmulator(emulator);
    hub = createEmulatorClient(emulator.url);
    tb = await createTestBackend({
      env: {
        PUBLIC_BASE_URL: PUBLIC,
        HUBSPOT_CLIENT_ID: emulator.app.clientId,
        HUBSPOT_CLIENT_SECRET: emulator.app.clientSecret,
        HUBSPOT_APP_ID: String(emulator.app.appId),
        HUBSPOT_API_BASE_URL: emulator.url,
        HUBSPOT_APP_BASE_URL: emulator.url,
      },
    });
    ({ apiKey } = await tb.services.organizations.createOrganization({ name: 'Headers Org' }));
  });
  afterAll(async () => {
    await tb.destroy();
    await emulator.stop();
  });

  const app = () => request(tb.app);
  const keep = (res: request.Response) => {
    setCookies.push(...([] as string[]).concat(res.headers['set-cookie'] ?? []));
    if (res.headers.location) locations.push(String(res.headers.location));
    return res;
  };
  const newLink = async () => {
    const res = await app().post('/api/v1/install-links').set('Authorization', `Bearer ${apiKey}`).send({});
    expect(res.status).toBe(201);
    return String(res.body.url).slice(`${PUBLIC}/connect/`.length);
  };

  it('when any kind of route answers, then it carries nosniff, no framing, no caching of tenant data, HSTS, and a CSP that allows nothing (pages: only their own files)', async () => {
    const link = await newLink();
    const answers: [string, request.Response][] = [
      ['health', await app().get('/healthz')],
      ['vendor API', await app().get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)],
      ['vendor API refused', await app().get('/api/v1/connection')],
      ['webhook refused', await app().post('/hubspot/webhooks').send('[]')],
      ['card refused', await app().get('/hubspot/ui/settings?portalId=1')],
      ['workflow action refused', await app().post('/hubspot/actions/pause-ai').send('{}')],
      ['unknown route', await app().get('/nope')],
      ['connection page', keep(await app().get(`/connect/${link}`).set('Accept', 'text/html'))],
      ['connection page error', await app().get('/connect/sb_link_unknown').set('Accept', 'text/html')],
      ['install redirect', keep(await app().get(`/oauth/install?link=${link}`))],
      ['callback error page', await app().get('/oauth/callback?error=access_denied').set('Accept', 'text/html')],
    ];
    for (const [what, res] of answers) {
      checked.headerRoutes += 1;
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect([what, res.headers['x-content-type-options']]).toStrictEqual([what, 'nosniff']);
      expect([what, csp]).toStrictEqual([what, expect.stringContaining("frame-ancestors 'none'")]);
      expect([what, csp]).toStrictEqual([what, expect.stringContaining("default-src 'none'")]);
      expect([what, csp]).toStrictEqual([what, expect.not.stringMatching(/unsafe-eval|script-src[^;]*unsafe-inline|\*/)]);
      expect([what, res.headers['x-frame-options']]).toStrictEqual([what, 'DENY']);
      expect([what, res.headers['strict-transport-security']]).toStrictEqual([what, expect.stringMatching(/^max-age=\d{7,}/)]);
      expect([what, res.headers['cache-control']]).toStrictEqual([what, 'no-store']);
      expect([what, res.headers['x-powered-by']]).toStrictEqual([what, undefined]);
    }
  });

  it('when the whole install runs (link, consent, callback) and a HubSpot-initiated install lands, then every cookie is HttpOnly, Secure and SameSite, and every redirect goes to HubSpot’s consent page or our own page', async () => {
    const link = await newLink();
    keep(await app().get(`/connect/${link}`).set('Accept', 'text/html'));
    const started = keep(await app().get(`/oauth/install?link=${link}`));
    expect(started.status).toBe(302);
    const authorize = new URL(String(started.headers.location));
    expect(authorize.origin + authorize.pathname).toBe(`${tb.config.hubspot.appBaseUrl}/oauth/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/oauth/callback`);
    const cookie = ([] as string[]).concat(started.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const back = await consent(authorize, { portalId: 62515 });
    const done = keep(await app().get(`${back.pathname}${back.search}`).set('Cookie', cookie));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/connect/${link}?connected=1`);
    // HubSpot-initiated: no state, the install waits for a claim (cookie to the connection page).
    const { portal } = await hub.createPortal({ name: 'Marketplace portal' });
    const market = new URL(`${emulator.url}/oauth/authorize`);
    market.search = new URLSearchParams({ client_id: emulator.app.clientId, redirect_uri: `${PUBLIC}/oauth/callback`, scope: authorize.searchParams.get('scope')! }).toString();
    const marketBack = await consent(market, { portalId: portal.id });
    const claimPage = keep(await app().get(`${marketBack.pathname}${marketBack.search}`).set('Accept', 'text/html'));
    expect(claimPage.status).toBe(200);

    expect(setCookies.length).toBeGreaterThanOrEqual(4);
    for (const c of setCookies) {
      checked.cookies += 1;
      expect([c.split('=')[0], /;\s*HttpOnly/i.test(c), /;\s*Secure/i.test(c), /;\s*SameSite=(Lax|Strict)/i.test(c)]).toStrictEqual([c.split('=')[0], true, true, true]);
    }
    for (const l of locations) {
      checked.redirects += 1;
      expect([l, isOwnPageOrConsent(l, tb.config.hubspot.appBaseUrl)]).toStrictEqual([l, true]);
    }
  });

  it('when links, callbacks and form posts carry hostile redirect-ish values, then no answer redirects anywhere but our own pages or HubSpot’s consent page', async () => {
    const evil = fc.constantFrom('//evil.example', 'https://evil.example/', '/\\evil.example', '%2F%2Fevil.example', 'javascript:alert(1)', '\\\\evil.example', '/%0d%0aLocation:%20https://evil.example', 'https:evil.example');
    const link = await newLink();
    await fc.assert(
      fc.asyncProperty(evil, fc.constantFrom('install', 'callback', 'connect', 'claim'), async (value, where) => {
        const res =
          where === 'install'
            ? await app().get(`/oauth/install?link=${encodeURIComponent(value)}`)
            : where === 'callback'
              ? await app().get(`/oauth/callback?code=x&state=${encodeURIComponent(value)}&redirect_uri=${encodeURIComponent(value)}&next=${encodeURIComponent(value)}`)
              : where === 'connect'
                ? await app().get(`/connect/${link}?next=${encodeURIComponent(value)}&redirect=${encodeURIComponent(value)}`).set('Accept', 'text/html')
                : await app().get(`/connect/${encodeURIComponent(value)}/claim?next=${encodeURIComponent(value)}`).set('Cookie', `sb_install_claim=${encodeURIComponent(value)}`);
        checked.redirects += 1;
        if (res.headers.location !== undefined) expect(isOwnPageOrConsent(String(res.headers.location), tb.config.hubspot.appBaseUrl)).toBe(true);
        // The known answer of each route to a hostile value (a bad link, a bad state, no CSRF token;
        // the page itself ignores what it does not know).
        const expected = { install: [404, 'install_link_invalid'], callback: [400, 'install_state_invalid'], connect: [200, undefined], claim: [404, 'install_link_invalid'] }[where];
        expect([where, value, res.status, (res.body as { error?: { code?: string } } | undefined)?.error?.code]).toStrictEqual([where, value, ...expected]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('rate limits', () => {
  let tb: TestBackend;
  let clock: ManualClock;
  const secret = 'rate-limit-client-secret';

  beforeAll(async () => {
    tb = await createTestBackend({
      manualClockAt: Date.now(),
      env: {
        PUBLIC_BASE_URL: PUBLIC,
        HUBSPOT_CLIENT_SECRET: secret,
        TRUST_PROXY_HOPS: '1',
        RATE_LIMIT_BROWSER_PER_MINUTE: '5',
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3',
        RATE_LIMIT_BAD_SIGNATURES_PER_MINUTE: '3',
        RATE_LIMIT_ORGANIZATION_PER_MINUTE: '5',
      },
    });
    clock = tb.clock as ManualClock;
  });
  afterAll(async () => {
    await tb.destroy();
  });

  const from = (ip: string) => ({
    get: (p: string) => request(tb.app).get(p).set('X-Forwarded-For', ip),
    post: (p: string) => request(tb.app).post(p).set('X-Forwarded-For', ip),
  });
  const expect429 = (res: request.Response) => {
    checked.rateLimitCases += 1;
    expect(res.status).toBe(429);
    expect(res.body).toStrictEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  };
  const signedBatch = (eventId: number) => {
    const body = JSON.stringify([{ eventId, portalId: 62515, occurredAt: clock.now(), subscriptionType: 'ticket.creation', objectId: 1001 }]);
    const ts = clock.now();
    return { body, headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(secret, 'POST', `${PUBLIC}/hubspot/webhooks`, body, ts), 'x-hubspot-request-timestamp': String(ts) } };
  };
  const stored = async () => (await tb.tdb.db.selectFrom('webhook_events').select('event_id').execute()).map((r) => Number(r.event_id)).sort((a, b) => a - b);

  it('when one IP opens more browser pages than allowed, then it gets 429 with Retry-After until the window refills; other IPs are unaffected', async () => {
    for (let i = 0; i < 5; i++) expect((await from('198.51.100.1').get(`/connect/sb_link_guess${i}`)).status).toBe(404);
    expect429(await from('198.51.100.1').get('/connect/sb_link_guess5'));
    expect429(await from('198.51.100.1').get('/oauth/install?link=x'));
    expect((await from('198.51.100.2').get('/connect/sb_link_other')).status).toBe(404);
    clock.advance(60_000);
    expect((await from('198.51.100.1').get('/connect/sb_link_again')).status).toBe(404);
  });

  it('when one IP keeps presenting bad API keys, then after the allowance it gets 429 before any lookup, also for a valid key, until the window refills', async () => {
    const { apiKey } = await tb.services.organizations.createOrganization({ name: 'Limited Org' });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7').get('/api/v1/connection').set('Authorization', `Bearer sb_org_guess${i}`)).status).toBe(401);
    expect429(await from('203.0.113.7').get('/api/v1/connection').set('Authorization', 'Bearer sb_org_guess4'));
    expect429(await from('203.0.113.7').get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`));
    expect429(await from('203.0.113.7').get('/metrics').set('Authorization', 'Bearer nope'));
    // Another client of the same organization, elsewhere, is not affected.
    expect((await from('203.0.113.8').get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)).status).toBe(200);
    clock.advance(60_000);
    expect((await from('203.0.113.7').get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)).status).toBe(200);
  });

  it('when an organization sends more API requests than its budget, then it gets 429; another organization is unaffected', async () => {
    const a = await tb.services.organizations.createOrganization({ name: 'Busy Org' });
    const b = await tb.services.organizations.createOrganization({ name: 'Quiet Org' });
    for (let i = 0; i < 5; i++) expect((await from(`192.0.2.${i + 1}`).get('/api/v1/connection').set('Authorization', `Bearer ${a.apiKey}`)).status).toBe(200);
    // The budget is the organization's, whichever address it calls from.
    expect429(await from('192.0.2.99').get('/api/v1/connection').set('Authorization', `Bearer ${a.apiKey}`));
    expect((await from('192.0.2.99').get('/api/v1/connection').set('Authorization', `Bearer ${b.apiKey}`)).status).toBe(200);
    clock.advance(60_000);
    expect((await from('192.0.2.1').get('/api/v1/connection').set('Authorization', `Bearer ${a.apiKey}`)).status).toBe(200);
  });

  it('when an IP sends bad signatures, then only failures count: HubSpot’s valid deliveries from elsewhere are never limited, and one caught by a blocked address gets 429 and is stored once when retried', async () => {
    // Many valid deliveries from HubSpot's address: none counts.
    for (let i = 1; i <= 8; i++) {
      const { body, headers } = signedBatch(i);
      expect((await from('54.174.62.10').post('/hubspot/webhooks').set(headers).send(body)).status).toBe(200);
    }
    for (let i = 0; i < 3; i++) expect((await from('198.51.100.66').post('/hubspot/webhooks').set({ 'content-type': 'application/json', 'x-hubspot-signature-v3': 'forged', 'x-hubspot-request-timestamp': String(clock.now()) }).send('[]')).status).toBe(401);
    expect429(await from('198.51.100.66').post('/hubspot/webhooks').send('[]'));
    expect429(await from('198.51.100.66').post('/hubspot/actions/pause-ai').send('{}'));
    // A genuine delivery that happens to come from that address is answered 429 (HubSpot retries it)...
    const caught = signedBatch(100);
    expect429(await from('198.51.100.66').post('/hubspot/webhooks').set(caught.headers).send(caught.body));
    expect(await stored()).not.toContain(100);
    // ...and the retry, once the window refilled, is stored exactly once.
    clock.advance(60_000);
    const retry = signedBatch(100);
    expect((await from('198.51.100.66').post('/hubspot/webhooks').set(retry.headers).send(retry.body)).status).toBe(200);
    expect((await from('54.174.62.10').post('/hubspot/webhooks').set(retry.headers).send(retry.body)).status).toBe(200);
    expect(await stored()).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 100]);
  });

  it('when no proxy is trusted, then a forged X-Forwarded-For does not escape the per-IP limit', async () => {
    const direct = await createTestBackend({ env: { PUBLIC_BASE_URL: PUBLIC, RATE_LIMIT_BROWSER_PER_MINUTE: '2' } });
    try {
      for (let i = 0; i < 2; i++) expect((await request(direct.app).get('/connect/sb_link_x').set('X-Forwarded-For', `10.0.0.${i}`)).status).toBe(404);
      const res = await request(direct.app).get('/connect/sb_link_x').set('X-Forwarded-For', '10.0.0.99');
      expect(res.status).toBe(429);
      checked.rateLimitCases += 1;
    } finally {
      await direct.destroy();
    }
  });

  it('when very many addresses pass by, then the limiter keeps a bounded number of buckets', () => {
    const buckets = createTokenBuckets({ perMinute: 10, maxKeys: 1_000 });
    for (let i = 0; i < 20_000; i++) buckets.take(`ip-${i}`, 1_000 + i);
    expect(buckets.size()).toBeLessThanOrEqual(1_000);
    // A key that is out of tokens stays limited even under that churn... (it is the newest).
    const t = 50_000;
    for (let i = 0; i < 10; i++) expect(buckets.take('attacker', t).ok).toBe(true);
    expect(buckets.take('attacker', t).ok).toBe(false);
    expect(buckets.exhausted('attacker', t)).toStrictEqual({ retryAfterSeconds: expect.any(Number) });
    // ...and refills with time.
    expect(buckets.take('attacker', t + 6_000).ok).toBe(true);
    expect(createTokenBuckets({ perMinute: 0 }).take('any', 0).ok).toBe(true);
  });
});

describe('secrets at rest and their comparison', () => {
  let tb: TestBackend;
  beforeAll(async () => {
    tb = await createTestBackend({ env: { PUBLIC_BASE_URL: PUBLIC } });
  });
  afterAll(async () => {
    await tb.destroy();
  });

  it('when organizations, install links and OAuth states are created, then the database holds only their SHA-256, and lookups by a wrong key of any length fail cleanly', async () => {
    const created = await request(tb.app).post('/api/v1/organizations').set('Authorization', `Bearer ${tb.config.adminApiKey}`).send({ name: 'Hashed Org' });
    expect(created.status).toBe(201);
    const apiKey = String(created.body.apiKey);
    const link = await request(tb.app).post('/api/v1/install-links').set('Authorization', `Bearer ${apiKey}`).send({});
    const linkToken = String(link.body.url).slice(`${PUBLIC}/connect/`.length);
    const started = await request(tb.app).get(`/oauth/install?link=${linkToken}`);
    const state = new URL(String(started.headers.location)).searchParams.get('state')!;
    const nonce = String(([] as string[]).concat(started.headers['set-cookie'] ?? [])[0]).split('=')[1]!.split('.')[0]!;

    const { rows: tables } = await tb.tdb.pool.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'");
    let dump = '';
    for (const { tablename } of tables) dump += (await tb.tdb.pool.query<{ row: string }>(`select t::text as row from "${tablename}" t`)).rows.map((r) => r.row).join('\n');
    for (const [what, value] of [['organization key', apiKey], ['admin key', tb.config.adminApiKey], ['install link token', linkToken], ['OAuth state', state], ['browser nonce', nonce]] as const) {
      expect([what, dump.includes(value)]).toStrictEqual([what, false]);
    }
    const sha = (v: string) => crypto.createHash('sha256').update(v, 'utf8').digest('hex');
    const org = await tb.tdb.db.selectFrom('organizations').select('api_key_hash').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(org.api_key_hash).toBe(sha(apiKey));
    expect(dump).toContain(sha(linkToken));
    expect(dump).toContain(sha(state));

    for (const wrong of ['', 'x', apiKey.slice(0, -1), `${apiKey}x`, apiKey.toUpperCase(), 'é'.repeat(300), `${tb.config.adminApiKey}x`, tb.config.adminApiKey.slice(1)]) {
      expect((await request(tb.app).get('/api/v1/organization').set('Authorization', `Bearer ${wrong}`)).status).toBe(401);
      expect((await request(tb.app).get('/metrics').set('Authorization', `Bearer ${wrong}`)).status).toBe(401);
    }
  });

  it('when the code compares keys, link tokens and signatures, then it does so on digests with timingSafeEqual, never with ===', () => {
    const read = (p: string) => fs.readFileSync(path.join(repoRoot, p), 'utf8');
    expect(read('backend/src/platform/crypto/opaque-token.ts')).toMatch(/timingSafeEqual\(/);
    expect(read('backend/src/hubspot/signatures.ts')).toMatch(/timingSafeEqual\(/);
    expect(read('backend/src/modules/organizations/organizations.auth.ts')).toMatch(/secretsEqual\(key, config\.adminApiKey\)/);
    expect(read('backend/src/modules/organizations/organizations.service.ts')).toMatch(/hashesEqual\(/);
    expect(read('backend/src/modules/installs/install-links.ts')).toMatch(/hashesEqual\(/);
    for (const file of ['backend/src/modules/organizations/organizations.auth.ts', 'backend/src/modules/organizations/organizations.service.ts', 'backend/src/hubspot/signatures.ts']) {
      expect([file, /(===|!==)\s*(key|apiKey|signature|expected|config\.adminApiKey)\b/.test(read(file))]).toStrictEqual([file, false]);
    }
  });
});

describe('event destinations', () => {
  it('when a deployment (https) is given a destination on this host or a private network, then it is refused; public hosts are allowed', async () => {
    const tb = await createTestBackend({ env: { PUBLIC_BASE_URL: PUBLIC } });
    try {
      const { apiKey } = await tb.services.organizations.createOrganization({ name: 'SSRF Org' });
      for (const url of ['https://127.0.0.1/hook', 'https://localhost/hook', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.5/', 'https://[::1]/', 'https://2130706433/', 'https://0x7f.1/', 'https://[::ffff:127.0.0.1]/', 'https://[fd00::1]/', 'https://192.168.1.1/']) {
        const res = await request(tb.app).put('/api/v1/event-destination').set('Authorization', `Bearer ${apiKey}`).send({ url });
        expect([url, res.status, res.body.error?.code]).toStrictEqual([url, 400, 'invalid_body']);
      }
      expect((await tb.tdb.db.selectFrom('event_destinations').select('organization_id').execute()).length).toBe(0);
      expect(refusedHostReason('hooks.example.com')).toBeUndefined();
      expect(refusedHostReason('8.8.8.8')).toBeUndefined();
      expect((await request(tb.app).put('/api/v1/event-destination').set('Authorization', `Bearer ${apiKey}`).send({ url: 'https://hooks.example.com/switchboard' })).status).toBe(200);
    } finally {
      await tb.destroy();
    }
    recordFigures('security-controls', checked);
  });
});

/** A Location that is our own page (relative, not protocol-relative) or HubSpot's consent page. */
function isOwnPageOrConsent(location: string, hubspotAppBaseUrl: string): boolean {
  if (location.startsWith(`${hubspotAppBaseUrl}/oauth/authorize?`)) return true;
  return /^\/(?![/\\])/.test(location) && !/[\r\n]/.test(location);
}
