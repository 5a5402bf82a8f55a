import crypto from 'node:crypto';
import { freePort } from '../../backend/src/db/embedded.js';
import { spawnSync } from 'node:child_process';
import { repoRoot, startProc, type Proc } from './procs.js';

/** The HubSpot app a bench backend believes in (the emulator's, or a made-up one when no emulator is needed). */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  appId: number;
  /** HubSpot API base URL (the emulator). */
  apiBaseUrl: string;
}

/** Secrets and settings shared by every backend process of one scenario. */
export interface BackendEnv {
  env: Record<string, string>;
  port: number;
  url: string;
  adminApiKey: string;
  tokenEncryptionKey: string;
}

/** Builds the environment of a backend (its port chosen now, so the emulator can be told its URL first). */
export async function backendEnv(app: AppCredentials, databaseUrl: string, extra: Record<string, string> = {}, port?: number): Promise<BackendEnv> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminApiKey = `admin-${crypto.randomBytes(24).toString('base64url')}`;
  const tokenEncryptionKey = crypto.randomBytes(32).toString('base64');
  return {
    port,
    url,
    adminApiKey,
    tokenEncryptionKey,
    env: {
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_API_BASE_URL: app.apiBaseUrl,
      HUBSPOT_APP_BASE_URL: app.apiBaseUrl,
      PUBLIC_BASE_URL: url,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TOKEN_ENCRYPTION_KEY: tokenEncryptionKey,
      ADMIN_API_KEY: adminApiKey,
      LOG_LEVEL: 'info',
      ...extra,
    },
  };
}

/** Compiles the project as `npm run build` does (into dist/, gitignored), for figures that depend on it. */
export function buildProduction(): void {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stdout}${r.stderr}`);
}

/** Made-up app credentials for a scenario (handed to the emulator and the backend alike). */
export function newAppCredentials(apiBaseUrl = 'http://127.0.0.1:9'): AppCredentials {
  return { clientId: crypto.randomUUID(), clientSecret: crypto.randomBytes(16).toString('hex'), appId: 1_000_000 + crypto.randomInt(8_000_000), apiBaseUrl };
}

/** Starts the emulator in its own process for a backend at `backendUrl`. */
export async function startEmulatorProcess(app: AppCredentials, backendUrl: string, rate: { max: number; intervalMs: number } = { max: 110, intervalMs: 10_000 }): Promise<{ url: string; proc: Proc }> {
  const proc = startProc('bench/processes/emulator.ts', {
    BACKEND_URL: backendUrl,
    CLIENT_ID: app.clientId,
    CLIENT_SECRET: app.clientSecret,
    APP_ID: String(app.appId),
    RATE_MAX: String(rate.max),
    RATE_INTERVAL_MS: String(rate.intervalMs),
  });
  const ready = await proc.line<{ url: string }>('ready');
  return { url: ready.url, proc };
}

/** A running backend: one process (`npm run backend`) or a cluster (`npm run start:cluster`). */
export interface Sut {
  url: string;
  proc: Proc;
  stop(): Promise<void>;
}

/**
 * Starts one backend process (role `all` unless `extra` says `web`) and waits until it listens:
 * `backend/src/main.ts` through tsx, or with `compiled` the production build (`npm run build`).
 */
export async function startBackendProcess(be: BackendEnv, extra: Record<string, string> = {}, opts: { compiled?: boolean } = {}): Promise<Sut> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the backend (for finding where time goes).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_HEAP_SNAPSHOT=<dir> lets a scenario write a V8 heap snapshot of it there ({@link heapSnapshot}).
  if (process.env.BENCH_HEAP_SNAPSHOT) prof.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env.BENCH_HEAP_SNAPSHOT}`);
  const proc = startProc(opts.compiled ? 'dist/backend/src/main.js' : 'backend/src/main.ts', { ...be.env, ...extra }, [], prof);
  await proc.waitFor((r) => r.msg === 'listening', 120_000);
  return { url: be.url, proc, stop: () => keepLog(proc).then(() => proc.stop()) };
}

/**
 * With BENCH_HEAP_SNAPSHOT set, has the backend write a heap snapshot now and resolves once the
 * file is complete (its size stops changing); otherwise does nothing.
 */
export async function heapSnapshot(sut: Sut): Promise<string | undefined> {
  const dir = process.env.BENCH_HEAP_SNAPSHOT;
  if (!dir) return undefined;
  const fs = await import('node:fs/promises');
  const mine = async () => (await fs.readdir(dir)).filter((f) => f.endsWith('.heapsnapshot') && f.includes(`.${sut.proc.pid}.`));
  const before = new Set(await mine());
  process.kill(sut.proc.pid, 'SIGUSR2');
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const file = (await mine()).find((f) => !before.has(f));
    if (!file) continue;
    const size = (await fs.stat(`${dir}/${file}`)).size;
    if (size > 0 && size === last) return `${dir}/${file}`;
    last = size;
  }
}

/**
 * Starts one backend process with role `worker` (no HTTP server, so nothing to wait for: it starts
 * working as soon as it is up). Callers watch Postgres for its effect.
 */
export function startWorkerProcess(be: BackendEnv): Sut {
  const proc = startProc('backend/src/main.ts', { ...be.env, SWITCHBOARD_ROLE: 'worker' });
  return { url: be.url, proc, stop: () => keepLog(proc).then(() => proc.stop()) };
}

/** Starts `scripts/cluster.ts` with N web and M worker processes and waits until all are up. */
export async function startCluster(be: BackendEnv, web: number, workers: number): Promise<Sut> {
  const proc = startProc('scripts/cluster.ts', { ...be.env, SWITCHBOARD_WEB_PROCESSES: String(web), SWITCHBOARD_WORKER_PROCESSES: String(workers) });
  await proc.waitFor((r) => r.msg === 'cluster ready', 120_000);
  return { url: be.url, proc, stop: () => keepLog(proc).then(() => proc.stop(30_000)) };
}


// BENCH_LOG_DIR=<dir> keeps each backend's output (its last 200 kB) for a look afterwards.
async function keepLog(proc: Proc): Promise<void> {
  const dir = process.env.BENCH_LOG_DIR;
  if (!dir) return;
  const fs = await import('node:fs/promises');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/backend-${proc.pid}.log`, proc.output());
}
