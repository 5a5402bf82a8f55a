// Note write-backs that HubSpot could not take because of the connection's state. The workflow action
// or API call already answered success, so the note must not be dropped: it waits, visibly (status
// `waiting_connection` with the reason, in the conversation's audit trail and on the connection page),
// and is re-queued exactly once, in the transaction that reconnects the organization. A note written
// against records of another portal would be wrong, so a portal switch fails the waiting notes instead.
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Metrics } from '../metrics/metrics.service.js';
import type { WriteNotePayload } from './conversations.jobs.js';
import { rowToWriteback, type NoteWriteback } from './conversations.repository.js';

/** Whether a write-back failure comes from the organization's connection (dead grant, no connection) rather than from HubSpot refusing the note. */
export function waitsForConnection(err: unknown): err is AppError {
  return err instanceof AppError && (err.code === 'reinstall_required' || err.code === 'install_not_found');
}

/**
 * Parks a pending write-back until the organization reconnects.
 * @returns whether this call parked it (false when it was no longer pending)
 */
async function parkWriteback(db: Db, id: number, reason: string): Promise<boolean> {
  const parked = await db
    .updateTable('note_writebacks')
    .set({ status: 'waiting_connection', last_error: reason, attempts: sql<number>`attempts + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return parked !== undefined;
}

/**
 * Moves waiting write-backs back to pending; only rows that were still waiting are returned, so two
 * callers racing for the same row (the reconnect and the writer's own re-check) re-queue it once.
 * @param ids limit to these write-backs (default: all of the organization's)
 */
async function unparkWritebacks(trx: Transaction<Database> | Db, organizationId: string, ids?: number[]): Promise<number[]> {
  let q = trx
    .updateTable('note_writebacks')
    .set({ status: 'pending', updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'waiting_connection');
  if (ids) q = q.where('id', 'in', ids);
  return (await q.returning('id').execute()).map((r) => Number(r.id));
}

/** Fails every waiting write-back of the organization with `reason` (its portal changed). */
async function failWaitingWritebacks(trx: Transaction<Database>, organizationId: string, reason: string): Promise<number> {
  const failed = await trx
    .updateTable('note_writebacks')
    .set({ status: 'failed', last_error: reason, updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'waiting_connection')
    .executeTakeFirst();
  return Number(failed.numUpdatedRows);
}

/** The organization's latest write-backs that need attention (waiting or failed), newest first. */
async function listWritebacksNeedingAttention(db: Db, organizationId: string, limit: number): Promise<NoteWriteback[]> {
  const rows = await db
    .selectFrom('note_writebacks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['waiting_connection', 'failed'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToWriteback);
}

/** The waiting write-backs of the conversations service. */
export interface WritebackWaiting {
  /** Parks a write-back whose HubSpot call failed because of the connection (see {@link waitsForConnection}). */
  park(writeback: NoteWriteback, err: AppError): Promise<void>;
  /** On a reconnect, in its transaction: re-queue the organization's waiting write-backs once, or fail them when the portal changed. */
  resumeInTransaction(trx: Transaction<Database>, organizationId: string, opts: { portalChanged: boolean }): Promise<void>;
  /** The latest write-backs waiting or failed, newest first. */
  listNeedingAttention(organizationId: string, limit: number): Promise<NoteWriteback[]>;
}

/** Builds the waiting write-backs' use cases around the write-note job. */
export function createWritebackWaiting(
  deps: { db: Db; jobs: Jobs; log: Logger; metrics: Metrics; connectionStatus: (organizationId: string) => Promise<string> },
  writeNoteJob: JobDefinition<WriteNotePayload>,
): WritebackWaiting {
  return Object.freeze<WritebackWaiting>({
    async park(writeback, err) {
      if (!(await parkWriteback(deps.db, writeback.id, `${err.code}: ${err.message}`))) return;
      deps.metrics.noteWritebacks.inc({ outcome: 'waiting' });
      deps.log.warn({ writebackId: writeback.id, organizationId: writeback.organizationId, code: err.code }, 'note write-back waits until the HubSpot connection is reconnected');
      // A reconnect that committed between the refusal and the park found nothing to re-queue, so look
      // at the connection once more; unparking is conditional, so the note is queued once either way.
      if ((await deps.connectionStatus(writeback.organizationId)) !== 'connected') return;
      for (const id of await unparkWritebacks(deps.db, writeback.organizationId, [writeback.id])) await deps.jobs.send(writeNoteJob, { writebackId: id });
    },

    async resumeInTransaction(trx, organizationId, opts) {
      if (opts.portalChanged) {
        const failed = await failWaitingWritebacks(trx, organizationId, 'not sent: the organization switched to another HubSpot portal, and the note’s records are in the previous one');
        if (failed > 0) deps.log.warn({ organizationId, failed }, 'waiting note write-backs failed: the HubSpot portal changed');
        return;
      }
      const ids = await unparkWritebacks(trx, organizationId);
      for (const writebackId of ids) await deps.jobs.send(writeNoteJob, { writebackId }, { trx: trx as unknown as Transaction<never> });
      if (ids.length > 0) deps.log.info({ organizationId, requeued: ids.length }, 'note write-backs waiting for the connection are queued again');
    },

    listNeedingAttention: (organizationId, limit) => listWritebacksNeedingAttention(deps.db, organizationId, limit),
  });
}
