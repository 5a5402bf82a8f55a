// A worker process SIGKILLed in the middle of a batch: the web process (separate) has acknowledged the
// event, the worker has claimed its portal and is inside the handler (waiting on a slow HubSpot read)
// when it dies. Its claim goes with its connection; a new worker picks the event up and applies it
// once, and processing it again changes nothing. (webhooks-crash.e2e.test.ts covers a web+worker process killed mid-stream.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { freePort } from '../../backend/src/db/embedded.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { composeBackend, type Services } from '../../backend/src/composition.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator } from '../../emulator/src/emulator.js';
import { signV3 } from '../../emulator/src/signing.js';
import { backendEnvFor } from '../support/backend-env.js';
import { recordFigures } from '../support/artifacts.js';
import { captureLogs } from '../support/capture-logs.js';
import { eventually } from '../support/eventually.js';
import { trackEmulator } from '../support/secret-registry.js';
import { spawnTs, type Spawned } from '../support/spawn.js';
import { buildTestConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const P = 62515;
const TICKET = 1001; // seeded with owner 51000002

describe('worker killed mid-job', () => {
  let tdb: TestDatabase;
  let emulator: Emulator;
  let hub: EmulatorClient;
  let services: Services;
  let env: Record<string, string>;
  let dataDir: string;
  const children: Spawned[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const port = await freePort();
    const backendUrl = `http://127.0.0.1:${port}`;
    emulator = await createEmulator({ backendUrl, webhooks: false, warn: () => undefined });
    trackEmulator(emulator);
    hub = createEmulatorClient(emulator.url);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-worker-kill-'));
    // One attempt per HubSpot call, each allowed to wait long: the job sits in the handler.
    env = backendEnvFor(emulator, { databaseUrl: tdb.url, port, dataDir, extra: { HUBSPOT_TIMEOUT_MS: '60000', HUBSPOT_MAX_ATTEMPTS: '1' } });
    const logs = captureLogs();
    services = composeBackend({ config: buildTestConfig(env), db: tdb.db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: tdb.url, log: logs.log }) }).services;
  });

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await emulator.stop();
    await tdb.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (role: 'web' | 'worker') => {
    const child = spawnTs('backend/src/main.ts', { ...env, SWITCHBOARD_ROLE: role });
    children.push(child);
    return child;
  };
  // Portals claimed by a drain: each is a session advisory lock held by a live connection.
  const portalClaims = async () =>
    Number(
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and objsubid = 1
          and ((classid::bigint << 32) | objid::bigint) = hashtextextended('switchboard.webhook-portal:' || ${P}::text, 0)`.execute(tdb.db)
      ).rows[0]?.n,
    );

  it('when the worker dies inside the handler, then a new worker applies the event once and the old job re-running changes nothing', async () => {
    const { organization } = await services.organizations.createOrganization({ name: 'Worker Kill Org' });
    const tokens = await hub.install(P);
    await services.connections.applyOAuthGrant({
      organizationId: organization.id,
      grant: { portalId: P, portalDomain: null, scopes: tokens.scopes, approvedBy: null, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000) },
    });
    const { conversation } = await services.conversations.upsertByExternalId(organization.id, { externalId: 'worker-kill', ticketId: TICKET });

    const web = start('web');
    await eventually(
      async () => {
        if (web.child.exitCode !== null) throw new Error(`web exited: ${web.stderr().slice(-2000)}${web.stdout().slice(-2000)}`);
        return (await fetch(`${env.PUBLIC_BASE_URL}/readyz`)).status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    // HubSpot is slow: the ticket.creation handler's owner read will hang inside the job.
    await hub.setFaults({ apiLatencyMs: 120_000 });
    const body = JSON.stringify([{ eventId: 1, subscriptionId: 1001, portalId: P, appId: emulator.app.appId, occurredAt: Date.now(), subscriptionType: 'ticket.creation', attemptNumber: 0, objectId: TICKET, changeFlag: 'NEW' }]);
    const ts = Date.now();
    const ack = await fetch(`${env.PUBLIC_BASE_URL}/hubspot/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(env.HUBSPOT_CLIENT_SECRET!, 'POST', `${env.PUBLIC_BASE_URL}/hubspot/webhooks`, body, ts), 'x-hubspot-request-timestamp': String(ts) },
      body,
    });
    expect(ack.status).toBe(200);
    const [event] = await tdb.db.selectFrom('webhook_events').select(['id', 'status']).execute();
    expect(event?.status).toBe('pending');

    const worker = start('worker');
    // The worker claimed the portal: its batch is under way (the owner read it makes hangs for 120 s).
    await eventually(async () => (await portalClaims()) > 0, { timeoutMs: 60_000, intervalMs: 50 });
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    await hub.clearFaults();
    // Nothing was applied, the event is still pending, and the killed worker's claim on the portal
    // went with its connection.
    expect((await tdb.db.selectFrom('conversations').select('ai_state').where('id', '=', conversation.id).executeTakeFirstOrThrow()).ai_state).toBe('active');
    expect((await tdb.db.selectFrom('webhook_events').select('status').where('id', '=', event!.id).executeTakeFirstOrThrow()).status).toBe('pending');
    await eventually(async () => (await portalClaims()) === 0, { timeoutMs: 30_000, intervalMs: 50 });

    const replacement = start('worker');
    await eventually(async () => (await tdb.db.selectFrom('webhook_events').select('status').where('id', '=', event!.id).executeTakeFirstOrThrow()).status === 'processed', {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    expect(replacement.child.exitCode).toBeNull();
    // Processing the event again (as the killed worker's drain would have) finds it done.
    await services.webhooks.processEvent(event!.id);

    const transitions = await tdb.db.selectFrom('conversation_transitions').select(['to_state', 'source']).where('conversation_id', '=', conversation.id).execute();
    expect(transitions).toStrictEqual([{ to_state: 'paused', source: 'owner_change' }]);
    const paused = await tdb.db.selectFrom('events').select('id').where('organization_id', '=', organization.id).where('type', '=', 'ai.paused').execute();
    expect(paused).toHaveLength(1);
    recordFigures('worker-kill', { workersKilledMidJob: 1, eventsAcknowledged: 1, eventsApplied: transitions.length, eventsLost: 0 });
  }, 120_000);
});
