import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../../backend/src/db/embedded.js';
import { eventually } from '../support/eventually.js';
import { repoRoot } from '../support/spawn.js';

// `.env` in the working directory is loaded by the entry points with Node's own parser, and variables
// set in the real environment win. Each child runs in its own temporary folder, so no `.env` is ever
// written into the repository (other tests run from there).
const tsx = import.meta.resolve('tsx');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function folderWithEnv(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-env-file-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, '.env'), text);
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string>) {
  let out = '';
  const child = spawn(process.execPath, ['--import', tsx, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, exited, output: () => out };
}

describe('.env loading', () => {
  it('when .env sets variables and the environment sets one of them too, then loadDotEnv (backend, npm start, cluster) fills in the rest and the real environment wins', async () => {
    const dir = folderWithEnv('FROM_FILE_ONLY=file\nSET_IN_BOTH=file\n# a comment\nQUOTED="two words"\n');
    const script = `const m = await import(${JSON.stringify(path.join(repoRoot, 'backend/src/platform/env-file.ts'))}); const loaded = m.loadDotEnv(); console.log(JSON.stringify({ loaded, a: process.env.FROM_FILE_ONLY, b: process.env.SET_IN_BOTH, q: process.env.QUOTED }));`;
    const p = run(dir, ['--input-type=module', '-e', script], { SET_IN_BOTH: 'environment' });
    expect(await p.exited).toBe(0);
    expect(JSON.parse(p.output().trim())).toStrictEqual({ loaded: true, a: 'file', b: 'environment', q: 'two words' });
  });

  it('when there is no .env, then nothing is loaded and nothing fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-env-none-'));
    dirs.push(dir);
    const script = `const m = await import(${JSON.stringify(path.join(repoRoot, 'backend/src/platform/env-file.ts'))}); console.log(JSON.stringify({ loaded: m.loadDotEnv() }));`;
    const p = run(dir, ['--input-type=module', '-e', script], {});
    expect(await p.exited).toBe(0);
    expect(JSON.parse(p.output().trim())).toStrictEqual({ loaded: false });
  });

  it('when the emulator entry point starts in a folder with .env, then it takes its port and app id from the file and the client id from the environment', async () => {
    const port = await freePort();
    const dir = folderWithEnv(`EMULATOR_PORT=${port}\nEMULATOR_APP_ID=4242017\nEMULATOR_CLIENT_ID=from-file\n`);
    const p = run(dir, [path.join(repoRoot, 'emulator/src/main.ts')], { EMULATOR_CLIENT_ID: 'from-environment' });
    try {
      const health = await eventually(async () => (await fetch(`http://127.0.0.1:${port}/_emulator/health`)).json() as Promise<{ appId: number; clientId: string }>, { timeoutMs: 60_000, intervalMs: 200 });
      expect(health).toMatchObject({ appId: 4_242_017, clientId: 'from-environment' });
    } finally {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
  }, 90_000);
});
