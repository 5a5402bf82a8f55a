// Note write-backs parked while the organization's connection could not write them (write-note.ts)
// wait, visibly (status `waiting_connection` with the reason, in the conversation's audit trail and on
// the connection page), and are re-queued exactly once, in the transaction that reconnects the
// organization. A note written against records of another portal would be wrong, so a portal switch
// fails the waiting notes instead.
import type { Transaction } from 'kysely';
import type { ConversationsDeps, Trx } from './conversations.ports.js';
import { noteWritebacksRepository as repo } from './note-writebacks.repository.js';
import { writeNoteQueue } from './write-note.js';

/**
 * After the organization (re)connects, in that transaction: its write-backs waiting for the
 * connection are queued once more, or failed when the portal changed (their records are elsewhere).
 */
export async function resumeWaitingWritebacksInTransaction(deps: Pick<ConversationsDeps, 'jobs' | 'log'>, trx: Trx, organizationId: string, opts: { portalChanged: boolean }): Promise<void> {
  if (opts.portalChanged) {
    const failed = await repo.failWaitingWritebacks(trx, organizationId, 'not sent: the organization switched to another HubSpot portal, and the note’s records are in the previous one');
    if (failed > 0) deps.log.warn({ organizationId, failed }, 'waiting note write-backs failed: the HubSpot portal changed');
    return;
  }
  const ids = await repo.unparkWritebacks(trx, organizationId);
  for (const writebackId of ids) await deps.jobs.send(writeNoteQueue, { writebackId }, { trx: trx as unknown as Transaction<never> });
  if (ids.length > 0) deps.log.info({ organizationId, requeued: ids.length }, 'note write-backs waiting for the connection are queued again');
}
