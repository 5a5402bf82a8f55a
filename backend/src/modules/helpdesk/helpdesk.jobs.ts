import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs.js';

/** Payload of the send job: the conversation whose outbox to deliver (no message text in the queue). */
export const sendMessagesPayloadSchema = z.object({ conversationId: z.string().uuid() });
export type SendMessagesPayload = z.infer<typeof sendMessagesPayloadSchema>;

/** What the send job runs. */
export interface SendMessagesRunner {
  sendPending(conversationId: string): Promise<void>;
  onSendExhausted(conversationId: string, error: unknown): Promise<void>;
}

/**
 * The outbox job. HubSpot calls go through the backend's one client (per-portal budget, 429 waits);
 * this job adds the long retries over 5xx and outages: 10 more tries with backoff, then the oldest
 * pending message is marked failed (visible in the API and on the connection page).
 */
export function createSendMessagesJob(runner: SendMessagesRunner): JobDefinition<SendMessagesPayload> {
  return defineJob({
    queue: 'helpdesk-send-messages',
    schema: sendMessagesPayloadSchema,
    policy: { retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 120, pollingIntervalSeconds: 1, concurrency: 4 },
    handle: (data) => runner.sendPending(data.conversationId),
    onExhausted: (data, error) => runner.onSendExhausted(data.conversationId, error),
  });
}

/** Payload of the handoff comment job: the transition to describe (its reason stays in the database). */
export const handoffCommentPayloadSchema = z.object({ organizationId: z.string().uuid(), conversationId: z.string().uuid(), transitionId: z.number().int().positive() });
export type HandoffCommentPayload = z.infer<typeof handoffCommentPayloadSchema>;

/** What the handoff comment job runs. */
export interface HandoffCommentRunner {
  postHandoffComment(payload: HandoffCommentPayload): Promise<void>;
  onHandoffCommentExhausted(payload: HandoffCommentPayload, error: unknown): Promise<void>;
}

/**
 * The handoff comment job: posts the internal comment on the conversation's help-desk thread. Same
 * retries as the outbox (HubSpot 5xx and outages, or a thread whose first message is still on its
 * way), then it gives up with a log line: the handoff itself already happened.
 */
export function createHandoffCommentJob(runner: HandoffCommentRunner): JobDefinition<HandoffCommentPayload> {
  return defineJob({
    queue: 'helpdesk-handoff-comment',
    schema: handoffCommentPayloadSchema,
    policy: { retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 120, pollingIntervalSeconds: 1, concurrency: 2 },
    handle: (data) => runner.postHandoffComment(data),
    onExhausted: (data, error) => runner.onHandoffCommentExhausted(data, error),
  });
}
