import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Repository root. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A child process speaking JSON lines on stdout (logs, then `{"ready":…}` and `{"result":…}` lines). */
export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Resolves with the value of the first stdout JSON line (from now on) that has key `key`. */
  line<T>(key: string, timeoutMs?: number): Promise<T>;
  /** Resolves with the first stdout JSON line (from now on) matching `test`. */
  waitFor(test: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  output(): string;
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when gone. */
  stop(graceMs?: number): Promise<void>;
}

// Every child still running, so a scenario that failed half-way leaves no load generator behind.
const running = new Set<Proc>();

/** Stops every child process a scenario left running (after a failure); resolves when all are gone. */
export async function stopStragglers(): Promise<number> {
  const left = [...running];
  await Promise.all(left.map((p) => p.stop(5_000)));
  return left.length;
}

/**
 * Runs an entry (path from the repo root) with `env` on top of a minimal environment: TypeScript
 * through tsx, or compiled JavaScript (a `.js` entry) with plain node, as production runs it.
 */
export function startProc(entry: string, env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []): Proc {
  const loader = entry.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, entry, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { test: (r: Record<string, unknown>) => boolean; resolve: (r: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    out = (out + text).slice(-200_000);
    buffered += text;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of [...waiters]) {
        if (w.test(parsed)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-50_000)));
  // 'close', not 'exit': the last stdout chunk (the result line) may arrive after the exit.
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? -1)));
  const proc: Proc = {
    child,
    pid: child.pid!,
    waitFor(test, timeoutMs = 120_000) {
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${entry}: expected line not seen within ${timeoutMs} ms\n${err.slice(-3000)}\n${out.slice(-3000)}`)), timeoutMs);
        void exited.then((code) => reject(new Error(`${entry} exited (${code}) early\n${err.slice(-3000)}\n${out.slice(-3000)}`)));
        waiters.push({ test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    async line<T>(key: string, timeoutMs = 120_000) {
      return (await this.waitFor((r) => key in r, timeoutMs))[key] as T;
    },
    output: () => out + err,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Resident set size of a process in MB, from /proc (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const fs = await import('node:fs/promises');
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A process and its descendants, each with its SWITCHBOARD_ROLE (`unset` without one: role all, or the cluster's primary). */
export async function processTree(pid: number): Promise<{ pid: number; role: string }[]> {
  const fs = await import('node:fs/promises');
  const role = await fs.readFile(`/proc/${pid}/environ`, 'utf8').then((e) => /(?:^|\0)SWITCHBOARD_ROLE=([^\0]*)/.exec(e)?.[1] ?? 'unset', () => 'gone');
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children = (await Promise.all(tasks.map((t) => fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')))).join(' ').split(/\s+/).filter(Boolean).map(Number);
  return [{ pid, role }, ...(await Promise.all(children.map((c) => processTree(c)))).flat()];
}
