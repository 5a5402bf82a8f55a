import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs.js';
import type { InstallsService } from './installs.service.js';

/** Job definitions and schedules of the installs module: hourly purge of expired states, links and pending grants. */
export function createInstallsJobs(getInstalls: () => InstallsService): {
  definitions: JobDefinition<never>[];
  schedules: { job: JobDefinition<never>; cron: string }[];
} {
  const purge = defineJob({
    queue: 'installs-purge-expired',
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
    async handle() {
      await getInstalls().purgeExpired();
    },
  });
  return { definitions: [purge] as JobDefinition<never>[], schedules: [{ job: purge as JobDefinition<never>, cron: '41 * * * *' }] };
}
