import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../../backend/src/db/embedded.js';
import { eventually } from '../support/eventually.js';
import { spawnTs, type Spawned } from '../support/spawn.js';

// A response body left unread keeps its socket open after the server is gone (the card bundle is
// larger than what the socket buffers, so the response never completes): this test file's process
// then cannot exit, and Jest force-exits its worker. Every body is read.
async function statusOf(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

describe('npm start (local mode, nothing configured)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-npm-start-'));
  let run: Spawned | undefined;
  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started with no environment, then it serves /healthz and /readyz green with the emulator beside it, and stops cleanly on SIGTERM', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    run = spawnTs('scripts/start.ts', { DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: String(emulatorPort), LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    const ready = await eventually(async () => {
      const res = await fetch(`${base}/readyz`);
      const body = (await res.json()) as unknown;
      return res.status === 200 ? body : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    expect(ready).toStrictEqual({ status: 'ok', database: 'ok' });
    expect(await (await fetch(`${base}/healthz`)).json()).toStrictEqual({ status: 'ok' });
    expect(await statusOf(`http://127.0.0.1:${emulatorPort}/_emulator/health`)).toBe(200);

    // The banner links the preview of the real card, whose page and bundle build under npm start. It is
    // printed once start-up has finished, which is after /readyz turns green (the route cache's LISTEN
    // connection opens last), so it is waited for, not expected at once.
    const link = `http://127.0.0.1:${emulatorPort}/_emulator/ui/tickets/1002`;
    await eventually(() => run?.stdout().includes(link) || undefined, { timeoutMs: 60_000, intervalMs: 100 });
    const preview = await fetch(`http://127.0.0.1:${emulatorPort}/_emulator/ui/tickets/1002`);
    expect(preview.status).toBe(200);
    const bundle = /<script src="([^"]+)"/.exec(await preview.text())?.[1];
    expect(bundle).toMatch(/^\/_emulator\/ui\/assets\/ext\/switchboard_ai_state_card\.js\?v=/);
    expect(await statusOf(`http://127.0.0.1:${emulatorPort}${bundle ?? ''}`)).toBe(200);

    // Local-only secrets were generated once, readable only by the owner.
    const secrets = fs.statSync(path.join(dataDir, 'local-secrets.json'));
    expect(secrets.mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(run.stdout()).toContain('generated local-only secrets');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 90_000);
});
