// Token endpoints over real HTTP: @hubspot/api-client (basePath → emulator) for v1, fetch for the dated
// paths, and every error a backend must survive, with HubSpot's exact bodies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@hubspot/api-client';
import { expectEventually } from '../../../test/support/expect-eventually.js';
import { anyCorrelationId, http, localRedirectUri, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startEmulator();
});
afterAll(async () => {
  await f.emu.stop();
});

const sdk = () => new Client({ basePath: f.emu.url, numberOfApiCallRetries: 1 });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const newCode = async () => {
  const { code } = await f.client.authorize({ redirectUri: localRedirectUri, state: 's' });
  return code ?? '';
};
const codeGrant = (code: string, over: Record<string, string> = {}) =>
  form({ grant_type: 'authorization_code', client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret, redirect_uri: localRedirectUri, code, ...over });

describe('POST /oauth/v1/token (authorization_code)', () => {
  it('when the client secret is wrong, then it answers 400 invalid_client / BAD_CLIENT_ID and the code stays usable', async () => {
    const code = await newCode();
    const res = await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(code, { client_secret: 'wrong' }) });
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({
      error: 'invalid_client',
      error_description: 'The client secret is invalid',
      status: 'BAD_CLIENT_ID',
      message: 'missing or invalid client secret',
      correlationId: anyCorrelationId,
    });
    expect((await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(code) })).status).toBe(200);
  });

  it('when the client id is unknown, then it answers 400 invalid_client / BAD_CLIENT_ID', async () => {
    const res = await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(await newCode(), { client_id: 'nope' }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_client', status: 'BAD_CLIENT_ID', message: 'missing or invalid client id' });
  });

  it('when @hubspot/api-client exchanges a code, then it parses the token response and hub_id/scopes are on the wire', async () => {
    const code = await newCode();
    const { clientId, clientSecret } = f.emu.app;
    const tokens = await sdk().oauth.tokensApi.create('authorization_code', code, localRedirectUri, clientId, clientSecret);
    expect(tokens).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^na1-/), tokenType: 'bearer', expiresIn: 1800 });
    const info = await sdk().oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: 62515, userId: 1_000_001, appId: f.emu.app.appId, tokenType: 'access', expiresIn: 1800, token: tokens.accessToken, hubDomain: 'switchboard-demo.example.com' });
    expect(info.scopes.sort()).toStrictEqual([...f.emu.app.requiredScopes].sort());
  });

  it('when a code is used twice, then the second exchange is 400 invalid_grant / BAD_AUTH_CODE', async () => {
    const code = await newCode();
    expect((await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(code) })).status).toBe(200);
    const again = await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(code) });
    expect(again.status).toBe(400);
    expect(again.body).toStrictEqual({
      error: 'invalid_grant',
      error_description: 'auth code is invalid, expired or already used',
      status: 'BAD_AUTH_CODE',
      message: 'missing or unknown auth code',
      correlationId: anyCorrelationId,
    });
  });

  it('when the code is older than its 60 s lifetime (injected clock), then it is 400 EXPIRED_AUTH_CODE', async () => {
    const code = await newCode();
    f.clock.now += 60_000;
    const res = await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(code) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', status: 'EXPIRED_AUTH_CODE' });
  });

  it('when redirect_uri differs from the one the code was issued for, then it is 400 BAD_REDIRECT_URI', async () => {
    const res = await http(`${f.emu.url}/oauth/v1/token`, { body: codeGrant(await newCode(), { redirect_uri: 'http://localhost:3000/other' }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', status: 'BAD_REDIRECT_URI' });
  });

  it('when grant_type is missing or unsupported, then it is a 400 OAuth error, never a crash', async () => {
    const missing = await http(`${f.emu.url}/oauth/v1/token`, { body: form({ client_id: 'x' }) });
    expect(missing.body).toMatchObject({ error: 'invalid_request', status: 'BAD_GRANT_TYPE' });
    const other = await http(`${f.emu.url}/oauth/2026-03/token`, { body: form({ grant_type: 'client_credentials' }) });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await http(`${f.emu.url}/oauth/2026-03/token`, { body: { grant_type: 'authorization_code' } });
    expect(json.status).toBe(400);
  });
});

describe('POST /oauth/v1/token (refresh_token)', () => {
  it('when the refresh token is unknown, then it is 400 invalid_grant / BAD_REFRESH_TOKEN', async () => {
    const res = await http(`${f.emu.url}/oauth/v1/token`, {
      body: form({ grant_type: 'refresh_token', client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret, refresh_token: 'na1-nope' }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({
      error: 'invalid_grant',
      error_description: 'refresh token is invalid, expired or revoked',
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or invalid refresh token',
      correlationId: anyCorrelationId,
    });
  });

  it('when @hubspot/api-client refreshes, then it gets a new access token and the same refresh token (rotation off)', async () => {
    const first = await f.client.exchangeCode(await newCode(), localRedirectUri, 'v1');
    const { clientId, clientSecret } = f.emu.app;
    const refreshed = await sdk().oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, first.refresh_token);
    expect(refreshed.accessToken).not.toBe(first.access_token);
    expect(refreshed.refreshToken).toBe(first.refresh_token);
    const counters = await f.client.portalCounters(62515);
    expect(counters.refreshes).toBeGreaterThanOrEqual(1);
    expect(counters.tokenExchanges).toBe(counters.codeExchanges + counters.refreshes);
  });

  it('when rotation is on, then a refresh returns a new refresh token and the old one is dead', async () => {
    await f.client.updateSettings({ refreshTokenRotation: true });
    try {
      const first = await f.client.exchangeCode(await newCode(), localRedirectUri);
      const second = await f.client.refresh(first.refresh_token, 'v3');
      expect(second.refresh_token).not.toBe(first.refresh_token);
      await expect(f.client.refresh(first.refresh_token)).rejects.toMatchObject({ status: 400, body: { status: 'BAD_REFRESH_TOKEN' } });
    } finally {
      await f.client.updateSettings({ refreshTokenRotation: false });
    }
  });

  it('when the portal tokens are revoked (user lost access), then refresh fails with BAD_REFRESH_TOKEN', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    await f.client.revokePortalTokens(62515);
    await expect(f.client.refresh(tokens.refresh_token)).rejects.toMatchObject({ status: 400, body: { error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' } });
  });
});

describe('POST /oauth/2026-03/token', () => {
  it('when the code is exchanged on the dated path, then the response is HubSpot\'s AccessTokenResponse with a custom lifetime', async () => {
    await f.client.updateSettings({ accessTokenLifetimeSeconds: 600 });
    try {
      const res = await http(`${f.emu.url}/oauth/2026-03/token`, { body: codeGrant(await newCode()) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toStrictEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: 600,
        token_type: 'bearer',
        hub_id: 62515,
        user_id: 1_000_001,
        scopes: f.emu.app.requiredScopes,
        token_use: 'access_token',
      });
    } finally {
      await f.client.updateSettings({ accessTokenLifetimeSeconds: 1800 });
    }
  });

  it('when the dated path gets the parameters in the query string, then they are ignored (body only)', async () => {
    const query = codeGrant(await newCode()).toString();
    const res = await http(`${f.emu.url}/oauth/2026-03/token?${query}`, { method: 'POST', body: form({}) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'BAD_GRANT_TYPE' });
  });
});

describe('token faults', () => {
  it('when the next token call is set to fail, then it answers 503 once and the following call works', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    await f.client.setFaults({ tokenFailures: { remaining: 1, mode: 'error', status: 503 } });
    await expect(f.client.refresh(tokens.refresh_token)).rejects.toMatchObject({ status: 503, body: { status: 'error', category: 'INTERNAL_ERROR' } });
    await expect(f.client.refresh(tokens.refresh_token)).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('when the next token call is late, then the grant is made and counted while its answer is held, and a caller who stops waiting never gets it', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    const before = await f.client.portalCounters(62515);
    await f.client.setFaults({ tokenFailures: { remaining: 1, mode: 'late', hangMs: 60_000 } });
    const caller = new AbortController();
    const grant = form({ grant_type: 'refresh_token', client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret, refresh_token: tokens.refresh_token });
    const lost = fetch(`${f.emu.url}/oauth/2026-03/token`, { method: 'POST', body: grant, signal: caller.signal });
    await expectEventually(async () => expect((await f.client.portalCounters(62515)).refreshes).toBe(before.refreshes + 1));
    caller.abort();
    await expect(lost).rejects.toMatchObject({ name: 'AbortError' });
    // The refresh token stays valid, so asking again works, and HubSpot counts a second exchange.
    await expect(f.client.refresh(tokens.refresh_token)).resolves.toMatchObject({ token_type: 'bearer' });
    expect((await f.client.portalCounters(62515)).tokenExchanges).toBe(before.tokenExchanges + 2);
  });

  it('when the next token call hangs, then it is held for hangMs and answered 504', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    await f.client.setFaults({ tokenFailures: { remaining: 1, mode: 'hang', hangMs: 300 } });
    const started = Date.now();
    await expect(f.client.refresh(tokens.refresh_token)).rejects.toMatchObject({ status: 504 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('token metadata, introspection, revocation', () => {
  it('when an access token is read or introspected, then signed_access_token carries every field the reference requires, including appInstallId, audience, installingUserId and isServiceAccount', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    const v1 = await http(`${f.emu.url}/oauth/v1/access-tokens/${tokens.access_token}`);
    const introspected = await http(`${f.emu.url}/oauth/2026-03/token/introspect`, {
      body: form({ token: tokens.access_token, token_type_hint: 'access_token', client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret }),
    });
    const expected = {
      appId: f.emu.app.appId,
      appInstallId: `${f.emu.app.appId}-62515`,
      audience: f.emu.app.clientId,
      expiresAt: expect.any(Number),
      hubId: 62515,
      hublet: 'na1',
      installingUserId: 1_000_001,
      isPrivateDistribution: false,
      isServiceAccount: false,
      isUserLevel: false,
      newSignature: expect.any(String),
      scopeToScopeGroupPks: expect.any(String),
      scopes: expect.any(String),
      signature: expect.any(String),
      trialScopeToScopeGroupPks: expect.any(String),
      trialScopes: expect.any(String),
      userId: 1_000_001,
    };
    expect((v1.body as { signed_access_token: unknown }).signed_access_token).toStrictEqual(expected);
    expect((introspected.body as { signed_access_token: unknown }).signed_access_token).toStrictEqual(expected);
  });

  it('when an access token is unknown, then GET /oauth/v1/access-tokens answers a HubSpot 404', async () => {
    const res = await http(`${f.emu.url}/oauth/v1/access-tokens/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', correlationId: anyCorrelationId });
  });

  it('when a refresh token is read and then deleted, then it is gone but its access token still works until expiry', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    const info = await sdk().oauth.refreshTokensApi.get(tokens.refresh_token);
    expect(info).toMatchObject({ hubId: 62515, userId: 1_000_001, clientId: f.emu.app.clientId, token: tokens.refresh_token });
    await sdk().oauth.refreshTokensApi.archive(tokens.refresh_token);
    expect((await http(`${f.emu.url}/oauth/v1/refresh-tokens/${tokens.refresh_token}`)).status).toBe(404);
    expect((await http(`${f.emu.url}/crm/v3/owners`, { token: tokens.access_token })).status).toBe(200);
  });

  it('when tokens are introspected, then active ones are described and unknown or expired ones are { active: false }', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    const creds = { client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret };
    const access = await http(`${f.emu.url}/oauth/2026-03/token/introspect`, { body: form({ ...creds, token: tokens.access_token }) });
    expect(access.body).toMatchObject({ active: true, token_use: 'access_token', hub_id: 62515, app_id: f.emu.app.appId, client_id: f.emu.app.clientId, expires_in: 1800 });
    const refresh = await http(`${f.emu.url}/oauth/v3/token/introspect`, { body: form({ ...creds, token: tokens.refresh_token, token_type_hint: 'refresh_token' }) });
    expect(refresh.body).toMatchObject({ active: true, token_use: 'refresh_token', hub_id: 62515 });
    await f.client.expireAccessToken(tokens.access_token);
    const expired = await http(`${f.emu.url}/oauth/2026-03/token/introspect`, { body: form({ ...creds, token: tokens.access_token }) });
    expect(expired.body).toStrictEqual({ active: false });
    const bad = await http(`${f.emu.url}/oauth/2026-03/token/introspect`, { body: form({ ...creds, client_secret: 'x', token: tokens.access_token }) });
    expect(bad.status).toBe(400);
  });

  it('when a refresh token is revoked on the dated path, then a refresh with it fails', async () => {
    const tokens = await f.client.exchangeCode(await newCode(), localRedirectUri);
    const res = await http(`${f.emu.url}/oauth/2026-03/token/revoke`, {
      body: form({ client_id: f.emu.app.clientId, client_secret: f.emu.app.clientSecret, token: tokens.refresh_token, token_type_hint: 'refresh_token' }),
    });
    expect(res.status).toBe(204);
    await expect(f.client.refresh(tokens.refresh_token)).rejects.toMatchObject({ body: { status: 'BAD_REFRESH_TOKEN' } });
  });
});
