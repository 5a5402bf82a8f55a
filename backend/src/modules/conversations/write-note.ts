// Writes a transition's note onto the HubSpot timeline of its ticket and contact (the write-note
// job's body). The workflow action or API call that caused it already answered success, so a note
// HubSpot cannot take because of the connection's state is not dropped: it waits for the reconnect
// (resume-waiting-writebacks.ts).
import { z } from 'zod';
import { AppError, isRetryable } from '../../platform/errors.js';
import type { JobType } from '../../platform/jobs.js';
import type { ConversationsDeps } from './conversations.ports.js';
import { conversationsRepository as conversations } from './conversations.repository.js';
import { buildNoteBody } from './note-body.js';
import { noteWritebacksRepository as repo, type NoteWriteback } from './note-writebacks.repository.js';
import { transitionsRepository as transitions } from './transitions.repository.js';

const writeNotePayloadSchema = z.object({ writebackId: z.number().int().positive() });
/** Payload of a write-note job: only the write-back id (no note text in the queue). */
export type WriteNotePayload = z.infer<typeof writeNotePayloadSchema>;

/** The write-note queue, as transitions and reconnects send to it (conversations.jobs.ts runs it). */
// 6 more tries with backoff over ~2 minutes on top of the HubSpot client's own short retries.
export const writeNoteQueue: JobType<WriteNotePayload> = {
  queue: 'conversations-write-note',
  schema: writeNotePayloadSchema,
  policy: { retryLimit: 6, retryDelay: 2, retryBackoff: true, expireInSeconds: 60, pollingIntervalSeconds: 1 },
};

/**
 * Writes one pending note to HubSpot and records the outcome; a write-back that is no longer pending
 * is left alone (the job ran twice, or the note was erased).
 * @throws the HubSpot error when another try may succeed (the job retries)
 */
export async function writeNote(deps: ConversationsDeps, writebackId: number): Promise<void> {
  const writeback = await repo.findWritebackById(deps.db, writebackId);
  if (!writeback || writeback.status !== 'pending') return;
  const [transition, conversation] = await Promise.all([
    transitions.findTransitionById(deps.db, writeback.transitionId),
    conversations.findConversationById(deps.db, writeback.organizationId, writeback.conversationId),
  ]);
  if (!transition || !conversation || (writeback.ticketId === null && writeback.contactId === null)) {
    await repo.updateWriteback(deps.db, writeback.id, { status: 'failed', lastError: 'nothing left to write the note on' });
    return;
  }
  const team = (transition.details?.team as { name?: unknown } | undefined)?.name;
  const note = {
    timestamp: transition.occurredAt,
    body: buildNoteBody({
      toState: transition.toState,
      source: transition.source,
      actor: transition.actor,
      reason: transition.reason,
      externalId: conversation.externalId,
      occurredAt: transition.occurredAt,
      team: typeof team === 'string' ? team : null,
      ...(deps.productName ? { productName: deps.productName } : {}),
    }),
    ticketId: writeback.ticketId,
    contactId: writeback.contactId,
  };
  try {
    const created = await deps.hubspot.createNote(writeback.organizationId, note);
    await repo.updateWriteback(deps.db, writeback.id, { status: 'done', attemptsIncrement: true, lastError: null, hubspotNoteId: created.id });
    deps.metrics.noteWritebacks.inc({ outcome: 'done' });
  } catch (err) {
    if (waitsForConnection(err)) return parkUntilReconnected(deps, writeback, err);
    const message = err instanceof AppError ? `${err.code}: ${err.message}` : 'unexpected error';
    // HubSpot refusing the note (hubspot_upstream_error) cannot succeed on retry: the write-back fails
    // now, with the reason, rather than after six identical refusals.
    const final = !isRetryable(err);
    await repo.updateWriteback(deps.db, writeback.id, { attemptsIncrement: true, lastError: message, ...(final ? { status: 'failed' as const } : {}) });
    deps.metrics.noteWritebacks.inc({ outcome: final ? 'failed' : 'retry' });
    if (final) {
      deps.log.warn({ writebackId, organizationId: writeback.organizationId, err }, 'note write-back refused by HubSpot; not retried');
      return;
    }
    throw err;
  }
}

/** The write-note job used its last retry: the write-back is failed (visible in the conversation's audit trail). */
export async function onWriteNoteExhausted(deps: Pick<ConversationsDeps, 'db' | 'metrics'>, writebackId: number): Promise<void> {
  await repo.updateWriteback(deps.db, writebackId, { status: 'failed' });
  deps.metrics.noteWritebacks.inc({ outcome: 'failed' });
}

// Whether a write-back failure comes from the organization's connection (dead grant, no connection)
// rather than from HubSpot refusing the note.
function waitsForConnection(err: unknown): err is AppError {
  return err instanceof AppError && (err.code === 'reinstall_required' || err.code === 'install_not_found');
}

// Parks the write-back as `waiting_connection`, with the reason, until the organization reconnects.
async function parkUntilReconnected(deps: ConversationsDeps, writeback: NoteWriteback, err: AppError): Promise<void> {
  if (!(await repo.parkWriteback(deps.db, writeback.id, `${err.code}: ${err.message}`))) return;
  deps.metrics.noteWritebacks.inc({ outcome: 'waiting' });
  deps.log.warn({ writebackId: writeback.id, organizationId: writeback.organizationId, code: err.code }, 'note write-back waits until the HubSpot connection is reconnected');
  // A reconnect that committed between the refusal and the park found nothing to re-queue, so look
  // at the connection once more; unparking is conditional, so the note is queued once either way.
  if ((await deps.connectionStatus(writeback.organizationId)) !== 'connected') return;
  for (const id of await repo.unparkWritebacks(deps.db, writeback.organizationId, [writeback.id])) await deps.jobs.send(writeNoteQueue, { writebackId: id });
}
