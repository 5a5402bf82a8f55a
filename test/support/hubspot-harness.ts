import crypto from 'node:crypto';
import request from 'supertest';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/src/emulator.js';
import { trackEmulator } from './secret-registry.js';
import { createTestBackend, type TestBackend, type TestBackendOptions } from './test-backend.js';

/** The public origin the test backends pretend to have (the emulator's registered redirect URL uses it). */
export const TEST_PUBLIC_BASE_URL = 'http://localhost:3000';

/** An emulator and a backend wired to it over real HTTP, with the raw secrets (for child processes). */
export interface HubSpotHarness {
  emulator: Emulator;
  client: EmulatorClient;
  backend: TestBackend;
  /** The environment the backend's Config was built from (secrets included), for spawned processes. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts an emulator on port 0 and a test backend whose HubSpot URLs point at it. Webhook delivery is
 * off unless asked for: nothing listens on the public URL in these tests.
 */
export async function startHubSpotHarness(options: { emulator?: EmulatorOptions; backend?: TestBackendOptions; env?: Record<string, string> } = {}): Promise<HubSpotHarness> {
  const emulator = await createEmulator({ backendUrl: TEST_PUBLIC_BASE_URL, webhooks: false, warn: () => undefined, ...options.emulator });
  trackEmulator(emulator);
  const env: Record<string, string> = {
    HUBSPOT_CLIENT_ID: emulator.app.clientId,
    HUBSPOT_CLIENT_SECRET: emulator.app.clientSecret,
    HUBSPOT_APP_ID: String(emulator.app.appId),
    HUBSPOT_API_BASE_URL: emulator.url,
    HUBSPOT_APP_BASE_URL: emulator.url,
    PUBLIC_BASE_URL: TEST_PUBLIC_BASE_URL,
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: `admin-${crypto.randomBytes(24).toString('base64url')}`,
    ...options.env,
  };
  const backend = await createTestBackend({ ...options.backend, env: { ...env, ...options.backend?.env } });
  return {
    emulator,
    client: createEmulatorClient(emulator.url),
    backend,
    env: { ...env, DATABASE_URL: backend.tdb.url },
    stop: async () => {
      await backend.destroy();
      await emulator.stop();
    },
  };
}

/** Creates an organization through the admin API; returns its id and API key. */
export async function createOrganization(h: HubSpotHarness, input: { name?: string; oauthOnly?: boolean } = {}): Promise<{ id: string; apiKey: string; name: string }> {
  const res = await request(h.backend.app)
    .post('/api/v1/organizations')
    .set('Authorization', `Bearer ${h.backend.config.adminApiKey}`)
    .send({ name: input.name ?? `Org ${crypto.randomUUID().slice(0, 8)}`, ...(input.oauthOnly !== undefined ? { oauthOnly: input.oauthOnly } : {}) });
  if (res.status !== 201) throw new Error(`creating an organization failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; apiKey: string; name: string };
}

/** Creates an install link; returns its URL and token. */
export async function createInstallLink(h: HubSpotHarness, apiKey: string): Promise<{ url: string; token: string; expiresAt: string }> {
  const res = await request(h.backend.app).post('/api/v1/install-links').set('Authorization', `Bearer ${apiKey}`).send({});
  if (res.status !== 201) throw new Error(`creating an install link failed: ${res.status} ${JSON.stringify(res.body)}`);
  const body = res.body as { url: string; expiresAt: string };
  return { ...body, token: body.url.slice(`${TEST_PUBLIC_BASE_URL}/connect/`.length) };
}

/** The result of starting an install from a link: where HubSpot's consent page is and the browser cookie. */
export interface StartedInstall {
  authorizeUrl: URL;
  state: string;
  /** The `Cookie` header value a browser would send back to /oauth. */
  cookie: string;
}

/** `GET /oauth/install?link=` as a browser would. */
export async function startInstall(h: HubSpotHarness, linkToken: string): Promise<StartedInstall> {
  const res = await request(h.backend.app).get('/oauth/install').query({ link: linkToken });
  if (res.status !== 302) throw new Error(`install start failed: ${res.status} ${res.text}`);
  const authorizeUrl = new URL(res.headers.location as string);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0]!).join('; ');
  return { authorizeUrl, state: authorizeUrl.searchParams.get('state') ?? '', cookie };
}

/**
 * Approves (or cancels) on the emulator's consent page like a browser: GET the page, then POST its
 * form with the same parameters. `optionalScopes` narrows the optional scopes asked for (as if the
 * installer declined the others).
 * @returns the redirect HubSpot sends the browser to (our callback URL with code and state)
 */
export async function consent(authorizeUrl: URL, opts: { portalId: number; cancel?: boolean; optionalScopes?: string[] }): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page refused the install URL: ${page.status} ${await page.text()}`);
  const form = new URLSearchParams(authorizeUrl.searchParams);
  if (opts.optionalScopes) form.set('optional_scope', opts.optionalScopes.join(' '));
  form.set('action', opts.cancel ? 'cancel' : 'approve');
  form.set('portal_id', String(opts.portalId));
  const res = await fetch(new URL(authorizeUrl.pathname, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent did not redirect: ${res.status} ${await res.text()}`);
  return new URL(location);
}

/** Follows HubSpot's redirect to our callback (path and query only; the cookie as the browser holds it). */
export function callback(h: HubSpotHarness, redirect: URL, cookie?: string): request.Test {
  const req = request(h.backend.app).get(`${redirect.pathname}${redirect.search}`);
  return cookie ? req.set('Cookie', cookie) : req;
}

/** The whole OAuth install for an organization, from a new link to the callback's redirect. */
export async function connectWithOAuth(h: HubSpotHarness, org: { apiKey: string }, portalId: number, opts: { optionalScopes?: string[] } = {}): Promise<{ linkToken: string; response: request.Response }> {
  const link = await createInstallLink(h, org.apiKey);
  const started = await startInstall(h, link.token);
  const redirect = await consent(started.authorizeUrl, { portalId, ...opts });
  const response = await callback(h, redirect, started.cookie);
  return { linkToken: link.token, response };
}

/** Every row of every table in the public and pg-boss schemas, as text (for secret scans). */
export async function dumpDatabase(h: HubSpotHarness): Promise<string> {
  const { rows: tables } = await h.backend.tdb.pool.query<{ schemaname: string; tablename: string }>(
    "select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1, 2",
  );
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await h.backend.tdb.pool.query<{ row: string }>(`select t::text as row from "${t.schemaname}"."${t.tablename}" t`);
    parts.push(`-- ${t.schemaname}.${t.tablename}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** Every credential the emulator ever issued (access, refresh and Private App tokens). */
export async function issuedSecrets(h: HubSpotHarness): Promise<string[]> {
  const { accessTokens, refreshTokens } = await h.client.tokens();
  const portals = await h.client.portals();
  const pats = (await Promise.all(portals.map((p) => h.client.privateAppTokens(p.id)))).flat();
  return [...accessTokens.map((t) => t.token), ...refreshTokens.map((t) => t.token), ...pats.map((t) => t.token)];
}

/**
 * The secrets of `secrets` that appear in `text`, as plaintext or as the hex Postgres shows for
 * bytea (a plaintext token stored in a bytea column would show up that way).
 */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return secrets.filter((s) => s.length >= 8 && (text.includes(s) || lower.includes(Buffer.from(s, 'utf8').toString('hex'))));
}
