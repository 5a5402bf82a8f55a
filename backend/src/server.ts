import type http from 'node:http';
import path from 'node:path';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedPg } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureLocalSecrets } from './local-secrets.js';
import { systemClock } from './platform/clock.js';
import { createJobs, isUnrecordedJobEnd } from './platform/jobs.js';
import { composeBackend } from './composition.js';
import { createLogger, moduleLogger, type Logger } from './platform/logger.js';
import { watchParent } from './platform/parent-watch.js';

/** A started backend process. */
export interface RunningBackend {
  config: Config;
  /** Base URL the HTTP server listens on (undefined for worker-only processes). */
  url?: string;
  databaseUrl: string;
  /** Stops accepting, drains in-flight requests, closes the pool, stops embedded Postgres. */
  stop(): Promise<void>;
  /** Cuts open requests and stops embedded Postgres at once (a second Ctrl-C). */
  forceStop(): Promise<void>;
}

/**
 * Reads the environment into a Config, generating local-only secrets in local mode. On a bad
 * environment prints one line naming every bad variable and exits 1 before anything starts.
 */
export function configFromEnvOrExit(env: NodeJS.ProcessEnv): { config: Config; log: Logger } {
  const dataDir = env.DATA_DIR?.trim() || '.data';
  const isLocal = !env.HUBSPOT_CLIENT_ID?.trim();
  const local = isLocal ? ensureLocalSecrets(dataDir) : undefined;
  let config: Config;
  try {
    config = loadConfig(env, local?.secrets);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  if (local?.created) {
    moduleLogger(log, 'config').warn(
      { file: local.file },
      'local mode: generated local-only secrets (token key, admin key, emulator app credentials); never use them in a deployment',
    );
  }
  return { config, log };
}

/** Starts the backend: database (embedded when no DATABASE_URL), migrations, HTTP server. */
export async function startBackend(config: Config, log: Logger): Promise<RunningBackend> {
  const mainLog = moduleLogger(log, 'main');
  let embedded: EmbeddedPg | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = path.resolve(config.dataDir, 'postgres');
    mainLog.info({ dataDir }, 'no DATABASE_URL: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir,
      onLog: (line) => mainLog.debug({ pg: line.trim() }, 'postgres'),
      onWarn: (message) => mainLog.warn({ dataDir }, message),
    });
    databaseUrl = embedded.url;
  }
  try {
    return await startOn(config, log, databaseUrl, embedded);
  } catch (err) {
    // Runs in its own session: it would outlive this process.
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

async function startOn(config: Config, log: Logger, databaseUrl: string, embedded: EmbeddedPg | undefined): Promise<RunningBackend> {
  const mainLog = moduleLogger(log, 'main');
  const { db, pool } = createDb(databaseUrl, { max: config.databasePool.max });
  // The HubSpot budget's own two connections: a caller holding a data-pool transaction while it
  // waits for a HubSpot slot can then never starve the budget (see Infra.budgetDb).
  const budget = createDb(databaseUrl, { max: 2, applicationName: 'switchboard-budget' });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) moduleLogger(log, 'db').info({ applied }, 'migrations applied');
  } catch (err) {
    await pool.end().catch(() => undefined);
    await budget.pool.end().catch(() => undefined);
    throw err;
  }

  const jobs = createJobs({ connectionString: databaseUrl, log: moduleLogger(log, 'jobs'), max: config.databasePool.jobsMax });
  const backend = composeBackend({ config, db, log, clock: systemClock, jobs, budgetDb: budget.db });
  const { services } = backend;
  await jobs.start(backend.jobs, { work: config.role !== 'web' });
  for (const { job, cron } of backend.schedules) await jobs.schedule(job, cron);
  if (config.role !== 'web') await backend.afterWorkersStarted();

  let server: http.Server | undefined;
  let url: string | undefined;
  if (config.role !== 'worker') {
    const app = createApp({ config, db, log, clock: systemClock, jobs, services });
    server = await new Promise<http.Server>((resolve, reject) => {
      const s = app.listen(config.port, (err?: Error) => (err ? reject(err) : resolve(s)));
    });
    // Above a load balancer's idle timeout, so the balancer, not this server, closes idle
    // connections: otherwise it may reuse one this server is closing (a 502 for that request).
    server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
    server.headersTimeout = config.http.headersTimeoutMs;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://127.0.0.1:${port}`;
    mainLog.info({ port, mode: config.mode, publicBaseUrl: config.publicBaseUrl }, 'listening');
  }
  // Every role routes portals (web: cards, actions, intake; worker: webhook events). Last, as it
  // never throws (a failed attempt retries in the background; lookups read the table meanwhile),
  // so no start failure leaves its connection open.
  await backend.listen(databaseUrl);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (server) {
        const s = server;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        // Give in-flight requests time to finish, then cut what is left.
        const force = setTimeout(() => s.closeAllConnections(), 10_000);
        await closed;
        clearTimeout(force);
      }
      await jobs.stop().catch(() => undefined);
      await backend.stop().catch(() => undefined);
      await db.destroy().catch(() => undefined);
      await budget.db.destroy().catch(() => undefined);
      // Last: everything above may still need the database while it drains.
      await embedded?.stop().catch(() => undefined);
      mainLog.info('stopped');
    })());
  const forceStop = async () => {
    server?.closeAllConnections();
    await embedded?.stop().catch(() => undefined);
  };
  return { config, url, databaseUrl, stop, forceStop };
}

/** What stopOnSignals stops. */
export interface Stoppable {
  /** Drains and stops. */
  stop(): Promise<void>;
  /** Cuts what is left at once (open requests) but still stops what would outlive the process (Postgres). */
  forceStop?(): Promise<void>;
}

/** Options of stopOnSignals. */
export interface StopOnSignalsOptions {
  /**
   * A signal more than DUPLICATE_SIGNAL_MS after the first forces the stop (default true). A
   * cluster child says false: its launcher forces it instead.
   */
  secondSignalForces?: boolean;
}

/**
 * A terminal's Ctrl-C reaches every process of its foreground group, and `npm` passes the signal
 * on to its child as well: one Ctrl-C arrives twice. Repeats within this window are that one.
 */
export const DUPLICATE_SIGNAL_MS = 2_000;
/** However the drain goes, the process exits this long after the first signal. */
export const HARD_STOP_MS = 30_000;

/**
 * Stops `target` on SIGTERM/SIGINT, or when the parent process has gone (it was killed and this
 * process was handed to init), then exits. A second signal forces the stop; the process always exits.
 */
export function stopOnSignals(target: Stoppable | (() => Promise<void>), log: Logger, options: StopOnSignalsOptions = {}): void {
  const { stop, forceStop } = typeof target === 'function' ? { stop: target, forceStop: undefined } : target;
  const mainLog = moduleLogger(log, 'main');
  let firstAt: number | undefined;
  const force = (why: string) => {
    mainLog.warn({ why }, 'forcing the stop');
    const done = forceStop ? forceStop() : Promise.resolve();
    // Postgres's fast shutdown takes well under these 10 s; the exit must not wait on a stuck one.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    void done.finally(() => process.exit(1));
  };
  const begin = (signal: string) => {
    if (firstAt !== undefined) {
      if (options.secondSignalForces !== false && Date.now() - firstAt > DUPLICATE_SIGNAL_MS) force(`second ${signal}`);
      return;
    }
    firstAt = Date.now();
    mainLog.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => force(`still stopping after ${HARD_STOP_MS} ms`), HARD_STOP_MS);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        mainLog.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => begin('SIGTERM'));
  process.on('SIGINT', () => begin('SIGINT'));
  watchParent(() => begin('parent exited'));
  const fatal = (err: unknown) => {
    mainLog.fatal({ err }, 'fatal error, exiting');
    stop().finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', (reason: unknown) => {
    // pg-boss could not record a job's end while the database was away; the job will run again.
    if (isUnrecordedJobEnd(reason)) {
      moduleLogger(log, 'jobs').error({ err: reason }, 'could not record the end of a job (database unreachable); it runs again after its expiry');
      return;
    }
    fatal(reason);
  });
}
