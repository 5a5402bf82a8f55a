import { z } from 'zod';
import { defineJob, type JobDefinition, type JobType } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';

/** Payload of a processing job: only the inbox id (event data stays in one table, easy to erase). */
export const processEventPayloadSchema = z.object({ inboxId: z.number().int().positive() });
/** Payload of a processing job. */
export type ProcessEventPayload = z.infer<typeof processEventPayloadSchema>;

/**
 * The processing job's type (what intake and recovery enqueue): one inbox event. Polls every 0.5 s
 * (pg-boss's minimum) and is also woken right after an intake commits, so an owner change reaches its
 * pause well under a second. Failures retry with backoff (about 1, 2, 4, 8, 16 s, jittered), then the
 * event is parked as dead with its error.
 */
export const PROCESS_EVENT_JOB: JobType<ProcessEventPayload> = {
  queue: 'webhooks-process-event',
  schema: processEventPayloadSchema,
  policy: { retryLimit: 5, retryDelay: 1, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 0.5, batchSize: 50, concurrency: 10, workers: 2 },
};

/**
 * The inbox sweep's type, every minute: re-queues events still pending long after arrival (their job
 * was lost with a killed process, or expired) and deletes finished events past retention.
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
  processEvent(inboxId: number, attempt: number): Promise<void>;
  parkDead(inboxId: number, error: unknown): Promise<void>;
  sweepInbox(): Promise<void>;
}

/**
 * The webhooks jobs, running the service built before them.
 * @param service the webhooks service
 * @returns the processing and sweep job definitions, and the sweep's schedule
 */
export function createWebhooksJobs(service: WebhookJobsRunner): { jobs: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const processEvent = defineJob<ProcessEventPayload>({
    ...PROCESS_EVENT_JOB,
    handle: (data, meta) => service.processEvent(data.inboxId, meta.retryCount + 1),
    onExhausted: (data, error) => service.parkDead(data.inboxId, error),
  });
  const sweepInbox = defineJob<Record<string, never>>({
    ...SWEEP_INBOX_JOB,
    handle: () => service.sweepInbox(),
  });
  return { jobs: [processEvent, sweepInbox] as JobDefinition<never>[], schedules: [{ job: sweepInbox as JobDefinition<never>, cron: SWEEP_INBOX_CRON }] };
}
