// Connection changes racing a credential that dies: the vault's refresh (and a 401's markDead) holds
// the vault entry's lock and then moves the connection to needs_reauth. A disconnect or a new grant
// arriving at that moment must wait for it, never deadlock with it (Postgres would abort one side).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { eventually } from '../../../../test/support/eventually.js';
import { connectWithOAuth, createOrganization, startHubSpotHarness, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';

let h: HubSpotHarness;

beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  await h.stop();
});

const REASON = 'HubSpot refused the refresh token (invalid_grant)';
const history = async (organizationId: string) => (await h.backend.services.connections.listHistory(organizationId)).map((e) => e.event);
// Postgres aborts one side of a deadlock with SQLSTATE 40P01, "deadlock detected"; the backend logs it.
const deadlocks = () => h.backend.logs.text().split('\n').filter((line) => /deadlock/i.test(line));
const status = async (apiKey: string) => (await request(h.backend.app).get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)).body as { status: string; auth: string };

/**
 * Plays the dying refresh against `change`: transaction A takes the vault entry's lock through the
 * real vault, `change` starts, and once Postgres shows a session waiting behind A, A moves the
 * connection to needs_reauth (the real use case the vault calls) and commits.
 */
async function raceWithDyingCredential<T>(organizationId: string, change: () => Promise<T>): Promise<{ marked: boolean; changed: T }> {
  let started!: Promise<T>;
  const marked = await h.backend.tdb.db.transaction().execute(async (trx) => {
    await h.backend.services.tokens.lockAndOpen(trx, organizationId);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const holder = rows[0]!.pid;
    started = change();
    // The change reached the vault lock A holds (its HubSpot calls come first, so allow for a slow machine).
    await eventually(
      async () => {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${holder}::int = any(pg_blocking_pids(pid))`.execute(h.backend.tdb.db);
        return waiting.rows[0]!.n > 0;
      },
      { timeoutMs: 60_000 },
    );
    return h.backend.services.connections.markNeedsReauth(trx, organizationId, REASON);
  });
  return { marked, changed: await started };
}

describe('lock order between the vault entry and the connection row', () => {
  it('when a disconnect races a refresh that finds the grant dead, then both commit: the connection goes needs_reauth, then disconnected', async () => {
    const portalId = (await h.client.createPortal()).portal.id;
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);

    const { marked, changed: res } = await raceWithDyingCredential(org.id, async () => request(h.backend.app).delete('/api/v1/connection').set('Authorization', `Bearer ${org.apiKey}`));

    expect(deadlocks()).toStrictEqual([]);
    expect(marked).toBe(true);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connection: { status: 'disconnected', auth: 'oauth', portalId }, tokenRevoked: true });
    expect(await status(org.apiKey)).toMatchObject({ status: 'disconnected' });
    expect(await h.backend.services.tokens.open(org.id)).toBeUndefined();
    expect(await history(org.id)).toStrictEqual(['connected', 'needs_reauth', 'disconnected']);
  });

  it('when a reconnect races a refresh that finds the old grant dead, then both commit: needs_reauth, then reconnected with the new grant', async () => {
    const portalId = (await h.client.createPortal()).portal.id;
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);
    const oldGrant = await h.backend.services.tokens.open(org.id);

    const { marked, changed } = await raceWithDyingCredential(org.id, () => connectWithOAuth(h, org, portalId));

    expect(deadlocks()).toStrictEqual([]);
    expect(marked).toBe(true);
    expect(changed.response.status).toBe(303);
    expect(await status(org.apiKey)).toMatchObject({ status: 'connected', auth: 'oauth' });
    const newGrant = await h.backend.services.tokens.open(org.id);
    expect(newGrant).toMatchObject({ kind: 'oauth', portalId, live: true });
    expect(newGrant!.refreshToken).not.toBe(oldGrant!.refreshToken);
    expect(await history(org.id)).toStrictEqual(['connected', 'needs_reauth', 'reconnected']);
  });

  it('when a Private App rollback races a refresh that finds the grant dead, then both commit: needs_reauth, then rolled back', async () => {
    const portalId = (await h.client.createPortal()).portal.id;
    const org = await createOrganization(h);
    await connectWithOAuth(h, org, portalId);
    const pat = await h.client.createPrivateAppToken(portalId, { scopes: ['tickets', 'crm.objects.contacts.read'] });

    const { marked, changed: res } = await raceWithDyingCredential(org.id, async () =>
      request(h.backend.app).put('/api/v1/connection/private-app-token').set('Authorization', `Bearer ${org.apiKey}`).send({ token: pat.token, confirmRollback: true }),
    );

    expect(deadlocks()).toStrictEqual([]);
    expect(marked).toBe(true);
    expect(res.status).toBe(200);
    expect(await status(org.apiKey)).toMatchObject({ status: 'connected', auth: 'private_app' });
    expect(await history(org.id)).toStrictEqual(['connected', 'needs_reauth', 'rolled_back_to_private_app']);
  });
});
