// Busy loops beside a test run, to see the suite on a loaded machine (`npm run test:loaded`, or
// SWITCHBOARD_TEST_CPU_HOG=<processes> with any `npm test`). Each loop is its own process, so the
// tests compete for the cores as with other work on a shared machine; each ends with its parent.
import { spawn, type ChildProcess } from 'node:child_process';

const LOOP = 'const p = process.ppid; for (;;) { for (let i = 0; i < 5e7; i++); if (process.ppid !== p) process.exit(0); }';

/** Starts `count` busy-loop processes; returns the function that stops them. */
export function startCpuHog(count: number): () => void {
  const hogs: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', LOOP], { stdio: 'ignore' }));
  return () => hogs.forEach((h) => h.kill('SIGKILL'));
}

/** Processes asked for by SWITCHBOARD_TEST_CPU_HOG (0 when unset). */
export function cpuHogFromEnv(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SWITCHBOARD_TEST_CPU_HOG ?? 0);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 64) : 0;
}
