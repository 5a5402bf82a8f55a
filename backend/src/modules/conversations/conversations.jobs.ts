import { defineJob, type JobDefinition } from '../../platform/jobs.js';
import { writeNoteQueue, type WriteNotePayload } from './write-note.js';

/** What the jobs run: the conversations service's write-back (declared here so this file needs no service import). */
export interface WriteNoteRunner {
  writeNote(writebackId: number): Promise<void>;
  onWriteNoteExhausted(writebackId: number, error: unknown): Promise<void>;
}

/**
 * The conversations jobs, built after the service they run. The note write-back job: HubSpot calls go
 * through the backend's one HubSpot client (its own short retries and rate budget); this job adds the
 * long retries: 6 more tries with backoff over ~2 minutes, then the write-back is marked failed
 * (visible in the conversation's transitions).
 * @param service the conversations service
 * @returns the job definitions, for the worker registry
 */
export function createConversationsJobs(service: WriteNoteRunner): JobDefinition<never>[] {
  const writeNote = defineJob<WriteNotePayload>({
    ...writeNoteQueue,
    handle: (data) => service.writeNote(data.writebackId),
    onExhausted: (data, error) => service.onWriteNoteExhausted(data.writebackId, error),
  });
  return [writeNote] as JobDefinition<never>[];
}
