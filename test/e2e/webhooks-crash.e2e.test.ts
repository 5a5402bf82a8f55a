// Durability of the webhook intake: a backend *process* is SIGKILLed in the middle of a stream of
// batches, restarted on the same port, and every event it answered 200 for is processed exactly once.
// HubSpot (the emulator) retries whatever was not acknowledged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../../backend/src/db/embedded.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { composeBackend, type Services } from '../../backend/src/composition.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator } from '../../emulator/src/emulator.js';
import { backendEnvFor } from '../support/backend-env.js';
import { captureLogs } from '../support/capture-logs.js';
import { eventually } from '../support/eventually.js';
import { spawnTs, type Spawned } from '../support/spawn.js';
import { buildTestConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const P = 62515;
const TICKETS = 60;
const OWNER = 51_000_002;

interface DeliveryAttempt {
  batchId: string;
  eventIds: number[];
  ok: boolean;
  status?: number;
  error?: string;
  outcome: string;
}

describe('webhook intake across a SIGKILL', () => {
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
    // timeScale 0.01: HubSpot's 1-minute first retry becomes 0.6 s; 5-per-batch makes many batches.
    // The attempt deadline is scaled too, so it is set back to HubSpot's 5 s (500 s × 0.01).
    emulator = await createEmulator({ backendUrl, timeScale: 0.01, warn: () => undefined });
    hub = createEmulatorClient(emulator.url);
    await hub.request('POST', '/_emulator/webhooks/knobs', { paused: true, maxBatchSize: 5, timeoutMs: 500_000 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-crash-'));
    env = backendEnvFor(emulator, { databaseUrl: tdb.url, port, dataDir, logLevel: 'warn' });
    // Setup through the services, in this process, on the same database (nothing started).
    const config = buildTestConfig(env);
    const logs = captureLogs();
    services = composeBackend({ config, db: tdb.db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: tdb.url, log: logs.log }) }).services;
  });

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await emulator.stop();
    await tdb.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function startBackend(): Promise<Spawned> {
    const child = spawnTs('backend/src/main.ts', env);
    children.push(child);
    await eventually(
      async () => {
        if (child.child.exitCode !== null) throw new Error(`backend exited: ${child.stderr().slice(-2000)}${child.stdout().slice(-2000)}`);
        const res = await fetch(`${env.PUBLIC_BASE_URL}/readyz`);
        return res.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    return child;
  }

  const deliveries = async () => (await hub.request<{ deliveries: DeliveryAttempt[] }>('GET', `/_emulator/webhooks/deliveries?portalId=${P}`)).deliveries;

  it('when the backend is killed mid-stream and restarted, then every event answered 200 is processed exactly once', async () => {
    const { organization } = await services.organizations.createOrganization({ name: 'Crash Org' });
    const tokens = await hub.install(P);
    await services.connections.applyOAuthGrant({
      organizationId: organization.id,
      grant: { portalId: P, portalDomain: null, scopes: tokens.scopes, approvedBy: null, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000) },
    });
    const ticketIds: number[] = [];
    const conversationByTicket = new Map<number, string>();
    for (let i = 0; i < TICKETS; i++) {
      const ticket = await hub.createTicket(P, { properties: { subject: `Crash ${i}`, hs_pipeline_stage: '1' } });
      ticketIds.push(ticket.id);
      const { conversation } = await services.conversations.upsertByExternalId(organization.id, { externalId: `crash-${i}`, ticketId: ticket.id });
      conversationByTicket.set(ticket.id, conversation.id);
    }

    const first = await startBackend();
    await hub.request('POST', '/_emulator/webhooks/resume');
    // The stream: one owner change per ticket, in many small batches.
    let published = 0;
    const publishing = (async () => {
      for (const id of ticketIds) {
        await hub.setTicketOwner(P, id, OWNER);
        published += 1;
      }
    })();
    // Kill while batches are being acknowledged and more are on the way.
    await eventually(async () => (await deliveries()).filter((d) => d.ok).length >= 8, { timeoutMs: 30_000, intervalMs: 5 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const acknowledgedBeforeKill = (await deliveries()).filter((d) => d.ok).length;
    await publishing;
    expect(published).toBe(TICKETS);
    // Nothing answers while it is down: deliveries fail and are retried.
    await eventually(async () => (await deliveries()).some((d) => !d.ok && d.outcome === 'retry'), { timeoutMs: 30_000, intervalMs: 20 });

    await startBackend();
    await hub.request('POST', '/_emulator/webhooks/flush', { timeoutMs: 60_000 });

    const log = await deliveries();
    const acknowledged = new Set(log.filter((d) => d.ok && d.status === 200).flatMap((d) => d.eventIds));
    const allEvents = (await hub.request<{ events: { eventId: number; objectId: number; subscriptionType: string }[] }>('GET', `/_emulator/webhooks/events?portalId=${P}`)).events;
    const ownerEvents = allEvents.filter((e) => e.subscriptionType === 'ticket.propertyChange');
    expect(ownerEvents).toHaveLength(TICKETS);
    // The kill really happened mid-stream: some were acknowledged before it, and some attempts failed.
    expect(acknowledgedBeforeKill).toBeGreaterThanOrEqual(8);
    expect(log.some((d) => !d.ok)).toBe(true);
    // HubSpot gave up on nothing, so every event was eventually answered 200.
    expect(log.filter((d) => d.outcome === 'dropped')).toStrictEqual([]);
    for (const e of allEvents) expect(acknowledged.has(e.eventId)).toBe(true);

    await eventually(
      async () => {
        const pending = await tdb.db.selectFrom('webhook_events').select('id').where('status', '=', 'pending').execute();
        return pending.length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const rows = await tdb.db.selectFrom('webhook_events').select(['event_id', 'subscription_type', 'object_id', 'status']).execute();
    // Each acknowledged event stored once (duplicates from retries were deduplicated) and finished.
    expect(rows).toHaveLength(allEvents.length);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.status !== 'processed')).toStrictEqual([]);
    // ... and applied exactly once: one pause, one audit row and one ai.paused per linked conversation.
    const transitions = await tdb.db.selectFrom('conversation_transitions').select(['conversation_id']).where('organization_id', '=', organization.id).execute();
    const paused = await tdb.db.selectFrom('events').select(['data']).where('organization_id', '=', organization.id).where('type', '=', 'ai.paused').execute();
    for (const [ticketId, conversationId] of conversationByTicket) {
      expect([ticketId, transitions.filter((t) => t.conversation_id === conversationId).length]).toStrictEqual([ticketId, 1]);
      expect([ticketId, paused.filter((e) => e.data.conversationId === conversationId).length]).toStrictEqual([ticketId, 1]);
    }
    const states = await tdb.db.selectFrom('conversations').select('ai_state').where('organization_id', '=', organization.id).execute();
    expect(states.every((s) => s.ai_state === 'paused')).toBe(true);
  }, 180_000);
});
