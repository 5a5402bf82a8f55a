import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { eventually } from './eventually.js';
import { registerChildOutput } from './secret-registry.js';
import { repoRoot } from './spawn.js';

/** `npm run <script>` started the way a terminal starts it: leader of its own process group. */
export interface NpmRun {
  child: ChildProcess;
  /** stdout and stderr of npm and everything under it. */
  output(): string;
  /** Resolves with npm's exit code (or signal name). */
  exited: Promise<number | string>;
  /** Sends `signal` to the whole process group, as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void;
}

/** Runs `npm run <script>` in its own process group with exactly `env` plus PATH and HOME. */
export function npmRun(script: string, env: Record<string, string>): NpmRun {
  let out = '';
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  registerChildOutput(() => out);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => out, exited, signalGroup: (signal) => process.kill(-child.pid!, signal) };
}

/** The JSON log lines of a run. */
export function logLines(output: string): { level: number; msg: string; [k: string]: unknown }[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
}

/** Waits until `url` answers 200, or throws with the run's output when it ends first. */
export async function waitForReady(run: NpmRun, url: string, timeoutMs = 120_000): Promise<void> {
  let ended: number | string | undefined;
  void run.exited.then((code) => (ended = code));
  await eventually(
    async () => {
      if (ended !== undefined) throw new Error(`npm exited (${ended}) before ${url} was ready:\n${run.output().slice(-4000)}`);
      return (await fetch(url).catch(() => undefined))?.status === 200;
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((err: unknown) => {
    throw ended !== undefined ? err : new Error(`${url} not ready after ${timeoutMs} ms:\n${run.output().slice(-4000)}`);
  });
}

/** Every live process below `pid` (through /proc), including processes that left its session. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

/** True while `pid` runs (a zombie counts as ended). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Command line of `pid` (empty when it is gone). */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Resolves with `promise`, or rejects when `ms` pass first (a hang must fail the test, not time it out). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
