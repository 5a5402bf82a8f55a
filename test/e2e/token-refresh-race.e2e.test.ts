import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { connectWithOAuth, createOrganization, dumpDatabase, issuedSecrets, leakedSecrets, startHubSpotHarness, type HubSpotHarness } from '../support/hubspot-harness.js';
import { registerChildOutput } from '../support/secret-registry.js';
import { repoRoot } from '../support/spawn.js';

let h: HubSpotHarness;

/** A token-race child process with a start line on stdin. */
function startChild(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/token-race.child.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  // Its logs (stderr) are checked for secrets after this file (redaction-check.ts); stdout is the
  // result channel, which carries the tokens on purpose.
  registerChildOutput(() => err);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before ready: ${err.slice(-2000)}`)));
  });
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    exited,
    result: () => JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as { tokens: string[]; errors: string[] },
    stderr: () => err,
  };
}

beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('getAccessToken across processes', () => {
  it('when 200 callers in two backend processes ask at expiry, then HubSpot sees exactly one exchange and all get the same valid token', async () => {
    const { portal } = await h.client.createPortal({ name: 'Race portal' });
    const org = await createOrganization(h);
    const { response } = await connectWithOAuth(h, org, portal.id);
    expect(response.status).toBe(303);
    const before = (await h.client.portalCounters(portal.id)).tokenExchanges;
    // At expiry by the children's (system) clock.
    await sql`update hubspot_tokens set access_expires_at = now() - interval '1 second' where organization_id = ${org.id}`.execute(h.backend.tdb.db);

    const env = { ...h.env, ORG_ID: org.id, COUNT: '100', LOG_LEVEL: 'debug' };
    const children = [startChild(env), startChild(env)];
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.go());
    const codes = await Promise.all(children.map((c) => c.exited));

    expect(codes).toStrictEqual([0, 0]);
    const results = children.map((c) => c.result());
    expect(results.flatMap((r) => r.errors)).toStrictEqual([]);
    const tokens = results.flatMap((r) => r.tokens);
    expect(tokens).toHaveLength(200);
    expect(new Set(tokens).size).toBe(1);
    expect((await h.client.portalCounters(portal.id)).tokenExchanges).toBe(before + 1);
    const token = tokens[0]!;
    expect((await fetch(`${h.emulator.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await h.backend.services.tokens.getAccessToken(org.id)).toBe(token);
    expect((await h.backend.services.connections.getStatus(org.id)).status).toBe('connected');

    // Neither process logged a token, and the database holds none in plaintext.
    const secrets = await issuedSecrets(h);
    expect(leakedSecrets(children.map((c) => c.stderr()).join('\n'), secrets)).toStrictEqual([]);
    expect(children.map((c) => c.stderr()).join('\n')).toContain('access token refreshed');
    expect(leakedSecrets(await dumpDatabase(h), secrets)).toStrictEqual([]);
    expect(leakedSecrets(h.backend.logs.text(), secrets)).toStrictEqual([]);
  }, 90_000);
});
