import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../../test/support/eventually.js';
import { createEmulatorClient } from '../client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator.js';
import { STATE_FILE_NAME } from './persistence.js';
import { seedIds } from './state.js';

const P = seedIds.portalId;
const credentials = { clientId: 'persist-client', clientSecret: 'persist-secret', appId: 4_242_001 };
const running: Emulator[] = [];
const dirs: string[] = [];

async function start(opts: EmulatorOptions = {}) {
  const emu = await createEmulator({ webhooks: false, warn: () => undefined, ...credentials, ...opts });
  running.push(emu);
  return { emu, client: createEmulatorClient(emu.url) };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-emu-state-'));
  dirs.push(dir);
  return dir;
}

const savedFile = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE_NAME), 'utf8')) as { instanceId: string; data: { objects: { contacts: [number, { properties: Record<string, string> }][] } } };

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('emulator state saved under a data folder', () => {
  it('when the emulator is stopped and started on the same folder, then portals, installs, tokens, records, owners, threads and the instance id are back', async () => {
    const dir = tempDir();
    const first = await start({ dataDir: dir });
    const tokens = await first.client.install(P);
    const contact = await first.client.createContact(P, { properties: { email: 'kept@example.com' } });
    const thread = (await first.client.threads(P))[0]!;
    const message = await first.client.postThreadMessage(P, thread.id, { text: 'before the restart' });
    const { instanceId } = await first.client.health();
    await first.emu.stop();

    const second = await start({ dataDir: dir });
    expect((await second.client.health()).instanceId).toBe(instanceId);
    expect((await second.client.portal(P)).portal.installed).toBe(true);
    expect((await second.client.owners(P)).map((o) => o.id)).toEqual(expect.arrayContaining([seedIds.agentOwnerId]));
    expect((await second.client.contacts(P)).map((c) => c.properties.email)).toContain('kept@example.com');
    expect((await second.client.threadMessages(P, thread.id)).map((m) => m.text)).toContain('before the restart');
    // The access token issued before the restart still works against the CRM API.
    const res = await fetch(`${second.emu.url}/crm/v3/objects/contacts/${contact.id}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(200);
    // Ids continue: nothing created after the restart reuses an id from before it.
    const next = await second.client.createContact(P, { properties: { email: 'after@example.com' } });
    expect(next.id).toBeGreaterThan(contact.id);
    const later = await second.client.postThreadMessage(P, thread.id, { text: 'after the restart' });
    expect(BigInt(`0x${later.id}`)).toBeGreaterThan(BigInt(`0x${message.id}`));
  });

  it('when a change is made and the emulator keeps running, then the file holds it soon after (debounced, no stop needed)', async () => {
    const dir = tempDir();
    const { client } = await start({ dataDir: dir });
    await client.createContact(P, { properties: { email: 'debounced@example.com' } });
    await eventually(() => savedFile(dir).data.objects.contacts.some(([, c]) => c.properties.email === 'debounced@example.com'));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.statSync(path.join(dir, STATE_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it('when reset, then it starts from the demo portal under a new instance id, the saved file is replaced by the clean state, and later ids never repeat earlier ones', async () => {
    const dir = tempDir();
    const { client } = await start({ dataDir: dir });
    await client.install(P);
    const before = await client.createContact(P, { properties: { email: 'gone@example.com' } });
    const thread = (await client.threads(P))[0]!;
    const oldMessage = await client.postThreadMessage(P, thread.id, { text: 'old' });
    const { instanceId: oldInstance } = await client.health();

    const reset = await client.reset();
    expect(reset.instanceId).not.toBe(oldInstance);
    expect((await client.health()).instanceId).toBe(reset.instanceId);
    const saved = savedFile(dir);
    expect(saved.instanceId).toBe(reset.instanceId);
    expect(saved.data.objects.contacts.map(([id]) => id)).toEqual([...seedIds.contactIds]);
    expect((await client.portal(P)).portal.installed).toBe(false);
    expect((await client.tickets(P)).map((t) => t.id)).toEqual([...seedIds.ticketIds]);

    const after = await client.createContact(P, { properties: { email: 'new@example.com' } });
    expect(after.id).toBeGreaterThan(before.id);
    const newMessage = await client.postThreadMessage(P, (await client.threads(P))[0]!.id, { text: 'new' });
    expect(BigInt(`0x${newMessage.id}`)).toBeGreaterThan(BigInt(`0x${oldMessage.id}`));
  });

  it('when the saved file is not readable state, then the emulator starts fresh and keeps the bad file aside', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STATE_FILE_NAME), '{ not json');
    const warnings: string[] = [];
    const { client } = await start({ dataDir: dir, warn: (m) => warnings.push(m) });
    expect((await client.contacts(P)).map((c) => c.id)).toEqual([...seedIds.contactIds]);
    expect(warnings.join('\n')).toMatch(/starting fresh/);
    expect(fs.readdirSync(dir).some((f) => f.startsWith(`${STATE_FILE_NAME}.unreadable-`))).toBe(true);
  });

  it('when no data folder is given (state in memory), then two runs still hand out different message ids', async () => {
    const a = await start();
    const threadA = (await a.client.threads(P))[0]!;
    const first = await a.client.postThreadMessage(P, threadA.id, { text: 'run one' });
    await a.emu.stop();
    const b = await start();
    const second = await b.client.postThreadMessage(P, (await b.client.threads(P))[0]!.id, { text: 'run two' });
    expect(second.id).not.toBe(first.id);
    expect((await a.client.health().catch(() => 'stopped'))).toBe('stopped');
  });
});
