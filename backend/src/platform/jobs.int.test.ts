import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { captureLogs } from '../../../test/support/capture-logs.js';
import { eventually } from '../../../test/support/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import { AppError } from './errors.js';
import { createJobs, defineJob, type JobDefinition, type Jobs } from './jobs.js';

const policy = { retryLimit: 2, retryDelay: 0, retryBackoff: false, expireInSeconds: 30, pollingIntervalSeconds: 0.5 };

describe('job runner retry decisions', () => {
  let tdb: TestDatabase;
  let jobs: Jobs;
  const logs = captureLogs('info');
  const attempts = new Map<string, number>();

  // Fails with `error` on its first attempt, succeeds on the next.
  const failingOnce = (queue: string, error: () => unknown): JobDefinition<never> =>
    defineJob({
      queue,
      schema: z.object({}),
      policy,
      handle: async (_data, { jobId }) => {
        const n = (attempts.get(jobId) ?? 0) + 1;
        attempts.set(jobId, n);
        if (n === 1) throw error();
      },
    }) as JobDefinition<never>;

  const finalJob = failingOnce('probe-final', () => new AppError('hubspot_upstream_error', 'HubSpot refused the request (probe)'));
  const outageJob = failingOnce('probe-outage', () => new AppError('hubspot_unavailable', 'HubSpot is unavailable', { retryAfterSeconds: 1 }));
  const unknownJob = failingOnce('probe-unknown', () => new Error('Connection terminated unexpectedly'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    jobs = createJobs({ connectionString: tdb.url, log: logs.log, max: 3 });
    await jobs.start([finalJob, outageJob, unknownJob], { work: true });
  });
  afterAll(async () => {
    await jobs.stop();
    await tdb.destroy();
  });

  const settled = async (queue: string, id: string) =>
    eventually(async () => {
      const job = await jobs.boss.getJobById(queue, id);
      if (job?.state !== 'completed') throw new Error(`job ${id} is ${job?.state ?? 'missing'}`);
      return job;
    }, { timeoutMs: 20_000 });

  it('when a job fails with a final error (HubSpot refused it: 502 hubspot_upstream_error), then it completes without a retry and the give-up is logged', async () => {
    const id = (await jobs.send(finalJob, {} as never))!;
    const job = await settled(finalJob.queue, id);
    expect(job.retryCount).toBe(0);
    expect(attempts.get(id)).toBe(1);
    expect(logs.records().some((r) => r.jobId === id && r.code === 'hubspot_upstream_error' && String(r.msg).startsWith('job gave up'))).toBe(true);
  });

  it('when a job fails with a retryable error (HubSpot away, or an unknown error), then it runs again and completes', async () => {
    for (const def of [outageJob, unknownJob]) {
      const id = (await jobs.send(def, {} as never))!;
      const job = await settled(def.queue, id);
      expect([def.queue, job.retryCount, attempts.get(id)]).toStrictEqual([def.queue, 1, 2]);
    }
  });
});
