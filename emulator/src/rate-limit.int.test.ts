// Rate limits and API faults over HTTP: 429 bodies and headers the SDK's retry logic keys on, per-portal
// 429 counters, and the budget surviving a token refresh (it belongs to the app and portal).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@hubspot/api-client';
import { anyCorrelationId, http, startEmulator, type Fixture } from './__support__/emulator-fixture.js';
import type { TokenResponse } from '../client.js';

let f: Fixture;
let tokens: TokenResponse;
const portal = 62515;
beforeAll(async () => {
  f = await startEmulator({ rateLimit: { max: 5 } });
  tokens = await f.client.install(portal);
});
afterAll(async () => {
  await f.emu.stop();
});

const owners = (token = tokens.access_token) => http(`${f.emu.url}/crm/v3/owners`, { token });
// Each test starts with an empty window: move the clock past it.
const nextWindow = () => {
  f.clock.now += 10_001;
};

describe('rolling 10-second limit', () => {
  it('when the budget is spent, then the call is 429 RATE_LIMIT with HubSpot\'s body and headers, and it is counted', async () => {
    nextWindow();
    const before = (await f.client.portalCounters(portal)).rateLimited;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 5; i += 1) remaining.push((await owners()).headers.get('x-hubspot-ratelimit-remaining'));
    expect(remaining).toStrictEqual(['4', '3', '2', '1', '0']);
    const res = await owners();
    expect(res.status).toBe(429);
    expect(res.body).toStrictEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: anyCorrelationId,
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: expect.any(String),
    });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect((await f.client.portalCounters(portal)).rateLimited).toBe(before + 1);
  });

  it('when the SDK (one attempt) hits the limit, then it rejects with code 429 and the policy in the body', async () => {
    nextWindow();
    for (let i = 0; i < 5; i += 1) await owners();
    const sdk = new Client({ accessToken: tokens.access_token, basePath: f.emu.url, numberOfApiCallRetries: 1 });
    await expect(sdk.crm.owners.ownersApi.getPage()).rejects.toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
  });

  it('when the token is refreshed, then the spent budget stays spent; another portal has its own', async () => {
    nextWindow();
    for (let i = 0; i < 5; i += 1) await owners();
    const fresh = await f.client.refresh(tokens.refresh_token);
    expect((await owners(fresh.access_token)).status).toBe(429);
    const { portal: other } = await f.client.createPortal();
    const otherTokens = await f.client.install(other.id);
    expect((await owners(otherTokens.access_token)).status).toBe(200);
    tokens = { ...tokens, access_token: fresh.access_token };
  });

  it('when the window has rolled (clock advanced through the control API), then calls pass again', async () => {
    for (let i = 0; i < 6; i += 1) await owners();
    await f.client.advanceClock(10_001);
    expect((await owners()).status).toBe(200);
  });
});

describe('search limit', () => {
  it('when search is called more than 5 times in a second, then it is 429 SECONDLY without rate-limit headers', async () => {
    await f.client.updateSettings({ rateLimit: { max: 110 } });
    try {
      nextWindow();
      const search = () => http(`${f.emu.url}/crm/v3/objects/tickets/search`, { token: tokens.access_token, body: {} });
      for (let i = 0; i < 5; i += 1) {
        const ok = await search();
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-hubspot-ratelimit-max')).toBeNull();
      }
      const res = await search();
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    } finally {
      await f.client.updateSettings({ rateLimit: { max: 5 } });
    }
  });
});

describe('API faults', () => {
  it('when 429s are forced, then the next calls get them even with budget left', async () => {
    nextWindow();
    await f.client.setFaults({ forced429: 2 });
    expect((await owners()).status).toBe(429);
    const second = await owners();
    expect(second.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    expect(second.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect((await owners()).status).toBe(200);
  });

  it('when API failures are forced, then the next calls answer that 5xx in HubSpot\'s shape', async () => {
    nextWindow();
    await f.client.setFaults({ apiFailures: { remaining: 1, status: 502 } });
    const res = await owners();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR', correlationId: anyCorrelationId });
    expect((await owners()).status).toBe(200);
  });

  it('when latency is added, then API calls take at least that long', async () => {
    nextWindow();
    await f.client.setFaults({ apiLatencyMs: 150 });
    try {
      const started = Date.now();
      expect((await owners()).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await f.client.clearFaults();
    }
  });
});
