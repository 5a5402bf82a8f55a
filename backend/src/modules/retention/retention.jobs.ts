import { z } from 'zod';
import { defineJob, type JobDefinition, type JobType } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';

/** The retention sweep's type: a wake-up carrying nothing, run hourly (retentions count in days). */
export const RETENTION_SWEEP_JOB: JobType<Record<string, never>> = {
  queue: 'retention-sweep',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  policy: { retryLimit: 1, retryDelay: 60, retryBackoff: false, expireInSeconds: 1800, pollingIntervalSeconds: 30 },
};

/** Every hour, at minute 17 (apart from the other hourly schedules, at 7 and 41). */
export const RETENTION_SWEEP_CRON = '17 * * * *';

/** The retention job, running the service's sweep. */
export function createRetentionJobs(service: { sweep(): Promise<unknown> }): { jobs: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const sweep = defineJob<Record<string, never>>({
    ...RETENTION_SWEEP_JOB,
    handle: async () => {
      await service.sweep();
    },
  });
  return { jobs: [sweep] as JobDefinition<never>[], schedules: [{ job: sweep as JobDefinition<never>, cron: RETENTION_SWEEP_CRON }] };
}
