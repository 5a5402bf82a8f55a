// Server-side request forgery through event-push URLs, judged by address: numeric host forms, trailing
// dots, names resolving to loopback (a resolver stub, no /etc/hosts), DNS rebinding. Every socket here
// is on loopback; a refused push must not even open a connection.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { createPushClient, PushError, refusedAddressReason, type PushResolver } from './push-client.js';

/** A loopback TCP listener that counts connections and answers any request with 204. */
async function startListener() {
  let connections = 0;
  const hosts: string[] = [];
  const server = net.createServer((socket) => {
    connections += 1;
    socket.once('data', (chunk: Buffer) => {
      hosts.push(/\r\nhost: ([^\r]+)/i.exec(chunk.toString('latin1'))?.[1] ?? '');
      socket.end('HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    hosts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A resolver stub answering from a table, counting lookups per name. */
function stubResolver(table: Record<string, string[][]>) {
  const calls: string[] = [];
  const resolve: PushResolver = async (hostname) => {
    calls.push(hostname);
    const answers = table[hostname];
    const answer = answers?.[Math.min(calls.filter((c) => c === hostname).length - 1, answers.length - 1)];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer.map((address) => ({ address, family: net.isIP(address) }));
  };
  return { resolve, calls };
}

const failureOf = async (p: Promise<unknown>) => p.then(() => 'sent', (err: unknown) => (err instanceof PushError ? err.failure : `unexpected: ${String(err)}`));

describe('push client (deployment: public addresses only)', () => {
  let listener: Awaited<ReturnType<typeof startListener>>;
  beforeAll(async () => {
    listener = await startListener();
  });
  afterAll(async () => {
    await listener.close();
  });

  it('when the URL names a loopback address in any numeric form, then nothing connects and the push fails as address_refused', async () => {
    const client = createPushClient({ allowPrivate: false, resolve: stubResolver({}).resolve });
    const p = listener.port;
    const forms = [`http://127.0.0.1:${p}/`, `http://127.0.0.1.:${p}/`, `http://2130706433:${p}/`, `http://017700000001:${p}/`, `http://0x7f000001:${p}/`, `http://0x7f.1:${p}/`, `http://127.1:${p}/`, `http://0:${p}/`, `http://[::1]:${p}/`, `http://[::ffff:127.0.0.1]:${p}/`, `http://[::ffff:7f00:1]:${p}/`, `http://[::]:${p}/`];
    const outcomes = await Promise.all(forms.map(async (url) => [url, await failureOf(client.post(url, {}, '{}', 5_000))]));
    expect(outcomes).toStrictEqual(forms.map((url) => [url, 'address_refused']));
    expect(listener.connections).toBe(0);
  });

  it('when a name resolves to loopback, private, link-local, multicast, reserved or IPv4-mapped loopback addresses, then nothing connects', async () => {
    const bad = ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '192.0.2.10', '240.0.0.1', '255.255.255.255', '::1', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '64:ff9b::7f00:1'];
    const table = Object.fromEntries(bad.map((address, i) => [`host${i}.test`, [[address]]]));
    // One public address beside a private one does not make the name public.
    table['mixed.test'] = [['93.184.215.14', '127.0.0.1']];
    const { resolve, calls } = stubResolver(table);
    const client = createPushClient({ allowPrivate: false, resolve });
    for (const host of Object.keys(table)) {
      expect([host, await failureOf(client.post(`http://${host}:${listener.port}/hook`, {}, '{}', 5_000))]).toStrictEqual([host, 'address_refused']);
    }
    expect(new Set(calls)).toStrictEqual(new Set(Object.keys(table)));
    expect(listener.connections).toBe(0);
  });

  it('when a name rebinds from a public address to loopback, then the connect-time answer is the one checked and refused', async () => {
    // The first answer (what a check at configuration time would have seen) is public; the next is loopback.
    const { resolve, calls } = stubResolver({ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] });
    await resolve('rebind.test');
    const client = createPushClient({ allowPrivate: false, resolve });
    expect(await failureOf(client.post(`http://rebind.test:${listener.port}/`, {}, '{}', 5_000))).toBe('address_refused');
    expect(calls).toStrictEqual(['rebind.test', 'rebind.test']);
    expect(listener.connections).toBe(0);
  });

  it('when addresses are judged, then only public unicast passes (IPv4-mapped IPv6 as its IPv4 address)', () => {
    expect([refusedAddressReason('8.8.8.8'), refusedAddressReason('2606:4700:4700::1111'), refusedAddressReason('::ffff:8.8.8.8')]).toStrictEqual([undefined, undefined, undefined]);
    expect([refusedAddressReason('::ffff:10.0.0.1'), refusedAddressReason('0.0.0.0'), refusedAddressReason('2001:db8::1')]).toStrictEqual(['private', 'unspecified', 'reserved']);
  });
});

describe('push client (local development: private addresses allowed, explicitly)', () => {
  it('when a name resolves through the stub, then the socket connects to that checked address and sends the name as Host', async () => {
    const listener = await startListener();
    try {
      const { resolve, calls } = stubResolver({ 'pinned.test': [['127.0.0.1']] });
      const client = createPushClient({ allowPrivate: true, resolve });
      expect(await client.post(`http://pinned.test:${listener.port}/hook`, { 'content-type': 'application/json' }, '{}', 5_000)).toBe(204);
      expect(calls).toStrictEqual(['pinned.test']);
      expect(listener.hosts).toStrictEqual([`pinned.test:${listener.port}`]);
    } finally {
      await listener.close();
    }
  });
});

describe('event pushes in a deployment (https)', () => {
  let tb: TestBackend;
  let listener: Awaited<ReturnType<typeof startListener>>;
  beforeAll(async () => {
    // The resolver stub answers `localhost.` as the reporter's system did (glibc here does not).
    tb = await createTestBackend({ workers: true, env: { PUBLIC_BASE_URL: 'https://switchboard.example.com' }, pushResolver: stubResolver({ 'localhost.': [['127.0.0.1']] }).resolve });
    listener = await startListener();
  });
  afterAll(async () => {
    await listener.close();
    await tb.destroy();
  });

  it('when a destination names this host with a trailing dot or a numeric form, then it is refused with 400 and nothing is stored', async () => {
    const { apiKey } = await tb.services.organizations.createOrganization({ name: 'Dots Org' });
    const urls = ['https://localhost.:8443/', 'https://localhost../', 'https://api.localhost./', 'https://127.0.0.1./', 'https://0/', 'https://017700000001/', 'https://0x7f000001/', 'https://[::ffff:7f00:1]/', 'https://224.0.0.1/', 'https://240.0.0.1/', 'https://100.64.0.1/', 'https://[ff02::1]/', 'https://[64:ff9b::a00:1]/'];
    for (const url of urls) {
      const res = await request(tb.app).put('/api/v1/event-destination').set('Authorization', `Bearer ${apiKey}`).send({ url });
      expect([url, res.status, res.body.error?.code]).toStrictEqual([url, 400, 'invalid_body']);
    }
    expect(await tb.tdb.db.selectFrom('event_destinations').select('url').execute()).toStrictEqual([]);
  });

  const pushOnce = async (externalId: string, url: string) => {
    const { organization, apiKey } = await tb.services.organizations.createOrganization({ name: `Org ${externalId}` });
    // As stored before destinations were checked by address, or under a name that resolved publicly then.
    await tb.services.events.setDestination(organization.id, 'https://hooks.example.com/x');
    await tb.tdb.db.updateTable('event_destinations').set({ url }).where('organization_id', '=', organization.id).execute();
    const conv = await request(tb.app).post('/api/v1/conversations').set('Authorization', `Bearer ${apiKey}`).send({ externalId });
    await request(tb.app).post(`/api/v1/conversations/${conv.body.id}/pause`).set('Authorization', `Bearer ${apiKey}`).send({ reason: 'probe' });
    let first: Record<string, unknown> = {};
    await expectEventually(async () => {
      const log = await request(tb.app).get('/api/v1/event-destination/deliveries').set('Authorization', `Bearer ${apiKey}`);
      first = log.body.deliveries.find((d: { attempt: number }) => d.attempt === 1) as Record<string, unknown>;
      expect(first).toBeDefined();
    });
    return first;
  };

  it('when a stored destination reaches loopback through a name (https://localhost.:port/), then the push never connects and the log says address_refused, with no status', async () => {
    const first = await pushOnce('ssrf-name', `https://localhost.:${listener.port}/hook`);
    expect(first).toMatchObject({ status: 'failed', responseStatus: null, error: 'address_refused' });
    expect(listener.connections).toBe(0);
  });

  it('when a stored destination is a loopback literal with a trailing dot, then the push never connects', async () => {
    const first = await pushOnce('ssrf-literal', `https://127.0.0.1.:${listener.port}/hook`);
    expect(first).toMatchObject({ status: 'failed', responseStatus: null, error: 'address_refused' });
    expect(listener.connections).toBe(0);
  });
});
