import { z } from 'zod';
import { defineJob, type JobDefinition, type JobType } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';

/**
 * The drain's type: a wake-up, carrying nothing (the inbox itself is the queue; see inbox-drain.ts).
 * Sent after an intake commits, for a retry's due time, and by the sweep. The queue keeps at most one
 * waiting wake-up per key (`short` policy), so a burst of intakes wakes one drain, not one per batch;
 * a drain that finds a full batch wakes another, so up to `workers` drains per process run side by
 * side on different portals. A drain that fails (the database went away) is retried by pg-boss.
 */
export const DRAIN_INBOX_JOB: JobType<Record<string, never>> = {
  queue: 'webhooks-drain-inbox',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  policy: { retryLimit: 3, retryDelay: 1, retryBackoff: true, expireInSeconds: 120, pollingIntervalSeconds: 0.5, batchSize: 1, concurrency: 1, workers: 2, queuePolicy: 'short' },
};

/**
 * The inbox sweep's type, every minute: wakes a drain when due events wait (a wake-up was lost) and
 * deletes finished events past retention.
 */
export const SWEEP_INBOX_JOB: JobType<Record<string, never>> = {
  queue: 'webhooks-sweep-inbox',
  // Scheduled by cron with an empty payload; it carries nothing.
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  policy: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 300, pollingIntervalSeconds: 10 },
};

/** The sweep's schedule: every minute (pg-boss runs each schedule once across all processes). */
export const SWEEP_INBOX_CRON = '* * * * *';

/** What the jobs run: the webhooks service. */
export interface WebhookJobsRunner {
  drainInbox(): Promise<number>;
  sweepInbox(): Promise<void>;
}

/**
 * The webhooks jobs, running the service built before them.
 * @param service the webhooks service
 * @returns the drain and sweep job definitions, and the sweep's schedule
 */
export function createWebhooksJobs(service: WebhookJobsRunner): { jobs: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const drainInbox = defineJob<Record<string, never>>({
    ...DRAIN_INBOX_JOB,
    handle: async () => {
      await service.drainInbox();
    },
  });
  const sweepInbox = defineJob<Record<string, never>>({
    ...SWEEP_INBOX_JOB,
    handle: () => service.sweepInbox(),
  });
  return { jobs: [drainInbox, sweepInbox] as JobDefinition<never>[], schedules: [{ job: sweepInbox as JobDefinition<never>, cron: SWEEP_INBOX_CRON }] };
}
