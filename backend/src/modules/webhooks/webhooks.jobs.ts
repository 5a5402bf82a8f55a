import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs.js';

/** Payload of a processing job: only the inbox id (event data stays in one table, easy to erase). */
export const processEventPayloadSchema = z.object({ inboxId: z.number().int().positive() });
export type ProcessEventPayload = z.infer<typeof processEventPayloadSchema>;

/** What the jobs run: the webhooks service. */
export interface WebhookJobsRunner {
  processEvent(inboxId: number, attempt: number): Promise<void>;
  parkDead(inboxId: number, error: unknown): Promise<void>;
  sweepInbox(): Promise<void>;
}

/**
 * The processing job: one inbox event. Polls every 0.5 s (pg-boss's minimum) and is also woken right
 * after an intake commits, so an owner change reaches its pause well under a second. Failures retry
 * with backoff (about 1, 2, 4, 8, 16 s, jittered), then the event is parked as dead with its error.
 */
export function createProcessEventJob(runner: () => WebhookJobsRunner): JobDefinition<ProcessEventPayload> {
  return defineJob({
    queue: 'webhooks-process-event',
    schema: processEventPayloadSchema,
    policy: { retryLimit: 5, retryDelay: 1, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 0.5, batchSize: 50, concurrency: 10, workers: 2 },
    handle: (data, meta) => runner().processEvent(data.inboxId, meta.retryCount + 1),
    onExhausted: (data, error) => runner().parkDead(data.inboxId, error),
  });
}

/**
 * The inbox sweep, every minute: re-queues events still pending long after arrival (their job was
 * lost with a killed process, or expired) and deletes finished events past retention.
 */
export function createSweepInboxJob(runner: () => WebhookJobsRunner): JobDefinition<Record<string, never>> {
  return defineJob({
    queue: 'webhooks-sweep-inbox',
    schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
    policy: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 300, pollingIntervalSeconds: 10 },
    handle: () => runner().sweepInbox(),
  });
}
