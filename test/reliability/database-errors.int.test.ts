// Regression tests for what the database-restart suite found: a Postgres restart used to kill the
// backend process twice over (an unhandled 'error' on a checked-out pg client, and pg-boss's
// unawaited job completion rejecting), and jobs interrupted by the outage waited for their expiry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createJobs, defineJob, isUnrecordedJobEnd, type Jobs } from '../../backend/src/platform/jobs.js';
import { captureLogs } from '../support/capture-logs.js';
import { eventually } from '../support/eventually.js';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../support/test-db.js';
import { serverUrlWithDb } from '../support/pg-urls.js';
import { z } from 'zod';

describe('database connections lost under the backend', () => {
  let tdb: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    admin = new pg.Client({ connectionString: serverUrlWithDb(testServerUrl(), 'postgres') });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await tdb.destroy();
  });

  it('when the server terminates a checked-out connection between two queries, then the next query fails and nothing is thrown at the process', async () => {
    const client = await tdb.pool.connect();
    // pg listens for errors on idle clients only; createDb adds a listener for checked-out ones.
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await client.query('begin');
    await admin.query('select pg_terminate_backend($1)', [pid]);
    // The client learns it while idle in the transaction: without a listener that 'error' event was
    // an uncaught exception (and server.ts exited).
    await eventually(() => (client as unknown as { _queryable: boolean })._queryable === false);
    await expect(client.query('select 1')).rejects.toThrow();
    client.release(true);
    // The pool hands out a fresh, working connection afterwards.
    expect((await tdb.pool.query('select 1 as one')).rows[0]).toStrictEqual({ one: 1 });
  });

  it('when pg-boss cannot record the end of a job because the database is unreachable, then its rejection is recognised (server.ts logs it instead of exiting)', async () => {
    const scratch = await createTestDatabase();
    const logs = captureLogs();
    const jobs: Jobs = createJobs({ connectionString: scratch.url, log: logs.log, max: 2 });
    const job = defineJob({ queue: 'reliability-probe', schema: z.object({}), policy: { retryLimit: 1, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 }, handle: async () => undefined });
    await jobs.start([job as never], { work: false });
    const id = await jobs.send(job, {});
    // The database disappears (every connection terminated, no new ones possible).
    await admin.query(`drop database ${scratch.name} with (force)`);
    const rejection = await jobs.boss.fail(job.queue, id!, { message: 'probe' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(rejection).toBeInstanceOf(Error);
    expect(isUnrecordedJobEnd(rejection)).toBe(true);
    // Any other rejection stays fatal.
    expect(isUnrecordedJobEnd(new Error('connection terminated'))).toBe(false);
    expect(isUnrecordedJobEnd('a string')).toBe(false);
    await jobs.stop().catch(() => undefined);
    await scratch.destroy().catch(() => undefined);
  });
});
