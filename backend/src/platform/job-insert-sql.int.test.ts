import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { z } from 'zod';
import { captureLogs } from '../../../test/support/capture-logs.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import { insertJobsSql } from './job-insert-sql.js';
import { createJobs, defineJob, type JobDefinition, type JobType, type Jobs } from './jobs.js';

const schema = z.object({ writebackId: z.number() });
const backoff = defineJob({ queue: 'probe-insert-backoff', schema, policy: { retryLimit: 6, retryDelay: 2, retryBackoff: true, expireInSeconds: 60 }, handle: async () => {} });
const flat = defineJob({ queue: 'probe-insert-flat', schema, policy: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 5 }, handle: async () => {} });

// Every column a worker or pg-boss's maintenance reads, with the times relative to start_after.
const jobColumns = sql`name, data, priority, state, retry_limit, retry_count, retry_delay, retry_backoff, singleton_key, singleton_on,
  dead_letter, expire_in, policy, keep_until - start_after as kept_for, start_after = created_on as starts_now, started_on, completed_on, output`;

describe('insertJobsSql: a job enqueued inside the caller statement', () => {
  let tdb: TestDatabase;
  let jobs: Jobs;
  const logs = captureLogs('info');

  beforeAll(async () => {
    tdb = await createTestDatabase();
    jobs = createJobs({ connectionString: tdb.url, log: logs.log, max: 2 });
    await jobs.start([backoff, flat] as JobDefinition<never>[], { work: false });
  });
  afterAll(async () => {
    await jobs.stop();
    await tdb.destroy();
  });

  const insertFor = async (def: JobType<{ writebackId: number }>, ids: number[]) => {
    const { rows } = await sql<{ id: string }>`
      with src as (select unnest(${ids}::int[]) as wid), j as (${insertJobsSql(def, sql`jsonb_build_object('writebackId', src.wid)`, sql`src`)})
      select id from j`.execute(tdb.db);
    return rows.map((r) => r.id);
  };
  const jobRow = async (id: string) => (await sql<Record<string, unknown>>`select ${jobColumns} from pgboss.job where id = ${id}::uuid`.execute(tdb.db)).rows[0];

  it('when a job is inserted by the statement, then its row equals the one pg-boss send writes for the same queue and payload, column by column', async () => {
    for (const def of [backoff, flat]) {
      const [inserted] = await insertFor(def, [41]);
      const sent = await jobs.send(def, { writebackId: 41 });
      const [a, b] = [await jobRow(inserted!), await jobRow(sent!)];
      expect(a).toBeDefined();
      expect(a).toStrictEqual(b);
      expect(a).toMatchObject({ name: def.queue, data: { writebackId: 41 }, state: 'created', retry_limit: def.policy.retryLimit, retry_backoff: def.policy.retryBackoff });
    }
  });

  it('when the source has several rows, then one job per row is enqueued; with none, nothing is', async () => {
    const ids = await insertFor(backoff, [1, 2, 3]);
    expect(ids).toHaveLength(3);
    const { rows } = await sql<{ data: { writebackId: number } }>`select data from pgboss.job where id = any(${ids}::uuid[]) order by (data->>'writebackId')::int`.execute(tdb.db);
    expect(rows.map((r) => r.data.writebackId)).toStrictEqual([1, 2, 3]);
    expect(await insertFor(backoff, [])).toStrictEqual([]);
  });

  it('when the queue does not exist, then no job is inserted (as pg-boss send inserts none)', async () => {
    expect(await insertFor({ queue: 'probe-insert-missing', schema, policy: backoff.policy }, [5])).toStrictEqual([]);
  });
});
