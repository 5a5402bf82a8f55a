import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs.js';

/** Payload of a note write-back job: only the write-back id (no note text in the queue). */
export const writeNotePayloadSchema = z.object({ writebackId: z.number().int().positive() });
export type WriteNotePayload = z.infer<typeof writeNotePayloadSchema>;

/** What the job runs: the conversations service's write-back. */
export interface WriteNoteRunner {
  writeNote(writebackId: number): Promise<void>;
  onWriteNoteExhausted(writebackId: number, error: unknown): Promise<void>;
}

/**
 * The note write-back job. HubSpot calls go through the backend's one HubSpot client (its own short
 * retries and rate budget); this job adds the long retries: 6 more tries with backoff over ~2 minutes,
 * then the write-back is marked failed (visible in the conversation's transitions).
 * @param runner the conversations service (bound late, as the service also sends this job)
 */
export function createWriteNoteJob(runner: () => WriteNoteRunner): JobDefinition<WriteNotePayload> {
  return defineJob({
    queue: 'conversations-write-note',
    schema: writeNotePayloadSchema,
    policy: { retryLimit: 6, retryDelay: 2, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 1 },
    handle: (data) => runner().writeNote(data.writebackId),
    onExhausted: (data, error) => runner().onWriteNoteExhausted(data.writebackId, error),
  });
}
