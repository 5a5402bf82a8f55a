import { z } from 'zod';
import type { JobSchedule } from '../../platform/module.js';
import { defineJob, type JobDefinition, type JobQueue } from '../../platform/jobs.js';

/** Payload of a processing job: only the inbox id (event data stays in one table, easy to erase). */
export const processEventPayloadSchema = z.object({ inboxId: z.number().int().positive() });
export type ProcessEventPayload = z.infer<typeof processEventPayloadSchema>;

/** The processing queue, for the use cases that enqueue (intake, recovery). */
export const PROCESS_EVENT_QUEUE: JobQueue<ProcessEventPayload> = { queue: 'webhooks-process-event', schema: processEventPayloadSchema };

// The sweep is scheduled by cron with an empty payload; it carries nothing.
const sweepInboxPayloadSchema = z.object({}).strict() as z.ZodType<Record<string, never>>;
/** The inbox sweep's queue. */
export const SWEEP_INBOX_QUEUE: JobQueue<Record<string, never>> = { queue: 'webhooks-sweep-inbox', schema: sweepInboxPayloadSchema };
/** The inbox sweep runs every minute (pg-boss runs each schedule once across all processes). */
export const SWEEP_INBOX_CRON = '* * * * *';

/** What the jobs run: the webhooks service. */
export interface WebhookJobsRunner {
  processEvent(inboxId: number, attempt: number): Promise<void>;
  parkDead(inboxId: number, error: unknown): Promise<void>;
  sweepInbox(): Promise<void>;
}

/** The webhooks jobs and their schedule. */
export interface WebhooksJobs {
  processEvent: JobDefinition<ProcessEventPayload>;
  sweepInbox: JobDefinition<Record<string, never>>;
  /** Every definition, for the worker registry. */
  definitions: JobDefinition<never>[];
  /** Cron schedules to register once the queues exist. */
  schedules: JobSchedule[];
}

/**
 * Declares the webhooks jobs, after the service they run.
 * @param service the webhooks service
 * @returns the processing job, the inbox sweep and the sweep's schedule
 */
export function createWebhooksJobs(service: WebhookJobsRunner): WebhooksJobs {
  // The processing job: one inbox event. Polls every 0.5 s (pg-boss's minimum) and is also woken right
  // after an intake commits, so an owner change reaches its pause well under a second. Failures retry
  // with backoff (about 1, 2, 4, 8, 16 s, jittered), then the event is parked as dead with its error.
  const processEvent = defineJob<ProcessEventPayload>({
    ...PROCESS_EVENT_QUEUE,
    policy: { retryLimit: 5, retryDelay: 1, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 0.5, batchSize: 50, concurrency: 10, workers: 2 },
    handle: (data, meta) => service.processEvent(data.inboxId, meta.retryCount + 1),
    onExhausted: (data, error) => service.parkDead(data.inboxId, error),
  });
  // The inbox sweep, every minute: re-queues events still pending long after arrival (their job was
  // lost with a killed process, or expired) and deletes finished events past retention.
  const sweepInbox = defineJob<Record<string, never>>({
    ...SWEEP_INBOX_QUEUE,
    policy: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 300, pollingIntervalSeconds: 10 },
    handle: () => service.sweepInbox(),
  });
  const definitions = [processEvent, sweepInbox] as JobDefinition<never>[];
  return { processEvent, sweepInbox, definitions, schedules: [{ job: sweepInbox as JobDefinition<never>, cron: SWEEP_INBOX_CRON }] };
}
