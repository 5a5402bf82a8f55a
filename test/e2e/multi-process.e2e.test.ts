// Two web and two worker processes (`npm run start:cluster`) on one Postgres, with the emulator
// over HTTP: HubSpot-delivered webhooks, workflow actions from the emulator's engine, the HubSpot
// proxy and a token refresh all go through different processes, and they share one HubSpot budget.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { freePort } from '../../backend/src/db/embedded.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator } from '../../emulator/src/emulator.js';
import type { ExecutionRecord } from '../../emulator/src/workflows/types.js';
import { expectEventually } from '../support/expect-eventually.js';
import { eventually } from '../support/eventually.js';
import { fetchRetryingClosedIdleSocket } from '../support/idle-socket-fetch.js';
import { spawnTs, type Spawned } from '../support/spawn.js';
import { createTestBackend, type TestBackend } from '../support/test-backend.js';

// HubSpot's 110 per 10 s scaled down, so the calls of this test fill several windows.
const LIMIT = { max: 20, intervalMs: 1_000 };

let emu: Emulator;
let hub: EmulatorClient;
let setup: TestBackend;
let cluster: Spawned;
let backendUrl: string;
let portalId: number;
/** An owner in that portal (a HubSpot user taking over). */
let ownerId: number;
let auth: string;
let organizationId: string;
let seq = 0;

beforeAll(async () => {
  const port = await freePort();
  backendUrl = `http://127.0.0.1:${port}`;
  // timeScale 0.1: HubSpot's 1-minute webhook retry becomes 6 s; its 20 s action timeout stays real,
  // since 2 s made a slow answer on a loaded machine a FAILED execution.
  emu = await createEmulator({ backendUrl, timeScale: 0.1, workflowActionTimeoutMs: 20_000, rateLimit: LIMIT, warn: () => undefined });
  hub = createEmulatorClient(emu.url);
  const env = {
    HUBSPOT_CLIENT_ID: emu.app.clientId,
    HUBSPOT_CLIENT_SECRET: emu.app.clientSecret,
    HUBSPOT_APP_ID: String(emu.app.appId),
    HUBSPOT_API_BASE_URL: emu.url,
    HUBSPOT_APP_BASE_URL: emu.url,
    PUBLIC_BASE_URL: backendUrl,
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: `admin-${crypto.randomBytes(24).toString('base64url')}`,
    HUBSPOT_BUDGET_MAX_CALLS: String(LIMIT.max),
    HUBSPOT_BUDGET_WINDOW_MS: String(LIMIT.intervalMs),
    HUBSPOT_BUDGET_INTERACTIVE_RESERVE: '4',
  };
  // In this process only for setup through the services (it runs no workers and serves nothing).
  setup = await createTestBackend({ env });
  cluster = spawnTs('scripts/cluster.ts', {
    ...env,
    DATABASE_URL: setup.tdb.url,
    PORT: String(port),
    SWITCHBOARD_WEB_PROCESSES: '2',
    SWITCHBOARD_WORKER_PROCESSES: '2',
    LOG_LEVEL: 'debug',
  });
  let ready = false;
  await Promise.race([
    eventually(() => cluster.stdout().includes('"msg":"cluster ready"'), { timeoutMs: 90_000, intervalMs: 100 }).then(() => (ready = true)),
    cluster.exited.then((code) => {
      if (!ready) throw new Error(`the cluster exited (${code}) before it was ready: ${cluster.stderr()}${cluster.stdout().slice(-3000)}`);
    }),
  ]);

  const created = await hub.createPortal({ name: 'Multi-process portal' });
  portalId = created.portal.id;
  ownerId = created.owner.id;
  const { organization, apiKey } = await setup.services.organizations.createOrganization({ name: 'Cluster Org' });
  const tokens = await hub.install(portalId);
  await setup.services.connections.applyOAuthGrant({
    organizationId: organization.id,
    grant: { portalId, portalDomain: null, scopes: tokens.scopes, approvedBy: null, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000) },
  });
  organizationId = organization.id;
  auth = `Bearer ${apiKey}`;
}, 120_000);

afterAll(async () => {
  if (cluster && cluster.child.exitCode === null) {
    cluster.child.kill('SIGTERM');
    await cluster.exited;
  }
  await emu?.stop();
  await setup?.destroy();
}, 60_000);

/** Calls the cluster's vendor API. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetchRetryingClosedIdleSocket(`${backendUrl}${path}`, { method, headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A HubSpot ticket with a vendor conversation linked to it; returns both ids. */
async function ticketWithConversation(): Promise<{ ticketId: number; conversationId: string }> {
  const n = ++seq;
  const ticketId = (await hub.createTicket(portalId, { properties: { subject: `Cluster ticket ${n}`, hs_pipeline_stage: '1' } })).id;
  const res = await api('POST', '/api/v1/conversations', { externalId: `cluster-chat-${n}`, ticketId });
  expect(res.status).toBe(201);
  return { ticketId, conversationId: res.body.id as string };
}

/** Lines the processes logged, parsed (pino JSON on stdout). */
function logRecords(): { pid?: number; role?: string; msg: string; path?: string; status?: number }[] {
  return cluster
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { pid?: number; role?: string; msg: string });
}

describe('2 web + 2 worker processes on one Postgres', () => {
  it('when webhooks, workflow actions, proxy calls and a token refresh hit different processes, then each event is handled once and HubSpot never answers 429', async () => {
    const before = await hub.portalCounters(portalId);
    const logStart = logRecords().length;
    const refreshLogStart = (await sql<{ id: number | null }>`select max(id)::int as id from token_refreshes`.execute(setup.tdb.db)).rows[0]!.id ?? 0;
    const viaWebhooks = await Promise.all(Array.from({ length: 10 }, () => ticketWithConversation()));
    const viaActions = await Promise.all(Array.from({ length: 6 }, () => ticketWithConversation()));
    // Every process must refresh on its next call; exactly one of them may refresh it.
    await sql`update hubspot_tokens set access_expires_at = now() - interval '1 second' where organization_id = ${organizationId}`.execute(setup.tdb.db);

    // All at once: owner changes (HubSpot → webhooks → worker processes → notes written back to
    // HubSpot), workflow executions (HubSpot → web processes), and interactive proxy calls.
    const [, executions, proxied] = await Promise.all([
      Promise.all(viaWebhooks.map((t) => hub.setTicketOwner(portalId, t.ticketId, ownerId))),
      Promise.all(
        viaActions.map((t) => hub.request<ExecutionRecord>('POST', '/_emulator/workflows/execute', { portalId, actionUid: 'pause-ai', objectType: 'TICKET', objectId: t.ticketId, inputFields: { reason: 'Cluster test' } })),
      ),
      Promise.all(Array.from({ length: 40 }, () => api('GET', '/api/v1/hubspot/crm/v3/objects/contacts?limit=1'))),
    ]);

    // Workflow actions: every execution succeeded and paused its conversation.
    expect(executions.map((e) => e.state)).toStrictEqual(viaActions.map(() => 'SUCCESS'));
    expect(proxied.map((p) => p.status)).toStrictEqual(proxied.map(() => 200));
    const all = [...viaWebhooks, ...viaActions];
    await expectEventually(async () => {
      for (const t of all) expect((await api('GET', `/api/v1/conversations/${t.conversationId}`)).body.aiState).toBe('paused');
    }, { timeoutMs: 30_000, intervalMs: 200 });

    // Each event handled once: one transition per conversation, one execution row per callback, the
    // owner-change events processed (none pending or dead), and in HubSpot one note per workflow
    // pause (written back by a worker process; owner-change pauses write none).
    const transitions = await sql<{ conversation_id: string; n: number }>`
      select conversation_id, count(*)::int as n from conversation_transitions where conversation_id = any(${all.map((t) => t.conversationId)}::uuid[]) group by 1`.execute(setup.tdb.db);
    expect(transitions.rows.map((r) => r.n)).toStrictEqual(all.map(() => 1));
    const ownerEvents = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from webhook_events where portal_id = ${portalId} and property_name = 'hubspot_owner_id' group by 1`.execute(setup.tdb.db);
    expect(ownerEvents.rows).toStrictEqual([{ status: 'processed', n: viaWebhooks.length }]);
    const callbacks = await sql<{ n: number }>`select count(*)::int as n from workflow_action_executions where portal_id = ${portalId}`.execute(setup.tdb.db);
    expect(callbacks.rows[0]!.n).toBe(viaActions.length);
    await expectEventually(async () => {
      const notes = (await hub.requests({ portalId, method: 'POST' })).filter((r) => r.path === '/crm/objects/2026-03/notes');
      expect(notes.filter((r) => r.status < 300)).toHaveLength(viaActions.length);
    }, { timeoutMs: 30_000, intervalMs: 200 });

    // One refresh across every process: the vault logged one round, and every call to the token
    // endpoint came from the one process that ran it. Within its round, an attempt that got no answer
    // (on a loaded machine the emulator can answer after the grant timeout) is asked again, and
    // HubSpot may have made that exchange anyway: one exchange for the answered attempt, plus at most
    // one per attempt given up on.
    const rounds = await sql<{ trigger: string; outcome: string }>`
      select trigger, outcome from token_refreshes where organization_id = ${organizationId} and id > ${refreshLogStart} order by id`.execute(setup.tdb.db);
    expect(rounds.rows).toStrictEqual([{ trigger: 'due', outcome: 'refreshed' }]);
    const tokenCalls = logRecords()
      .slice(logStart)
      .filter((r) => r.path === '/oauth/2026-03/token')
      .map((r) => ({ pid: r.pid, answer: r.msg === 'hubspot call' ? r.status : 'none' }));
    const refresher = tokenCalls[0]?.pid;
    expect(tokenCalls).toStrictEqual([...tokenCalls.slice(0, -1).map(() => ({ pid: refresher, answer: 'none' })), { pid: refresher, answer: 200 }]);
    const after = await hub.portalCounters(portalId);
    expect(after.tokenExchanges - before.tokenExchanges).toBeGreaterThanOrEqual(1);
    expect(after.tokenExchanges - before.tokenExchanges).toBeLessThanOrEqual(tokenCalls.length);
    // The budget held: not a single 429.
    expect(after.rateLimited - before.rateLimited).toBe(0);
    expect(after.apiCalls - before.apiCalls).toBeGreaterThanOrEqual(proxied.length + viaActions.length);

    // Both web processes and at least one worker process called HubSpot meanwhile.
    const callers = logRecords().filter((r) => r.msg === 'hubspot call');
    expect(new Set(callers.filter((r) => r.role === 'web').map((r) => r.pid)).size).toBe(2);
    expect(new Set(callers.filter((r) => r.role === 'worker').map((r) => r.pid)).size).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('when the cluster runs, then every web and worker process listens for connection changes (its route cache is on)', async () => {
    const listeners = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'switchboard-routes'`.execute(setup.tdb.db)).rows[0]!.n;
    // The four cluster processes, plus this test's own setup backend.
    await eventually(async () => (await listeners()) === 5, { timeoutMs: 30_000 });
  }, 60_000);

  it('when the cluster is told to stop, then every process drains and the launcher exits 0', async () => {
    cluster.child.kill('SIGTERM');
    expect(await cluster.exited).toBe(0);
    const stopped = logRecords().filter((r) => r.msg === 'stopped').map((r) => r.pid);
    expect(new Set(stopped).size).toBe(4);
  }, 60_000);
});
