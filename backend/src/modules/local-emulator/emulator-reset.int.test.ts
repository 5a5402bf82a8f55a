// Local mode: a backend whose emulator is reset under it says so in the log and on the connection page,
// and stops saying so once the organization reconnected. Real emulator, real database, local-mode config.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createEmulatorClient, type EmulatorClient } from '../../../../emulator/client.js';
import { createEmulator, type Emulator } from '../../../../emulator/src/emulator.js';
import { captureLogs, type CapturedLogs } from '../../../../test/support/capture-logs.js';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-db.js';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { systemClock } from '../../platform/clock.js';
import { createJobs, type Jobs } from '../../platform/jobs.js';
import { composeBackend, type Backend, type Services } from '../../composition.js';

const PORTAL = 62515;
let emulator: Emulator;
let hub: EmulatorClient;
let tdb: TestDatabase;
let jobs: Jobs;
let logs: CapturedLogs;
let services: Services;
let backend: Backend;
let app: ReturnType<typeof createApp>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-emulator-reset-'));
const secrets = { tokenEncryptionKey: crypto.randomBytes(32).toString('base64'), adminApiKey: `admin-${crypto.randomBytes(24).toString('base64url')}` };

/** Builds a local-mode backend (services and app) on the shared database, as `npm start` would. */
function buildBackend(): void {
  const config = loadConfig(
    { DATABASE_URL: tdb.url, DATA_DIR: dataDir, EMULATOR_PORT: String(emulator.port), LOG_LEVEL: 'debug' },
    {
      ...secrets,
      emulatorClientId: emulator.app.clientId,
      emulatorClientSecret: emulator.app.clientSecret,
      emulatorAppId: emulator.app.appId,
    },
  );
  expect(config.mode).toBe('local');
  const infra = { config, db: tdb.db, log: logs.log, clock: systemClock, jobs };
  backend = composeBackend(infra);
  services = backend.services;
  app = createApp({ ...infra, services });
}

beforeAll(async () => {
  emulator = await createEmulator({ webhooks: false, warn: () => undefined });
  hub = createEmulatorClient(emulator.url);
  tdb = await createTestDatabase();
  logs = captureLogs();
  jobs = createJobs({ connectionString: tdb.url, log: logs.log, max: 2 });
  buildBackend();
  await jobs.start(backend.jobs, { work: false });
});
afterAll(async () => {
  await jobs?.stop().catch(() => undefined);
  await tdb?.destroy();
  await emulator?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const resetErrors = () => logs.records().filter((r) => r.level === 50 && String(r.msg).includes('emulator was reset'));

async function page(linkToken: string): Promise<string> {
  const res = await request(app).get(`/connect/${linkToken}`).set('Accept', 'text/html');
  expect(res.status).toBe(200);
  return res.text;
}

describe('local mode: the emulator reset under the backend', () => {
  it('when the emulator is reset after an organization connected, then the log says so once at error level and the page shows a reconnect banner until the organization reconnects', async () => {
    const org = await connectWithTokens(services, PORTAL, await hub.install(PORTAL), 'Reset Co');
    const link = await services.installs.createInstallLink(org.id, {});
    const token = new URL(link.url).pathname.split('/').pop()!;

    const before = await page(token);
    expect(before).toContain('data-status="connected"');
    expect(before).not.toContain('data-notice="emulator_reset"');
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'emulator-instance.json'), 'utf8'))).toMatchObject({ instanceId: (await hub.health()).instanceId, resetDetected: false });

    await hub.reset();
    const after = await page(token);
    expect(after).toContain('data-notice="emulator_reset"');
    expect(after).toContain('The local HubSpot emulator was reset');
    expect(after).toContain(`href="/oauth/install?link=${token}">Reconnect with HubSpot</a>`);
    expect(resetErrors()).toHaveLength(1);

    // A new backend process on the same data folder still knows (the check is kept in DATA_DIR).
    buildBackend();
    expect(await page(token)).toContain('data-notice="emulator_reset"');
    expect(resetErrors()).toHaveLength(1);

    // Reconnecting installs the app again in the fresh emulator: the banner goes away.
    await services.connections.applyOAuthGrant({
      organizationId: org.id,
      grant: await (async () => {
        const t = await hub.install(PORTAL);
        return { portalId: PORTAL, portalDomain: null, scopes: t.scopes, approvedBy: null, accessToken: t.access_token, refreshToken: t.refresh_token, accessExpiresAt: new Date(Date.now() + t.expires_in * 1000) };
      })(),
    });
    expect(await page(token)).not.toContain('data-notice="emulator_reset"');
  });
});
