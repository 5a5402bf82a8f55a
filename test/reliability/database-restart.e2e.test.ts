// The database stopped and restarted under load. A backend *process* (web + workers) runs on its own
// embedded Postgres; HubSpot (the emulator) keeps delivering webhook batches before, during and after
// the outage. While the database is down /readyz is red and intake answers 503 (HubSpot retries);
// once it is back /readyz is green again, the same process carries on (it must not crash), and every
// event it answered 200 for is applied exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createDb, type Db } from '../../backend/src/db/database.js';
import { freePort, startEmbeddedPostgres, type EmbeddedPg } from '../../backend/src/db/embedded.js';
import { migrateToLatest } from '../../backend/src/db/migrate.js';
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
import { spawnTs, type Spawned } from '../support/spawn.js';
import { buildTestConfig } from '../support/test-config.js';
import { watchChildOutput } from '../support/child-output.js';

const P = 62515;
const OWNER = 51_000_002;
const PER_PHASE = 15;

interface DeliveryAttempt {
  batchId: string;
  eventIds: number[];
  ok: boolean;
  status?: number;
  outcome: string;
}

describe('database stopped and restarted under load', () => {
  let dataRoot: string;
  let pgPort: number;
  let embedded: EmbeddedPg | undefined;
  let databaseUrl: string;
  let db: Db;
  let emulator: Emulator;
  let hub: EmulatorClient;
  let services: Services;
  let env: Record<string, string>;
  let backend: Spawned | undefined;

  const startPostgres = async () => {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'pg'), port: pgPort });
  };
  const stopPostgres = async () => {
    await embedded?.stop();
    embedded = undefined;
  };

  beforeAll(async () => {
    dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-db-restart-'));
    fs.chmodSync(dataRoot, 0o755);
    pgPort = await freePort();
    await startPostgres();
    const admin = new pg.Client({ connectionString: embedded!.url });
    await admin.connect();
    await admin.query('create database switchboard');
    await admin.end();
    databaseUrl = embedded!.url.replace(/\/postgres$/, '/switchboard');
    ({ db } = createDb(databaseUrl, { max: 3 }));
    await migrateToLatest(db);

    const port = await freePort();
    const backendUrl = `http://127.0.0.1:${port}`;
    // timeScale 0.01: HubSpot's 1-minute first retry becomes 0.6 s; the 5 s attempt deadline is kept.
    emulator = await createEmulator({ backendUrl, timeScale: 0.01, warn: () => undefined });
    hub = createEmulatorClient(emulator.url);
    await hub.request('POST', '/_emulator/webhooks/knobs', { maxBatchSize: 5, timeoutMs: 500_000 });
    env = backendEnvFor(emulator, { databaseUrl, port, dataDir: path.join(dataRoot, 'data') });
    const logs = captureLogs();
    services = composeBackend({ config: buildTestConfig(env), db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: databaseUrl, log: logs.log }) }).services;
  }, 120_000);

  afterAll(async () => {
    if (backend && backend.child.exitCode === null && backend.child.signalCode === null) backend.child.kill('SIGKILL');
    await backend?.exited;
    await emulator?.stop();
    await db?.destroy().catch(() => undefined);
    if (!embedded) await startPostgres().catch(() => undefined);
    await stopPostgres().catch(() => undefined);
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }, 60_000);

  const readyz = async () => (await fetch(`${env.PUBLIC_BASE_URL}/readyz`)).status;
  const deliveries = async () => (await hub.request<{ deliveries: DeliveryAttempt[] }>('GET', `/_emulator/webhooks/deliveries?portalId=${P}`)).deliveries;
  const acknowledgedEventIds = async () => new Set((await deliveries()).filter((d) => d.ok && d.status === 200).flatMap((d) => d.eventIds));

  it('when Postgres stops and comes back, then readyz goes red then green, intake answers 503 meanwhile, the process survives and every acknowledged event is applied once', async () => {
    const { organization } = await services.organizations.createOrganization({ name: 'Outage Org' });
    const tokens = await hub.install(P);
    await services.connections.applyOAuthGrant({
      organizationId: organization.id,
      grant: { portalId: P, portalDomain: null, scopes: tokens.scopes, approvedBy: null, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000) },
    });
    const tickets: number[] = [];
    const conversationByTicket = new Map<number, string>();
    for (let i = 0; i < PER_PHASE * 3; i++) {
      const ticket = await hub.createTicket(P, { properties: { subject: `Outage ${i}`, hs_pipeline_stage: '1' } });
      tickets.push(ticket.id);
      const { conversation } = await services.conversations.upsertByExternalId(organization.id, { externalId: `outage-${i}`, ticketId: ticket.id });
      conversationByTicket.set(ticket.id, conversation.id);
    }
    // This process's pool must not hold connections across the outage (it is the test's, not the backend's).
    await db.destroy();

    backend = spawnTs('backend/src/main.ts', env);
    const output = watchChildOutput(backend);
    await eventually(
      async () => {
        if (backend!.child.exitCode !== null) throw new Error(`backend exited: ${backend!.stderr().slice(-2000)}${backend!.stdout().slice(-2000)}`);
        return (await readyz()) === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );

    // Phase 1, database up: owner changes are delivered and acknowledged.
    for (const id of tickets.slice(0, PER_PHASE)) await hub.setTicketOwner(P, id, OWNER);
    await eventually(async () => (await acknowledgedEventIds()).size >= 5, { timeoutMs: 30_000, intervalMs: 10 });

    // Outage, while phase-1 batches are still arriving and being processed.
    await stopPostgres();
    await eventually(async () => (await readyz()) === 503, { timeoutMs: 15_000, intervalMs: 50 });
    // Phase 2, database down: HubSpot keeps sending; intake must refuse with 503 so HubSpot retries.
    for (const id of tickets.slice(PER_PHASE, PER_PHASE * 2)) await hub.setTicketOwner(P, id, OWNER);
    await eventually(async () => (await deliveries()).some((d) => !d.ok && d.status === 503), { timeoutMs: 30_000, intervalMs: 20 });
    // A batch sent straight to intake gets the standard error body.
    const body = JSON.stringify([{ eventId: 9_000_001, portalId: P, occurredAt: Date.now(), subscriptionType: 'ticket.creation', objectId: 1 }]);
    const ts = Date.now();
    const direct = await fetch(`${env.PUBLIC_BASE_URL}/hubspot/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signV3(env.HUBSPOT_CLIENT_SECRET!, 'POST', `${env.PUBLIC_BASE_URL}/hubspot/webhooks`, body, ts), 'x-hubspot-request-timestamp': String(ts) },
      body,
    });
    expect(direct.status).toBe(503);
    expect(await direct.json()).toStrictEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
    expect(backend.child.exitCode).toBeNull();

    // Back up on the same port and data: the same process recovers without a restart.
    await startPostgres();
    await eventually(async () => (await readyz()) === 200, { timeoutMs: 30_000, intervalMs: 50 });
    // Phase 3, database up again.
    for (const id of tickets.slice(PER_PHASE * 2)) await hub.setTicketOwner(P, id, OWNER);
    // The database is back: what was refused during the outage need not wait out HubSpot's growing
    // backoff (on a slow machine it outgrows any flush deadline). A retry that fails again is sent
    // again on the next round.
    await eventually(
      async () => {
        await hub.request('POST', '/_emulator/webhooks/retry-now');
        await hub.request('POST', '/_emulator/webhooks/flush', { timeoutMs: 5_000 });
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );

    const log = await deliveries();
    const acknowledged = new Set(log.filter((d) => d.ok && d.status === 200).flatMap((d) => d.eventIds));
    const events = (await hub.request<{ events: { eventId: number; subscriptionType: string }[] }>('GET', `/_emulator/webhooks/events?portalId=${P}`)).events;
    expect(events.filter((e) => e.subscriptionType === 'ticket.propertyChange')).toHaveLength(PER_PHASE * 3);
    expect(log.filter((d) => d.outcome === 'dropped')).toStrictEqual([]);
    for (const e of events) expect(acknowledged.has(e.eventId)).toBe(true);
    const refusedDuringOutage = log.filter((d) => !d.ok && d.status === 503).length;
    expect(refusedDuringOutage).toBeGreaterThan(0);

    const check = createDb(databaseUrl, { max: 2 });
    try {
      await eventually(async () => (await check.db.selectFrom('webhook_events').select('id').where('status', '=', 'pending').execute()).length === 0, { timeoutMs: 60_000, intervalMs: 100 });
      const rows = await check.db.selectFrom('webhook_events').select(['event_id', 'status']).execute();
      expect(rows).toHaveLength(events.length);
      expect(rows.filter((r) => r.status !== 'processed')).toStrictEqual([]);
      const transitions = await check.db.selectFrom('conversation_transitions').select(['conversation_id']).where('organization_id', '=', organization.id).execute();
      const paused = await check.db.selectFrom('events').select(['data']).where('organization_id', '=', organization.id).where('type', '=', 'ai.paused').execute();
      for (const [ticketId, conversationId] of conversationByTicket) {
        expect([ticketId, transitions.filter((t) => t.conversation_id === conversationId).length]).toStrictEqual([ticketId, 1]);
        expect([ticketId, paused.filter((e) => e.data.conversationId === conversationId).length]).toStrictEqual([ticketId, 1]);
      }
    } finally {
      await check.db.destroy();
    }
    // The process that lived through the outage is the one that finished the work.
    expect(backend.child.exitCode).toBeNull();
    expect(output.fatalLines()).toStrictEqual([]);
    const requeued = output.records().filter((r) => r.msg === 'webhook events interrupted by a database outage re-queued').reduce((n, r) => n + Number(r.count), 0);
    recordFigures('database-restart', {
      outages: 1,
      eventsInterruptedMidJobAndRequeued: requeued,
      eventsPublished: events.length,
      eventsAcknowledged: acknowledged.size,
      deliveriesRefusedWith503: refusedDuringOutage,
      eventsLost: events.filter((e) => !acknowledged.has(e.eventId)).length,
      eventsAppliedTwice: 0,
    });
  }, 180_000);
});
