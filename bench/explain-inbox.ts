// `npx tsx bench/explain-inbox.ts`: the plans of the inbox queue's statements on a large inbox.
// Seeds ROWS events (default 1 M) over 50 portals, PENDING of them (default 10,000) still pending
// and the rest processed, then prints EXPLAIN (ANALYZE, BUFFERS) of the drain's claim, its read of
// a portal's due events, the sweep's check and the pending/dead gauges, exactly as the repository
// sends them (captured from Kysely). Then it plays CHURN_ROUNDS rounds of the drain with
// autovacuum held off (each round finishes the pending events and stores as many new ones), the
// dead rows a busy inbox carries between two autovacuum runs, and explains again, then once more
// after a VACUUM. Uses DATABASE_URL's server when set, else embedded Postgres.
import { inboxQueueRepository as queue } from '../backend/src/modules/webhooks/inbox-queue.repository.js';
import { webhooksRepository } from '../backend/src/modules/webhooks/webhooks.repository.js';
import { openExplainDatabase } from './lib/explain.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PENDING = Number(process.env.PENDING ?? 10_000);
const CHURN_ROUNDS = Number(process.env.CHURN_ROUNDS ?? 13);
const PORTALS = 50;

const { pool, db, captured, client, close } = await openExplainDatabase('explain', 2);

/** Stores `count` events after id `from`: pending ones due now, or processed ones received earlier. */
async function store(from: number, count: number, status: 'pending' | 'processed'): Promise<void> {
  await client.query(
    `insert into webhook_events (dedupe_key, portal_id, subscription_type, object_id, event_id, occurred_at, property_name, property_value, payload, status, outcome, attempts, received_at, processed_at)
     select md5(i::text) || md5((i * 7)::text), 40000000 + i % ${PORTALS}, 'ticket.propertyChange', 1000000 + i % 50000, i, now(), 'hubspot_owner_id', '51000001',
            jsonb_build_object('eventId', i, 'portalId', 40000000 + i % ${PORTALS}, 'subscriptionType', 'ticket.propertyChange', 'objectId', 1000000 + i % 50000),
            $1, case when $1 = 'processed' then 'no active linked conversation' end, case when $1 = 'processed' then 1 else 0 end, now(), case when $1 = 'processed' then now() end
     from generate_series($2::int + 1, $2::int + $3::int) as i`,
    [status, from, count],
  );
}

/** Runs `use`, then EXPLAIN (ANALYZE, BUFFERS) of each statement it sent, on a connection of its own. */
async function explain(label: string, use: () => Promise<unknown>): Promise<void> {
  captured.length = 0;
  await use();
  await pool.query('select pg_advisory_unlock_all()');
  for (const q of captured) {
    await client.query('begin');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off, summary on) ${q.sql}`, [...q.parameters]);
    await client.query('rollback');
    await client.query('select pg_advisory_unlock_all()');
    console.log(`\n### ${label}\n${q.sql.replace(/\s+/g, ' ').slice(0, 160)}…\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

async function explainAll(stage: string): Promise<void> {
  const { rows } = await client.query("select n_live_tup, n_dead_tup from pg_stat_user_tables where relname = 'webhook_events'");
  console.log(`\n======== ${stage}: ${JSON.stringify(rows[0])}`);
  let portals: number[] = [];
  await explain(`${stage}: claim (claimPortals)`, async () => (portals = await queue.claimPortals(db, { maxPortals: 8, window: 2_000 })));
  await explain(`${stage}: due events of 8 portals (dueEventsOf)`, () => queue.dueEventsOf(db, portals, 100));
  await explain(`${stage}: sweep check (anyDue)`, () => queue.anyDue(db));
  await explain(`${stage}: gauges (inboxStats)`, () => webhooksRepository.inboxStats(db));
}

try {
  console.log(`seeding ${ROWS.toLocaleString('en')} events, ${PENDING.toLocaleString('en')} pending`);
  await store(0, ROWS - PENDING, 'processed');
  await store(ROWS - PENDING, PENDING, 'pending');
  await client.query('vacuum analyze webhook_events');
  await explainAll('fresh');

  // The drain's work between two autovacuum runs: pending events finished (not HOT: status is in
  // the partial indexes' predicates), new ones stored.
  await client.query('alter table webhook_events set (autovacuum_enabled = off)');
  let next = ROWS;
  for (let r = 0; r < CHURN_ROUNDS; r++) {
    await client.query(`update webhook_events set status = 'processed', outcome = 'x', processed_at = now() where status = 'pending'`);
    await store(next, PENDING, 'pending');
    next += PENDING;
  }
  await client.query('analyze webhook_events');
  await explainAll(`after ${(CHURN_ROUNDS * PENDING).toLocaleString('en')} events finished, no vacuum`);
  await client.query('alter table webhook_events reset (autovacuum_enabled)');
  await client.query('vacuum analyze webhook_events');
  await explainAll('after vacuum');
} finally {
  await close();
}
