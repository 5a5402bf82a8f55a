import crypto from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../../backend/src/db/database.js';
import { signedHeaders } from '../../emulator/src/signing.js';
import { runWebhookLoad } from '../lib/load.js';
import { rssMb } from '../lib/procs.js';
import { connectPortal, fakeTokens, withServices } from '../lib/seed.js';
import { round } from '../lib/stats.js';
import { backendEnv, buildProduction, heapSnapshot, startBackendProcess } from '../lib/sut.js';
import type { BenchContext, Figure, Scenario } from '../lib/types.js';

const PORTAL = 62515;
// --quick: a tenth of each (the harness check; the figures are not comparable).
const sizes = (ctx: BenchContext) => (ctx.options.quick ? { STORED: 100_000, PORTALS: 1_000 } : { STORED: 1_000_000, PORTALS: 10_000 });

/**
 * Growth: (1) intake throughput (concurrency 10) with 1 M webhook events already stored, against
 * the same measurement on an empty database, both in this run; (2) the resident memory of a web
 * process after every one of 10,000 connected organizations has called it and every one of their
 * portals has sent it webhooks.
 */
export const growthScenario: Scenario = {
  id: 'growth',
  title: 'Growth: 1 M stored events, 10,000 connected portals',
  async run(ctx: BenchContext): Promise<Figure[]> {
    return [...(await storedEvents(ctx)), ...(await manyPortals(ctx))];
  },
};

async function intakeOn(ctx: BenchContext, label: string, seed: (db: Db) => Promise<void>): Promise<number> {
  const secret = crypto.randomBytes(16).toString('hex');
  const database = await ctx.pg.freshDatabase(label);
  try {
    const be = await backendEnv({ clientId: 'bench-client', clientSecret: secret, appId: 424242, apiBaseUrl: 'http://127.0.0.1:9' }, database.url);
    await withServices(be.env, (s) => connectPortal(s, PORTAL, fakeTokens(PORTAL)));
    await seed(database.db);
    // Intake alone (role web): the question is whether what is stored slows storing more.
    const sut = await startBackendProcess(be, { SWITCHBOARD_ROLE: 'web' });
    try {
      const r = await runWebhookLoad({ target: sut.url, secret, portalIds: [PORTAL], mode: 'closed', concurrency: 10, warmupMs: 2_000, durationMs: 8_000, eventIdBase: 900_000_000 });
      return r.eventsPerSecond;
    } finally {
      await sut.stop();
    }
  } finally {
    await database.drop();
  }
}

async function storedEvents(ctx: BenchContext): Promise<Figure[]> {
  const { STORED } = sizes(ctx);
  ctx.note('growth: intake on an empty database');
  const empty = await intakeOn(ctx, 'growth_empty', async () => undefined);
  ctx.note(`growth: storing ${STORED.toLocaleString('en')} events`);
  let seedSeconds = 0;
  const full = await intakeOn(ctx, 'growth_full', async (db) => {
    const t0 = Date.now();
    // Finished events, as HubSpot would have sent them over weeks: every index filled as in use.
    await sql`
      insert into webhook_events (dedupe_key, portal_id, subscription_type, object_id, event_id, occurred_at, property_name, property_value, payload, status, outcome, attempts, received_at, processed_at)
      select md5(i::text) || md5((i * 7)::text), ${PORTAL}::bigint, 'ticket.propertyChange', 1000000 + i % 50000, i, now() - make_interval(secs => i / 100.0),
             'hubspot_owner_id', (51000000 + i % 7)::text,
             jsonb_build_object('eventId', i, 'subscriptionId', 1003, 'portalId', ${PORTAL}::bigint, 'appId', 424242, 'occurredAt', 0, 'subscriptionType', 'ticket.propertyChange', 'attemptNumber', 0, 'objectId', 1000000 + i % 50000, 'propertyName', 'hubspot_owner_id', 'propertyValue', (51000000 + i % 7)::text, 'changeSource', 'CRM_UI'),
             'processed', 'no active linked conversation', 1, now() - make_interval(secs => i / 100.0), now() - make_interval(secs => i / 100.0)
      from generate_series(1, ${STORED}::int) as i`.execute(db);
    await sql`analyze webhook_events`.execute(db);
    seedSeconds = Math.round((Date.now() - t0) / 1000);
  });
  const ratio = full / empty;
  return [
    {
      id: 'growth.stored-1m.throughput',
      name: `intake throughput with ${STORED.toLocaleString('en')} events stored (c10, web)`,
      value: round(full),
      unit: 'events/s',
      baseline: { label: 'empty database', value: round(empty) },
      ratio: Math.round(ratio * 100) / 100,
      target: '≥ 0.80× empty',
      met: ratio >= 0.8,
      details: { seedSeconds },
    },
  ];
}

async function manyPortals(ctx: BenchContext): Promise<Figure[]> {
  const { PORTALS } = sizes(ctx);
  const secret = crypto.randomBytes(16).toString('hex');
  const database = await ctx.pg.freshDatabase('growth_portals');
  try {
    const be = await backendEnv({ clientId: 'bench-client', clientSecret: secret, appId: 424242, apiBaseUrl: 'http://127.0.0.1:9' }, database.url);
    ctx.note(`growth: connecting ${PORTALS.toLocaleString('en')} portals`);
    const keys: string[] = [];
    await withServices(be.env, async (s) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < PORTALS) {
            const portalId = 30_000_000 + next++;
            keys.push((await connectPortal(s, portalId, fakeTokens(portalId))).apiKey);
          }
        }),
      );
    });
    // Memory is measured on the production build (`node dist/backend/src/main.js`): under tsx a
    // process also carries the TypeScript loader and its caches.
    ctx.note('growth: npm run build');
    buildProduction();
    const sut = await startBackendProcess(be, { SWITCHBOARD_ROLE: 'web' }, { compiled: true });
    try {
      const idle = await rssMb(sut.proc.pid);
      let peak = idle;
      const sampler = setInterval(() => void rssMb(sut.proc.pid).then((mb) => (peak = Math.max(peak, mb))), 100);
      ctx.note('growth: every organization calls, every portal sends webhooks');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const get = (path: string, key: string) =>
        new Promise<number>((resolve) => {
          http.get(`${sut.url}${path}`, { agent, headers: { authorization: `Bearer ${key}` } }, (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0)))).on('error', () => resolve(0));
        });
      const post = (body: string) =>
        new Promise<number>((resolve) => {
          const url = `${sut.url}/hubspot/webhooks`;
          const headers = { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: Date.now(), versions: ['v3'] }) };
          const req = http.request(url, { method: 'POST', agent, headers }, (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0))));
          req.on('error', () => resolve(0));
          req.end(body);
        });
      const statuses: Record<number, number> = {};
      let i = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (i < PORTALS) {
            const n = i++;
            const status = await get('/api/v1/connection', keys[n]!);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (n % 100 === 0) {
              // One batch of 100 events from 100 different portals.
              const events = Array.from({ length: 100 }, (_, k) => ({ eventId: n * 100 + k, subscriptionId: 1003, portalId: 30_000_000 + ((n + k) % PORTALS), appId: 424242, occurredAt: Date.now(), subscriptionType: 'ticket.propertyChange', attemptNumber: 0, objectId: 5_000_000 + k, propertyName: 'hubspot_owner_id', propertyValue: '51000001', changeSource: 'CRM_UI' }));
              const s = await post(JSON.stringify(events));
              statuses[s] = (statuses[s] ?? 0) + 1;
            }
          }
        }),
      );
      clearInterval(sampler);
      peak = Math.max(peak, await rssMb(sut.proc.pid));
      await new Promise((r) => setTimeout(r, 3_000));
      const settled = await rssMb(sut.proc.pid);
      const memory = await memoryOf(sut.url, be.adminApiKey);
      const snapshot = await heapSnapshot(sut);
      if (snapshot) ctx.note(`growth: heap snapshot ${snapshot}`);
      return [
        {
          id: 'growth.portals-10k.rss',
          name: `web process RSS with ${PORTALS.toLocaleString('en')} connected portals (peak)`,
          value: round(peak),
          unit: 'MB',
          baseline: { label: 'same process at start', value: round(idle) },
          ratio: Math.round((peak / idle) * 100) / 100,
          target: '< 200 MB',
          met: peak < 200,
          details: { statuses, settledMb: round(settled), memory, build: 'dist (npm run build)' },
        },
      ];
    } finally {
      await sut.stop();
    }
  } finally {
    await database.drop();
  }
}

/** What the process's own gauges (`/metrics`) say its memory is, in MB: V8 heap used and reserved per space, external. */
async function memoryOf(url: string, adminApiKey: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminApiKey}` } });
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^switchboard_(nodejs_(?:heap_size_total|heap_size_used|external_memory)_bytes|nodejs_heap_space_size_(?:used|available|total)_bytes\{space="(\w+)"\}|process_resident_memory_bytes) (\d+(?:\.\d+)?)$/.exec(line);
    if (m) out[m[2] ? `${m[1]!.replace(/\{.*/, '')}.${m[2]}` : m[1]!] = round(Number(m[3]) / 1024 / 1024);
  }
  return out;
}
