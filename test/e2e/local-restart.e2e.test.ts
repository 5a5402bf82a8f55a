import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../../backend/src/db/embedded.js';
import { eventually } from '../support/eventually.js';
import { spawnTs, type Spawned } from '../support/spawn.js';

// The whole local stack (`npm start` = scripts/start.ts) restarted between two workflow actions: the
// emulator continues from its saved state, so the second action gets its own callback id and its own
// answer instead of a replay of the first one's.
const PORTAL = 62515;
const TICKET = 1002;

describe('npm start restarted between two workflow actions', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-local-restart-'));
  let run: Spawned | undefined;
  let ports: { port: number; emulatorPort: number };
  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${ports.port}`;
  const emulatorUrl = () => `http://127.0.0.1:${ports.emulatorPort}`;

  async function startStack(): Promise<void> {
    run = spawnTs('scripts/start.ts', { DATA_DIR: dataDir, PORT: String(ports.port), EMULATOR_PORT: String(ports.emulatorPort), LOG_LEVEL: 'info' });
    await eventually(async () => (await fetch(`${base()}/readyz`)).status === 200, { timeoutMs: 90_000, intervalMs: 200 });
  }

  async function stopStack(): Promise<void> {
    run?.child.kill('SIGTERM');
    expect(await run?.exited).toBe(0);
  }

  async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  // A browser's walk through the install: link → consent page (approve the demo portal) → callback.
  async function connect(linkUrl: string): Promise<void> {
    const link = new URL(linkUrl).pathname.split('/').pop()!;
    const started = await fetch(`${base()}/oauth/install?link=${link}`, { redirect: 'manual' });
    const cookie = started.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const authorize = new URL(started.headers.get('location')!);
    expect((await fetch(authorize)).status).toBe(200);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('action', 'approve');
    form.set('portal_id', String(PORTAL));
    const approved = await fetch(`${authorize.origin}${authorize.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    const back = await fetch(approved.headers.get('location')!, { headers: { cookie }, redirect: 'manual' });
    expect(back.status).toBe(303);
  }

  type Execution = { callbackId: string; state: string; outputFields: Record<string, unknown> };
  const runAction = (actionUid: string) =>
    json<Execution>(`${emulatorUrl()}/_emulator/workflows/execute`, { method: 'POST', body: JSON.stringify({ portalId: PORTAL, actionUid, objectType: 'TICKET', objectId: TICKET }) });

  it('when Pause AI runs, the stack restarts, and Resume AI runs, then each gets its own answer and the AI ends active', async () => {
    ports = { port: await freePort(), emulatorPort: await freePort() };
    await startStack();
    const { adminApiKey } = JSON.parse(fs.readFileSync(path.join(dataDir, 'local-secrets.json'), 'utf8')) as { adminApiKey: string };
    const { apiKey } = await json<{ apiKey: string }>(`${base()}/api/v1/organizations`, { method: 'POST', headers: { authorization: `Bearer ${adminApiKey}` }, body: JSON.stringify({ name: 'Restart Co' }) });
    const vendor = { authorization: `Bearer ${apiKey}` };
    const { url } = await json<{ url: string }>(`${base()}/api/v1/install-links`, { method: 'POST', headers: vendor, body: '{}' });
    await connect(url);
    const conversation = await json<{ id: string }>(`${base()}/api/v1/conversations`, { method: 'POST', headers: vendor, body: JSON.stringify({ externalId: 'chat-restart', ticketId: TICKET }) });
    const { instanceId } = await json<{ instanceId: string }>(`${emulatorUrl()}/_emulator/health`);

    const paused = await runAction('pause-ai');
    expect(paused).toMatchObject({ state: 'SUCCESS', outputFields: { ai_state: 'paused', conversation_id: conversation.id } });

    await stopStack();
    await startStack();
    // Same emulator history after the restart: the install and its tokens are still there.
    expect((await json<{ instanceId: string }>(`${emulatorUrl()}/_emulator/health`)).instanceId).toBe(instanceId);
    expect((await json<{ status: string }>(`${base()}/api/v1/connection`, { headers: vendor })).status).toBe('connected');

    const resumed = await runAction('resume-ai');
    expect(resumed.callbackId).not.toBe(paused.callbackId);
    expect(resumed).toMatchObject({ state: 'SUCCESS', outputFields: { ai_state: 'active', conversation_id: conversation.id } });
    expect(await json<{ aiState: string }>(`${base()}/api/v1/conversations/${conversation.id}`, { headers: vendor })).toMatchObject({ aiState: 'active' });

    await stopStack();
  }, 240_000);
});
