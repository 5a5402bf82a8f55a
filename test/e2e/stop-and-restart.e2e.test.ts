// `npm start` / `npm run start:cluster` stopped every way an operator or a terminal stops them:
// Ctrl-C (SIGINT to the whole foreground process group), a second Ctrl-C, SIGTERM or SIGKILL to the
// `npm` process, SIGKILL to the backend, and a start that cannot succeed. The real `npm` runs the
// real scripts; HubSpot is the emulator that `npm start` runs in local mode.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from '../../backend/src/db/embedded.js';
import { DUPLICATE_SIGNAL_MS } from '../../backend/src/server.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { eventually } from '../support/eventually.js';
import { commandLine, isRunning, logLines, npmRun, processTree, waitForReady, within, type NpmRun } from '../support/npm-run.js';

/** One started stack. */
interface Started {
  run: NpmRun;
  base: string;
  hub: EmulatorClient;
  /** Every process under npm while it ran, and the embedded Postgres. */
  tree: () => number[];
  pgPid: () => number;
}

const dirs: string[] = [];
const runs: NpmRun[] = [];
const pids = new Set<number>();

afterEach(async () => {
  // Whatever a failed test left behind must not keep running on a shared machine.
  for (const run of runs.splice(0)) {
    processTree(run.child.pid!).forEach((p) => pids.add(p));
    try {
      run.signalGroup('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  pids.clear();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const tmpDataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-stop-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
};

const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

async function start(dataDir: string, script = 'start', extra: Record<string, string> = {}): Promise<Started> {
  const [port, emulatorPort] = [await freePort(), await freePort()];
  const run = npmRun(script, { DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: String(emulatorPort), LOG_LEVEL: 'info', ...extra });
  runs.push(run);
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(run, `${base}/readyz`);
  const pgPid = postmasterPid(dataDir);
  pids.add(pgPid);
  const seen = new Set<number>([pgPid]);
  const tree = () => {
    processTree(run.child.pid!).forEach((p) => (seen.add(p), pids.add(p)));
    return [...seen];
  };
  tree();
  return { run, base, hub: createEmulatorClient(`http://127.0.0.1:${emulatorPort}`), tree, pgPid: () => pgPid };
}

/** An organization connected to a new emulator portal (Private App token); returns its auth header and portal. */
async function connectedOrganization(dataDir: string, s: Started): Promise<{ auth: string; portalId: number }> {
  const { adminApiKey } = JSON.parse(fs.readFileSync(path.join(dataDir, 'local-secrets.json'), 'utf8')) as { adminApiKey: string };
  const created = await fetch(`${s.base}/api/v1/organizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Stop test org' }),
  });
  expect(created.status).toBe(201);
  const auth = `Bearer ${((await created.json()) as { apiKey: string }).apiKey}`;
  // The emulator's ids start afresh with each run; the data folder remembers earlier portals.
  const portalId = (await s.hub.createPortal({ id: 700_000 + Math.floor(Math.random() * 1_000_000) })).portal.id;
  const pat = await s.hub.createPrivateAppToken(portalId, { scopes: ['tickets'] });
  const put = await fetch(`${s.base}/api/v1/connection/private-app-token`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ token: pat.token }),
  });
  expect(put.status).toBe(200);
  return { auth, portalId };
}

/** Starts a proxied HubSpot call that HubSpot holds for `latencyMs`, and resolves once HubSpot has it. */
async function hubspotCallInFlight(s: Started, org: { auth: string; portalId: number }, latencyMs: number): Promise<{ call: Promise<Response> }> {
  await s.hub.setFaults({ apiLatencyMs: latencyMs });
  const before = (await s.hub.portalCounters(org.portalId)).apiCalls;
  const call = fetch(`${s.base}/api/v1/hubspot/crm/v3/objects/tickets?limit=1`, { headers: { authorization: org.auth } });
  call.catch(() => undefined);
  // Wrapped: an async function returning the promise itself would wait for the answer.
  await eventually(async () => (await s.hub.portalCounters(org.portalId)).apiCalls > before, { timeoutMs: 30_000, intervalMs: 50 });
  return { call };
}

/** What every stop must leave: no process of the run alive, nothing at error level, no cancel key. */
function expectCleanEnd(s: Started): void {
  const alive = s.tree().filter(isRunning).map((p) => `${p} ${commandLine(p)}`);
  expect(alive).toStrictEqual([]);
  expect(isRunning(s.pgPid())).toBe(false);
  const output = s.run.output();
  expect(logLines(output).filter((l) => l.level >= 50).map((l) => l.msg)).toStrictEqual([]);
  expect(output).not.toMatch(/secretKey|processID/);
}

describe('npm start, stopped with Ctrl-C', () => {
  it('when Ctrl-C reaches the whole process group while a HubSpot call is in flight, then the call is answered, Postgres stops after the drain and everything exits within 15 s (three runs in a row on one data folder)', async () => {
    const dataDir = tmpDataDir();
    for (let round = 1; round <= 3; round++) {
      const s = await start(dataDir);
      // The keep-alive timeout is the configured one (above a load balancer's idle timeout), not Node's 5 s.
      expect((await fetch(`${s.base}/healthz`)).headers.get('keep-alive')).toBe('timeout=65');
      const org = await connectedOrganization(dataDir, s);
      const { call } = await hubspotCallInFlight(s, org, 2_000);
      s.tree();
      s.run.signalGroup('SIGINT');

      // npm, Ctrl-C'd itself, re-raises the signal once its script has ended: a shell shows ^C.
      expect([round, await within(s.run.exited, 15_000, `round ${round}: npm start after Ctrl-C`)]).toStrictEqual([round, 'SIGINT']);
      const res = await call;
      expect([round, res.status]).toStrictEqual([round, 200]);
      expect(((await res.json()) as { results: unknown[] }).results).toStrictEqual([]);
      const msgs = logLines(s.run.output()).map((l) => l.msg);
      expect(msgs.filter((m) => m === 'shutting down')).toHaveLength(1);
      expect(msgs.at(-1)).toBe('stopped');
      expectCleanEnd(s);
    }
  }, 600_000);

  it('when a second Ctrl-C follows while a HubSpot call still hangs, then the stop is forced: the call is cut, Postgres is stopped and everything exits', async () => {
    const dataDir = tmpDataDir();
    const s = await start(dataDir);
    const org = await connectedOrganization(dataDir, s);
    const { call } = await hubspotCallInFlight(s, org, 600_000);
    s.tree();
    s.run.signalGroup('SIGINT');
    await eventually(() => s.run.output().includes('"msg":"shutting down"'), { timeoutMs: 30_000, intervalMs: 50 });
    // Repeats within this window are the same Ctrl-C (npm passes it on); the second press comes later.
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_SIGNAL_MS + 500));
    s.run.signalGroup('SIGINT');

    await within(s.run.exited, 15_000, 'npm start after a second Ctrl-C');
    await expect(call).rejects.toThrow();
    expect(logLines(s.run.output()).map((l) => l.msg)).toContain('forcing the stop');
    expect(s.tree().filter(isRunning)).toStrictEqual([]);
    expect(isRunning(s.pgPid())).toBe(false);
  }, 300_000);
});

describe('a signal to the npm process alone', () => {
  it.each([
    ['start', 'SIGTERM'],
    ['start', 'SIGKILL'],
    ['start:cluster', 'SIGTERM'],
  ] as const)('when `npm run %s` gets %s, then every process under it ends and its ports are free', async (script, signal) => {
    const dataDir = tmpDataDir();
    const s = await start(dataDir, script, { SWITCHBOARD_WEB_PROCESSES: '1', SWITCHBOARD_WORKER_PROCESSES: '1' });
    expect(s.tree().length).toBeGreaterThanOrEqual(script === 'start' ? 2 : 4);
    s.run.child.kill(signal);

    await within(s.run.exited, 30_000, `npm run ${script} after ${signal}`);
    // After a SIGKILL nobody is told: the backend notices its parent is gone.
    await eventually(() => s.tree().filter(isRunning).length === 0, { timeoutMs: 40_000, intervalMs: 100 }).catch(() => undefined);
    expectCleanEnd(s);
    await expect(fetch(`${s.base}/healthz`)).rejects.toThrow();
  }, 300_000);
});

describe('the start after a SIGKILL', () => {
  it('when the backend was killed and left its Postgres running, then the next npm start stops that server, starts its own on the same data and serves', async () => {
    const dataDir = tmpDataDir();
    const first = await start(dataDir);
    const backendPid = first.tree().find((p) => /^node .*scripts\/start\.ts/.test(commandLine(p)));
    expect(backendPid).toBeDefined();
    process.kill(backendPid!, 'SIGKILL');
    await within(first.run.exited, 30_000, 'npm after its backend was killed');
    // Nobody stopped it: the orphan this test is about.
    expect(isRunning(first.pgPid())).toBe(true);

    const second = await start(dataDir);
    expect(isRunning(first.pgPid())).toBe(false);
    expect(second.pgPid()).not.toBe(first.pgPid());
    expect(second.run.output()).toContain('left running by an earlier run');
    second.run.signalGroup('SIGINT');
    expect(await within(second.run.exited, 30_000, 'npm start after Ctrl-C')).toBe('SIGINT');
    expectCleanEnd(second);
  }, 300_000);

  it('when Postgres cannot start on the data folder, then npm start exits 1 and the log says why', async () => {
    const dataDir = tmpDataDir();
    fs.mkdirSync(path.join(dataDir, 'postgres'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'postgres', 'PG_VERSION'), '9.9\n');
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const run = npmRun('start', { DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: String(emulatorPort), LOG_LEVEL: 'info' });
    runs.push(run);

    expect(await within(run.exited, 120_000, 'npm start on a broken data folder')).toBe(1);
    const fatal = logLines(run.output()).filter((l) => l.msg === 'failed to start');
    expect(fatal).toHaveLength(1);
    expect((fatal[0]!.err as { message?: string } | undefined)?.message).toMatch(/^embedded PostgreSQL exited during start \(code \d+\): postgres: could not access/);
  }, 180_000);
});
