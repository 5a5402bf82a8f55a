import { z } from 'zod';
import { defineJob, type JobDefinition, type JobType } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';
import type { WorkflowActionsService } from './workflow-actions.service.js';

/** Queue that completes an organization's decided Send to AI callbacks at HubSpot. */
export const COMPLETE_CALLBACKS_QUEUE = 'workflow-actions-complete-callbacks';
/** Queue of the periodic sweep (expiring callbacks, stalled completions, automatic resumes). */
export const SWEEP_QUEUE = 'workflow-actions-sweep';
/** The sweep runs every minute: automatic resumes are at most a minute late. */
export const SWEEP_CRON = '* * * * *';

const completeCallbacksSchema = z.object({ organizationId: z.string().min(1) });
/** Payload of a completion job. */
export type CompleteCallbacksJob = z.infer<typeof completeCallbacksSchema>;

// The sweep is scheduled by cron with an empty payload; it carries nothing.
const sweepSchema = z.object({});
/** Payload of a sweep job. */
export type SweepJob = z.infer<typeof sweepSchema>;

/** The completion job's type (what the service enqueues). */
export const COMPLETE_CALLBACKS_JOB: JobType<CompleteCallbacksJob> = {
  queue: COMPLETE_CALLBACKS_QUEUE,
  schema: completeCallbacksSchema,
  // HubSpot outages and 429s: 9 tries with exponential backoff from 2 s (about 8 minutes); after that
  // the sweep's safety net enqueues a new job (STALLED_COMPLETION_MS), until the callback's expiry.
  policy: { retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 120, pollingIntervalSeconds: 1 },
};

/** The sweep job's type (scheduled by cron). */
export const SWEEP_JOB: JobType<SweepJob> = {
  queue: SWEEP_QUEUE,
  schema: sweepSchema,
  // The next minute's sweep does the same work, so a failed sweep is not retried.
  policy: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 300, pollingIntervalSeconds: 2 },
};

/**
 * The workflow-actions jobs, running the service built before them.
 * @returns the job definitions and the sweep's schedule
 */
export function createWorkflowActionsJobs(service: Pick<WorkflowActionsService, 'completeDueCallbacks' | 'sweep'>): { jobs: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const completeCallbacks = defineJob<CompleteCallbacksJob>({
    ...COMPLETE_CALLBACKS_JOB,
    async handle(data) {
      await service.completeDueCallbacks(data.organizationId);
    },
  });
  const sweep = defineJob<SweepJob>({
    ...SWEEP_JOB,
    async handle() {
      await service.sweep();
    },
  });
  return { jobs: [completeCallbacks, sweep] as JobDefinition<never>[], schedules: [{ job: sweep as JobDefinition<never>, cron: SWEEP_CRON }] };
}
