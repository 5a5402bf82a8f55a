// `npx tsx bench/explain-intake-insert.ts`: what intake's multi-row insert costs Postgres with the
// inbox indexes before and after 2026_12_05_23_00_00_webhook_intake_indexes. Seeds ROWS events
// (default 20,000; random dedupe keys, as intake's SHA-256 keys are), then, alternating the two
// index sets, runs a CHECKPOINT and INSERTS inserts of 100 new events each, exactly as intake sends
// them (captured from Kysely), under EXPLAIN (ANALYZE, BUFFERS, WAL), and prints their sums; and
// the plan of retention's delete (events received a minute apart, the older half past retention).
// Uses DATABASE_URL's server when set, else embedded Postgres.
import crypto from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import * as indexes from '../backend/src/db/migrations/2026_12_05_23_00_00_webhook_intake_indexes.js';
import { inboxQueueRepository as queue } from '../backend/src/modules/webhooks/inbox-queue.repository.js';
import { acceptedRow } from '../backend/src/modules/webhooks/inbox-rows.js';
import { webhooksRepository } from '../backend/src/modules/webhooks/webhooks.repository.js';
import { openExplainDatabase } from './lib/explain.js';

const ROWS = Number(process.env.ROWS ?? 20_000);
const INSERTS = Number(process.env.INSERTS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);

const { db, captured, client, close } = await openExplainDatabase('explain_intake', 1);
await client.query(
  `insert into webhook_events (dedupe_key, portal_id, subscription_type, object_id, event_id, occurred_at, property_name, property_value, payload, status, received_at, processed_at)
   select md5(i::text) || md5((i * 7)::text), 40000000 + i % 50, 'ticket.propertyChange', 1000000 + i % 50000, i, now(), 'hubspot_owner_id', '51000001',
          jsonb_build_object('eventId', i), 'processed', now() - ($1::int - i) * interval '1 minute', now()
   from generate_series(1, $1::int) as i`,
  [ROWS],
);
await client.query('vacuum analyze webhook_events');

let next = 0;
/** The captured insert of 100 new events (captured inside a rolled-back transaction). */
async function insertOf100(): Promise<CompiledQuery> {
  const rows = Array.from({ length: 100 }, () => {
    next++;
    const event = { eventId: crypto.randomInt(2 ** 40), subscriptionId: 1, portalId: 40000000 + (next % 50), appId: 1, occurredAt: Date.now(), subscriptionType: 'ticket.propertyChange', attemptNumber: 0, objectId: 1000000 + next, changeSource: 'CRM_UI', propertyName: 'hubspot_owner_id', propertyValue: '51000001' };
    return acceptedRow(event as never, event);
  });
  captured.length = 0;
  await db.transaction().execute(async (trx) => {
    await queue.insertAccepted(trx, rows);
    throw new Error('rollback');
  }).catch(() => undefined);
  return captured.find((q) => q.sql.includes('insert into webhook_events')) as CompiledQuery;
}

const sum = { ms: 0, walBytes: 0, fpi: 0, records: 0, hit: 0, dirtied: 0 };
async function measure(label: string): Promise<void> {
  await client.query('checkpoint');
  const total = { ...sum };
  for (let k = 0; k < INSERTS; k++) {
    const q = await insertOf100();
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: Record<string, number>; 'Execution Time': number }] }>(`explain (analyze, buffers, wal, format json) ${q.sql}`, [...q.parameters]);
    const [{ Plan: plan, 'Execution Time': ms }] = rows[0]!['QUERY PLAN'];
    total.ms += ms;
    total.walBytes += plan['WAL Bytes'] ?? 0;
    total.fpi += plan['WAL FPI'] ?? 0;
    total.records += plan['WAL Records'] ?? 0;
    total.hit += plan['Shared Hit Blocks'] ?? 0;
    total.dirtied += plan['Shared Dirtied Blocks'] ?? 0;
  }
  const cutoff = new Date(Date.now() - (ROWS / 2) * 60_000);
  captured.length = 0;
  await db.transaction().execute(async (trx) => {
    await webhooksRepository.deleteFinishedBefore(trx as never, cutoff);
    throw new Error('rollback');
  }).catch(() => undefined);
  const del = captured.find((q) => q.sql.startsWith('delete')) as CompiledQuery;
  await client.query('begin');
  const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off, timing off) ${del.sql}`, [...del.parameters]);
  await client.query('rollback');
  console.log(`${label} retention delete: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')}`);
  const per = (v: number, d = 1) => (v / INSERTS).toFixed(d);
  console.log(`${label.padEnd(7)} per insert of 100: ${per(total.ms, 2)} ms, WAL ${per(total.walBytes / 1024)} kB, ${per(total.records, 0)} records, ${per(total.fpi)} FPI, ${per(total.hit, 0)} buffers hit, ${per(total.dirtied)} dirtied`);
}

const kysely = db as unknown as Kysely<unknown>;
for (let r = 0; r < ROUNDS; r++) {
  await indexes.down(kysely);
  await measure('before');
  await indexes.up(kysely);
  await measure('after');
}
await close();
