// What a stop or restart of Postgres writes to the log: pg-pool hands errors of idle connections
// over with the pg client attached (`err.client`), and that client holds the server's cancel key.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { captureLogs } from '../../../test/support/capture-logs.js';
import { eventually } from '../../../test/support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import { createJobs } from './jobs.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.destroy();
});

describe('logs when Postgres ends connections', () => {
  it('when Postgres terminates the job system’s connections (as at a stop), then each is one info line with its code, never the pg client or its cancel key', async () => {
    const logs = captureLogs();
    const jobs = createJobs({ connectionString: tdb.url, log: logs.log, max: 3 });
    await jobs.start([], { work: false });
    // Idle pool connections: their termination reaches the pool's `error` event.
    await Promise.all([jobs.queueSize('none'), jobs.queueSize('none'), jobs.queueSize('none')]).catch(() => undefined);
    const ended = await sql<{ n: number }>`
      select count(*)::int as n from (
        select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'switchboard-jobs' and datname = current_database()
      ) t`.execute(tdb.db);
    expect(ended.rows[0]!.n).toBeGreaterThan(0);

    await eventually(() => logs.records().some((r) => r.code === '57P01'), { timeoutMs: 15_000 });
    const lines = logs.records().filter((r) => r.code === '57P01');
    expect(lines.map((r) => [r.level, r.msg])).toStrictEqual(lines.map(() => [30, 'database connection closed by the server (it is stopping or restarting)']));
    expect(logs.records().filter((r) => (r.level as number) >= 50)).toStrictEqual([]);
    expect(logs.text()).not.toMatch(/secretKey|processID|client/);
    await jobs.stop();
  });

  it('when any logged error carries a pg client, then the line keeps the error and drops the client; a secretKey field is redacted', () => {
    const logs = captureLogs();
    const err = Object.assign(new Error('connection terminated'), { code: 'XX000', client: { processID: 4242, secretKey: 987654321, host: '127.0.0.1' } });
    logs.log.error({ err, secretKey: 123456789, detail: { secretKey: 55555 } }, 'a pg error');

    const [line] = logs.records();
    expect(line!.err).toStrictEqual({ type: 'Error', message: 'connection terminated', stack: expect.any(String), code: 'XX000' });
    expect(line!.secretKey).toBe('[Redacted]');
    expect(line!.detail).toStrictEqual({ secretKey: '[Redacted]' });
    expect(logs.text()).not.toMatch(/4242|987654321|123456789|55555/);
  });
});
