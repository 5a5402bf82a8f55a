// Recovery of events whose job was lost. Every stored event has a job, sent in the intake's
// transaction, but a job can still be lost: a killed process leaves its jobs "active" until pg-boss
// expires them, and a database outage can leave a failed attempt unrecorded. Pending events are
// re-queued at start-up, by the minutely sweep, and (after an outage) as soon as the database answers.
// A second job for an event is harmless: processing locks the row and skips finished events.
import { webhooksRepository as repo } from './webhooks.repository.js';
import { PROCESS_EVENT_JOB } from './webhooks.jobs.js';
import type { WebhooksDeps } from './webhooks.ports.js';
import { deleteExpiredEvents } from './retention.js';

// Pending longer than this, an event's job is presumed lost (longer than the whole retry schedule).
const STUCK_AFTER_MS = 5 * 60_000;
const RECOVER_BATCH = 1_000;
// How often events interrupted by a database outage are offered a new job until the database answers.
const UNRECORDED_RETRY_MS = 1_000;

/**
 * Re-queues pending events received before `olderThanMs` ago (0 = all), at most a batch per call.
 * @returns how many were re-queued
 */
export async function recoverPending(deps: Pick<WebhooksDeps, 'db' | 'jobs' | 'clock' | 'log'>, olderThanMs: number): Promise<number> {
  const ids = await repo.findPendingIds(deps.db, { receivedBefore: new Date(deps.clock.now() - olderThanMs), limit: RECOVER_BATCH });
  if (ids.length === 0) return 0;
  await deps.jobs.sendMany(PROCESS_EVENT_JOB, ids.map((inboxId) => ({ inboxId })));
  deps.log.info({ count: ids.length }, 'pending webhook events re-queued');
  return ids.length;
}

/** The sweep job's body: re-queues events stuck pending, then applies the retention. */
export async function sweepInbox(deps: Pick<WebhooksDeps, 'db' | 'jobs' | 'clock' | 'log'>): Promise<void> {
  await recoverPending(deps, STUCK_AFTER_MS);
  await deleteExpiredEvents(deps);
}

/** Events whose failed attempt could not be recorded, offered a fresh job once the database answers. */
export interface UnrecordedRequeue {
  /** Re-queues the event soon (batched, retried every second until the send succeeds). */
  add(inboxId: number): void;
}

/**
 * The re-queue of events whose failed attempt could not be recorded because the database was
 * unreachable: pg-boss could not record the failure either, so their job stays "active" until it
 * expires (minutes). They get a fresh job as soon as the database answers again.
 * @param deps the job system and the logger
 * @returns one per module instance (it holds the pending ids and the timer)
 */
export function createUnrecordedRequeue(deps: Pick<WebhooksDeps, 'jobs' | 'log'>): UnrecordedRequeue {
  const unrecorded = new Set<number>();
  let requeueTimer: NodeJS.Timeout | undefined;
  const requeueSoon = (inboxId: number) => {
    unrecorded.add(inboxId);
    if (requeueTimer) return;
    requeueTimer = setTimeout(() => {
      const ids = [...unrecorded];
      deps.jobs.sendMany(PROCESS_EVENT_JOB, ids.map((id) => ({ inboxId: id }))).then(
        () => {
          requeueTimer = undefined;
          ids.forEach((id) => unrecorded.delete(id));
          deps.log.info({ count: ids.length }, 'webhook events interrupted by a database outage re-queued');
          const next = unrecorded.values().next();
          if (!next.done) requeueSoon(next.value);
        },
        () => {
          requeueTimer = undefined;
          requeueSoon(ids[0]!);
        },
      );
    }, UNRECORDED_RETRY_MS);
    requeueTimer.unref();
  };
  return { add: requeueSoon };
}

/** The dependencies of processing: the module's, plus its re-queue of unrecorded attempts. */
export type ProcessingDeps = WebhooksDeps & { unrecorded: UnrecordedRequeue };

/**
 * A rejection handler for a database call of a processing attempt: when it fails, the event is offered
 * a fresh job once the database answers (see {@link createUnrecordedRequeue}), and the error goes on.
 */
export function interrupted(deps: Pick<ProcessingDeps, 'unrecorded'>, inboxId: number): (err: unknown) => never {
  return (err: unknown): never => {
    deps.unrecorded.add(inboxId);
    throw err;
  };
}
