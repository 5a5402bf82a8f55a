// A backend killed with SIGKILL (or a crashed machine session) cannot stop its embedded Postgres,
// which runs in its own session and so outlives it. The next start finds that server still holding
// the data folder, and Postgres would refuse a second one. What it does about it:
// - the server's owner (the process that started it, `<dataDir>.owner.pid`) is alive: another
//   Switchboard uses this folder; refuse with a message naming it;
// - the server is alive and its owner is gone: it is ours and orphaned; stop it (fast shutdown,
//   then immediate, then kill) and start afresh;
// - postmaster.pid names a dead process (or a reused pid that is not this folder's Postgres):
//   remove the stale file.
import fs from 'node:fs';
import path from 'node:path';

const POLL_MS = 100;

/** Stops a Postgres left running on `dataDir` by a dead process, or removes its stale pid file. */
export async function stopOrphanedPostgres(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!(pid > 0) || !isAlive(pid) || !isPostgresOf(pid, dataDir)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const owner = readOwner(dataDir);
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new Error(`the embedded PostgreSQL in ${dataDir} (pid ${pid}) belongs to a running process (pid ${owner}); stop it first or use another DATA_DIR`);
  }
  log(`stopping the embedded PostgreSQL (pid ${pid}) left running by an earlier run that did not stop it`);
  for (const [signal, waitMs] of [['SIGINT', 20_000], ['SIGQUIT', 10_000], ['SIGKILL', 10_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
    if (await gone(pid, waitMs)) break;
  }
  if (isAlive(pid) && !isZombie(pid)) throw new Error(`the embedded PostgreSQL left running by an earlier run (pid ${pid}) did not stop`);
  // A killed (not stopped) server leaves its pid file; the next one recovers from the WAL anyway.
  fs.rmSync(pidFile, { force: true });
}

/** File naming the process that started the server of `dataDir`. */
export function ownerFile(dataDir: string): string {
  return `${dataDir}.owner.pid`;
}

function readOwner(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(ownerFile(dataDir), 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Pids are reused: the process must be a Postgres serving this folder. Where /proc is missing
// (macOS) a live process is taken as ours.
function isPostgresOf(pid: number, dataDir: string): boolean {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return !fs.existsSync('/proc/self');
  }
  const args = cmdline.split('\0');
  return path.basename(args[0] ?? '').startsWith('postgres') && args.includes(dataDir);
}

async function gone(pid: number, waitMs: number): Promise<boolean> {
  for (let waited = 0; waited < waitMs; waited += POLL_MS) {
    if (!isAlive(pid) || isZombie(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return !isAlive(pid);
}

// A server this process started itself and that has exited stays a zombie until reaped.
function isZombie(pid: number): boolean {
  try {
    return /\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
