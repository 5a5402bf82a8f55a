// `npm run start:cluster`: several backend processes on one machine and one database.
// SWITCHBOARD_WEB_PROCESSES web processes share PORT through node:cluster (the primary accepts and
// hands connections round-robin, so HubSpot and load balancers see one address), and
// SWITCHBOARD_WORKER_PROCESSES worker processes run the pg-boss queues. The primary starts embedded
// Postgres when DATABASE_URL is unset, migrates once before any child starts, runs the emulator in
// local mode (like `npm start`), restarts children that die, and stops them all on SIGTERM/SIGINT.
// Children share nothing but the database: the HubSpot budget, token refresh locks, job queues and
// webhook dedupe all live in Postgres.
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { createDb } from '../backend/src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../backend/src/db/embedded.js';
import { migrateToLatest } from '../backend/src/db/migrate.js';
import { moduleLogger } from '../backend/src/platform/logger.js';
import { watchParent } from '../backend/src/platform/parent-watch.js';
import { configFromEnvOrExit, DUPLICATE_SIGNAL_MS, startBackend, stopOnSignals } from '../backend/src/server.js';
import { createEmulator, type Emulator } from '../emulator/src/emulator.js';
import { loadDotEnv } from '../backend/src/platform/env-file.js';

type Role = 'web' | 'worker';
// Children inherit the primary's environment, .env included.
loadDotEnv();
const { config, log } = configFromEnvOrExit(process.env);
const mainLog = moduleLogger(log, 'main');

if (cluster.isPrimary) await runPrimary();
else await runChild();

async function runPrimary(): Promise<void> {
  let embedded: EmbeddedPg | undefined;
  let emulator: Emulator | undefined;
  let databaseUrl = config.databaseUrl;
  try {
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({
        dataDir: path.resolve(config.dataDir, 'postgres'),
        onLog: (line) => mainLog.debug({ pg: line.trim() }, 'postgres'),
        onWarn: (message) => mainLog.warn(message),
      });
      databaseUrl = embedded.url;
    }
    // Once, before any child: children then find nothing to migrate.
    const migrator = createDb(databaseUrl, { max: 1, applicationName: 'switchboard-migrate' });
    await migrateToLatest(migrator.db).finally(() => migrator.db.destroy());
    if (config.mode === 'local') {
      emulator = await createEmulator({
        port: config.emulator.port,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        ...(config.hubspot.appId !== undefined ? { appId: config.hubspot.appId } : {}),
        backendUrl: config.publicBaseUrl,
        warn: (message) => mainLog.warn({ component: 'emulator' }, message),
        dataDir: config.dataDir,
      });
    }
  } catch (err) {
    mainLog.fatal({ err }, 'failed to start');
    // Embedded Postgres runs in its own session: it would outlive this process.
    await embedded?.stop().catch(() => undefined);
    log.flush();
    process.exit(1);
  }

  const roles: Role[] = [...Array<Role>(config.cluster.webProcesses).fill('web'), ...Array<Role>(config.cluster.workerProcesses).fill('worker')];
  const children = new Map<Worker, { role: Role; slot: number; startedAt: number }>();
  const fastCrashes = new Map<number, number>();
  const ready = new Set<number>();
  let stopping = false;
  let stoppingAt = 0;

  const fork = (role: Role, slot: number) => {
    const worker = cluster.fork({ SWITCHBOARD_ROLE: role, DATABASE_URL: databaseUrl });
    children.set(worker, { role, slot, startedAt: Date.now() });
    worker.on('message', (msg: unknown) => {
      if ((msg as { type?: unknown } | null)?.type !== 'ready') return;
      ready.add(slot);
      fastCrashes.set(slot, 0);
      if (ready.size === roles.length) mainLog.info({ web: config.cluster.webProcesses, worker: config.cluster.workerProcesses, port: config.port }, 'cluster ready');
    });
  };

  const killChildren = () => [...children.keys()].forEach((w) => w.process.kill('SIGKILL'));
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) {
      // npm passes the terminal's Ctrl-C on, so one Ctrl-C arrives twice; a later one forces.
      if (Date.now() - stoppingAt > DUPLICATE_SIGNAL_MS) {
        mainLog.warn({ signal }, 'second signal: killing every process');
        killChildren();
      }
      return;
    }
    stopping = true;
    stoppingAt = Date.now();
    mainLog.info({ signal }, 'stopping the cluster');
    const exited = Promise.all([...children.keys()].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve())))));
    // Ctrl-C reaches every process of the terminal's group by itself; a signal sent to the primary
    // alone is passed on (children take a repeat as the same stop). Whatever still runs after 25 s is
    // killed. Postgres, in its own session, is stopped last.
    [...children.keys()].forEach((w) => w.process.kill('SIGTERM'));
    const kill = setTimeout(killChildren, 25_000);
    await exited;
    clearTimeout(kill);
    await emulator?.stop().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    mainLog.info('cluster stopped');
    process.exit(exitCode);
  };
  cluster.on('exit', (worker, code, signal) => {
    const child = children.get(worker);
    children.delete(worker);
    if (!child || stopping) return;
    // A crash loop (bad configuration, database gone) should stop the cluster, not spin.
    const crashes = Date.now() - child.startedAt < 10_000 ? (fastCrashes.get(child.slot) ?? 0) + 1 : 0;
    fastCrashes.set(child.slot, crashes);
    if (crashes >= 5) {
      mainLog.fatal({ role: child.role, code, signal }, 'a process keeps crashing at start; stopping the cluster');
      void shutdown('SIGTERM', 1);
      return;
    }
    const delay = Math.min(30_000, 500 * 2 ** crashes);
    mainLog.error({ role: child.role, pid: worker.process.pid, code, signal, restartInMs: delay }, 'process exited; restarting it');
    setTimeout(() => {
      if (!stopping) fork(child.role, child.slot);
    }, delay);
  });
  roles.forEach((role, slot) => fork(role, slot));

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  watchParent(() => void shutdown('parent exited'));
}

async function runChild(): Promise<void> {
  // Every line says which process wrote it.
  const childLog = log.child({ role: config.role, pid: process.pid });
  try {
    const running = await startBackend(config, childLog);
    // The primary forwards the stop and forces it when needed.
    stopOnSignals(running, childLog, { secondSignalForces: false });
    process.send?.({ type: 'ready' });
  } catch (err) {
    childLog.fatal({ err }, 'failed to start');
    childLog.flush();
    process.exit(1);
  }
}
