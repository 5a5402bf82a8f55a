import { z } from 'zod';
import { defineJob, type JobDefinition, type Jobs } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';
import type { TokensService } from './tokens.service.js';

/**
 * Keeps idle grants alive and finds dead ones early (refresh tokens are reported to die after long
 * inactivity; see scheduled-refresh.ts). Every hour, each OAuth connection not refreshed for 20 hours
 * gets a refresh job, so no grant goes more than about 21 hours without one. A dead refresh token
 * marks the connection `needs_reauth` (and the job completes: retrying a 409 cannot succeed); an
 * outage is retried with backoff.
 */
export const REFRESH_MIN_AGE_MS = 20 * 3600 * 1000;

const refreshAllSchema = z.object({}).passthrough();
const refreshOneSchema = z.object({ organizationId: z.string().uuid() });

/**
 * Declares the tokens jobs.
 * @param tokens the vault the jobs run
 * @param jobs the job system the hourly job fans out through
 * @returns the job definitions and the hourly schedule
 */
export function createTokensJobs(
  tokens: Pick<TokensService, 'refreshIfOlderThan' | 'listDueForRefresh'>,
  jobs: Pick<Jobs, 'send'>,
): { definitions: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const refreshOne = defineJob({
    queue: 'tokens-refresh-connection',
    schema: refreshOneSchema,
    policy: { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 120 },
    async handle(data) {
      await tokens.refreshIfOlderThan(data.organizationId, REFRESH_MIN_AGE_MS);
    },
  });
  const refreshAll = defineJob({
    queue: 'tokens-refresh-all',
    schema: refreshAllSchema,
    policy: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 },
    async handle() {
      const due = await tokens.listDueForRefresh(REFRESH_MIN_AGE_MS);
      // One job per connection: a slow or failing portal retries on its own.
      for (const organizationId of due) await jobs.send(refreshOne, { organizationId }, { singletonKey: organizationId });
    },
  });
  return {
    definitions: [refreshAll, refreshOne] as JobDefinition<never>[],
    schedules: [{ job: refreshAll as JobDefinition<never>, cron: '7 * * * *' }],
  };
}
