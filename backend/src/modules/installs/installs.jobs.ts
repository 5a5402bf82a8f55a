import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';
import type { InstallsService } from './installs.service.js';

/**
 * Declares the installs jobs: the hourly purge of expired states, links and pending grants.
 * @param installs the service the purge runs
 * @returns the job definitions and the hourly schedule
 */
export function createInstallsJobs(installs: Pick<InstallsService, 'purgeExpired'>): { definitions: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const purge = defineJob({
    queue: 'installs-purge-expired',
    schema: z.object({}).passthrough(),
    policy: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
    async handle() {
      await installs.purgeExpired();
    },
  });
  return { definitions: [purge] as JobDefinition<never>[], schedules: [{ job: purge as JobDefinition<never>, cron: '41 * * * *' }] };
}
