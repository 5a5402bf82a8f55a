import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { connectOrganization, startHubSpotStack, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { eventually } from '../../../../test/support/eventually.js';
import { composeBackend, type Backend } from '../../composition.js';
import { createDb } from '../../db/database.js';
import { systemClock } from '../../platform/clock.js';
import { createJobs } from '../../platform/jobs.js';
import { routePortal } from '../webhooks/route-portal.js';

// Two backends on one database, as two processes would be: A makes the changes, B routes. B's
// entries live ten minutes, so a change B sees within the test's deadlines came by NOTIFY.
let stack: HubSpotStack;
let b: Backend;
let bDb: ReturnType<typeof createDb>;
const LONG = 10 * 60_000;
// Above the 60 s deadlines of the waits below, on a loaded machine.
const TEST_TIMEOUT = 180_000;

const route = (portalId: number) => routePortal({ connections: b.services.connections }, portalId);
const counter = async (name: string) => (await b.services.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
const hits = () => counter('switchboard_route_cache_hits_total');
const notifications = () => counter('switchboard_route_cache_notifications_total');
/** Runs a change of A that sends one NOTIFY, and waits until B heard it (so B's next lookups are after it). */
const heardBy = async <T>(change: () => Promise<T>): Promise<T> => {
  const before = await notifications();
  const result = await change();
  await eventually(async () => (await notifications()) > before, { timeoutMs: 60_000 });
  return result;
};
const listening = () => counter('switchboard_route_cache_listening');
const listenerPids = async () =>
  (
    await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and application_name = 'switchboard-routes'`.execute(stack.backend.tdb.db)
  ).rows.map((r) => r.pid);

beforeAll(async () => {
  stack = await startHubSpotStack({ workers: false });
  const url = stack.backend.tdb.url;
  bDb = createDb(url, { max: 2, applicationName: 'switchboard-b' });
  b = composeBackend({
    config: stack.backend.config,
    db: bDb.db,
    log: stack.backend.logs.log,
    clock: systemClock,
    jobs: createJobs({ connectionString: url, log: stack.backend.logs.log, max: 1 }),
    routeCache: { ttlMs: LONG, negativeTtlMs: LONG },
  });
  await b.listen(url);
});

afterAll(async () => {
  await b?.stop();
  await bDb?.db.destroy();
  await stack?.stop();
});

describe('portal routing cache across processes', () => {
  it('when backend A disconnects a portal, then backend B stops routing it on the NOTIFY, not after its TTL', async () => {
    const portalId = (await stack.hub.createPortal()).portal.id;
    const org = await heardBy(() => connectOrganization(stack, portalId, 'Disconnecting Org'));
    expect(await route(portalId)).toStrictEqual({ organizationId: org.id });
    const before = await hits();
    expect(await route(portalId)).toStrictEqual({ organizationId: org.id });
    expect(await hits()).toBe(before + 1);

    await stack.backend.services.connections.disconnect({ organizationId: org.id, uninstall: false });

    expect(await eventually(async () => ('unroutable' in (await route(portalId)) ? await route(portalId) : undefined), { timeoutMs: 60_000 })).toStrictEqual({ unroutable: 'portal disconnected' });
    // A itself reads its own change at once, before its NOTIFY comes back.
    expect((await stack.backend.services.connections.findByPortalId(portalId))?.status).toBe('disconnected');
  }, TEST_TIMEOUT);

  it('when a portal unknown to B (cached as unknown) is then connected in A, then B routes it to the new organization', async () => {
    const portalId = (await stack.hub.createPortal()).portal.id;
    expect(await route(portalId)).toStrictEqual({ unroutable: 'unknown portal' });
    const before = await hits();
    expect(await route(portalId)).toStrictEqual({ unroutable: 'unknown portal' });
    expect(await hits()).toBe(before + 1);

    const org = await connectOrganization(stack, portalId, 'Late Org');

    expect(await eventually(async () => ('organizationId' in (await route(portalId)) ? await route(portalId) : undefined), { timeoutMs: 60_000 })).toStrictEqual({ organizationId: org.id });
  }, TEST_TIMEOUT);

  it('when B loses its LISTEN connection, then it empties its cache and listens again', async () => {
    const portalId = (await stack.hub.createPortal()).portal.id;
    const org = await heardBy(() => connectOrganization(stack, portalId, 'Listener Org'));
    const db = stack.backend.tdb.db;
    expect(await route(portalId)).toStrictEqual({ organizationId: org.id });

    // A change nobody is told about (as if its NOTIFY were lost): B keeps answering from its cache.
    await sql`alter table connections disable trigger connections_notify`.execute(db);
    try {
      await db.updateTable('connections').set({ status: 'disconnected' }).where('organization_id', '=', org.id).execute();
    } finally {
      await sql`alter table connections enable trigger connections_notify`.execute(db);
    }
    const before = await hits();
    expect(await route(portalId)).toStrictEqual({ organizationId: org.id });
    expect(await hits()).toBe(before + 1);

    const old = await listenerPids();
    expect(old).toHaveLength(2);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'switchboard-routes'`.execute(db);
    // Both processes (A and B) reconnect with new server processes, and B listens again.
    await eventually(async () => (await listenerPids()).filter((pid) => !old.includes(pid)).length === 2 && (await listening()) === 1, { timeoutMs: 60_000 });

    expect(await route(portalId)).toStrictEqual({ unroutable: 'portal disconnected' });
    // And it hears changes again: cached, then changed through the trigger.
    expect(await route(portalId)).toStrictEqual({ unroutable: 'portal disconnected' });
    await db.updateTable('connections').set({ status: 'connected' }).where('organization_id', '=', org.id).execute();
    expect(await eventually(async () => ('organizationId' in (await route(portalId)) ? await route(portalId) : undefined), { timeoutMs: 60_000 })).toStrictEqual({ organizationId: org.id });
  }, TEST_TIMEOUT);

  it('when two cached portals share a scope list and a caller changes its copy, then neither cached entry changes', async () => {
    const [p1, p2] = [(await stack.hub.createPortal()).portal.id, (await stack.hub.createPortal()).portal.id];
    await heardBy(() => connectOrganization(stack, p1, 'Scopes Org 1'));
    await heardBy(() => connectOrganization(stack, p2, 'Scopes Org 2'));
    const first = await b.services.connections.findByPortalId(p1);
    expect(first?.scopes.length).toBeGreaterThan(0);
    expect((await b.services.connections.findByPortalId(p2))?.scopes).toStrictEqual(first?.scopes);
    const scopes = [...first!.scopes];
    first!.scopes.push('mutated.by.caller');
    first!.scopes.length = 0;
    const before = await hits();
    expect((await b.services.connections.findByPortalId(p1))?.scopes).toStrictEqual(scopes);
    expect((await b.services.connections.findByPortalId(p2))?.scopes).toStrictEqual(scopes);
    expect(await hits()).toBe(before + 2);
  }, TEST_TIMEOUT);
});
