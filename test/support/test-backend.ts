import type { Express } from 'express';
import { createApp } from '../../backend/src/app.js';
import type { Config } from '../../backend/src/config.js';
import { createManualClock, systemClock, type Clock } from '../../backend/src/platform/clock.js';
import { createJobs, type JobDefinition, type Jobs } from '../../backend/src/platform/jobs.js';
import type { PushResolver } from '../../backend/src/modules/events/push-client.js';
import { composeBackend, type Services } from '../../backend/src/composition.js';
import { captureLogs, type CapturedLogs } from './capture-logs.js';
import { buildTestConfig } from './test-config.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

/** A backend wired to a fresh database, for supertest (the app never listens). */
export interface TestBackend {
  app: Express;
  config: Config;
  services: Services;
  jobs: Jobs;
  /** Every job type the backend's modules define (what its workers run). */
  jobDefinitions: JobDefinition<never>[];
  tdb: TestDatabase;
  logs: CapturedLogs;
  clock: Clock;
  /** Stops workers and drops the database. */
  destroy(): Promise<void>;
}

/** Options for createTestBackend. */
export interface TestBackendOptions {
  /** Environment overrides for the Config (e.g. HUBSPOT_API_BASE_URL pointing at an emulator). */
  env?: Record<string, string | undefined>;
  /** Start this process's job workers (default false: tests that need processing turn them on). */
  workers?: boolean;
  /** Use a manual clock starting at this time instead of the system clock. */
  manualClockAt?: number;
  /** Resolver of event-push destination names (a stub keeps tests off /etc/hosts and DNS). */
  pushResolver?: PushResolver;
}

/** Builds a backend on a fresh database. Point it at an emulator with `env: emulatorEnv(emu)`. */
export async function createTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const tdb = await createTestDatabase();
  const config = buildTestConfig({ ...options.env, DATABASE_URL: tdb.url });
  const logs = captureLogs();
  const clock = options.manualClockAt === undefined ? systemClock : createManualClock(options.manualClockAt);
  const jobs = createJobs({ connectionString: tdb.url, log: logs.log, max: 3 });
  const infra = { config, db: tdb.db, log: logs.log, clock, jobs, ...(options.pushResolver ? { pushResolver: options.pushResolver } : {}) };
  const backend = composeBackend(infra);
  const { services, jobs: jobDefinitions } = backend;
  // The route cache on, as in a running process (it listens for connection changes).
  await backend.listen(tdb.url);
  await jobs.start(jobDefinitions, { work: options.workers ?? false });
  const app = createApp({ ...infra, services });
  return {
    app,
    config,
    services,
    jobs,
    jobDefinitions,
    tdb,
    logs,
    clock,
    destroy: async () => {
      await jobs.stop().catch(() => undefined);
      await backend.stop().catch(() => undefined);
      await tdb.destroy();
    },
  };
}
