import { z } from 'zod';
import { defineJob, type JobDefinition, type JobType } from '../../platform/jobs.js';
import type { JobSchedule } from '../../platform/module.js';

/** Payload of a push job: only the outbox id, so the queue holds no event data. */
export const pushEventPayloadSchema = z.object({ eventId: z.number().int().positive() });
/** Payload of a push job. */
export type PushEventPayload = z.infer<typeof pushEventPayloadSchema>;

/** What the job runs: the events service's delivery of one event. */
export interface PushEventRunner {
  deliverEvent(eventId: number, attempt: number): Promise<void>;
  /** Called once the last retry failed (the delivery log already has every attempt). */
  onPushExhausted(eventId: number, error: unknown): Promise<void>;
}

/**
 * The push job's type: one event to the organization's destination. Failures retry with exponential
 * backoff (pg-boss: about 1, 2, 4, … s, jittered, doubling), 10 retries, 17 to 34 minutes in all.
 */
export const PUSH_EVENT_JOB: JobType<PushEventPayload> = {
  queue: 'events-push-event',
  schema: pushEventPayloadSchema,
  policy: { retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 0.5, workers: 2 },
};

/** The events module's jobs, running the service built before them. */
export function createEventsJobs(runner: PushEventRunner): { jobs: JobDefinition<never>[]; schedules: JobSchedule[] } {
  const push = defineJob({
    ...PUSH_EVENT_JOB,
    handle: (data, meta) => runner.deliverEvent(data.eventId, meta.retryCount + 1),
    onExhausted: (data, error) => runner.onPushExhausted(data.eventId, error),
  });
  return { jobs: [push] as JobDefinition<never>[], schedules: [] };
}
