import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { registerChildOutput } from './secret-registry.js';

/** Repository root. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A child process running one of our TypeScript entry points through tsx. */
export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Runs `entry` (path from the repo root) with Node + tsx, with exactly `env` plus PATH. */
export function spawnTs(entry: string, env: Record<string, string | undefined>, args: string[] = []): Spawned {
  let out = '';
  let err = '';
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  // Checked for secrets after the test file (redaction-check.ts).
  registerChildOutput(() => `${out}\n${err}`);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}
