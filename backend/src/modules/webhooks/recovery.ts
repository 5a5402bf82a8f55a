// Waking the processors, and recovery when a wake-up was lost. Nothing about an event lives outside
// its inbox row (status, attempts, when it is next due), so nothing can be lost with a job: a drain
// (inbox-drain.ts) is only a wake-up. One is sent after each intake commits, after a failed attempt
// (for when it is due again), at start-up, by the minutely sweep when due events wait, and (after a
// database outage) as soon as the database answers again.
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import { DRAIN_INBOX_JOB } from './webhooks.jobs.js';
import type { WebhooksDeps } from './webhooks.ports.js';
import { deleteExpiredEvents } from './retention.js';
import type { PriorityGate } from './priority-gate.js';

// How often a wake-up that failed (the database was away) is tried again until it is sent.
const UNSENT_RETRY_MS = 1_000;

/**
 * Wakes a drain now (or once `delayMs` has passed, for a retry). Best effort and never throws: a
 * wake-up that cannot be sent is tried again every second (see {@link createUnrecordedRequeue}); the
 * minutely sweep is the last safety net. A waiting wake-up absorbs further ones (the queue keeps one).
 */
export function wakeProcessors(deps: Pick<ProcessingDeps, 'jobs' | 'unrecorded'>, delayMs = 0): void {
  const seconds = Math.ceil(delayMs / 1000);
  // One waiting wake-up per due second: a retry's wake-up never absorbs an immediate one.
  const singletonKey = seconds > 0 ? `retry:${Math.floor(Date.now() / 1000) + seconds}` : 'now';
  deps.jobs.send(DRAIN_INBOX_JOB, {}, { singletonKey, ...(seconds > 0 ? { startAfterSeconds: seconds } : {}) }).catch(() => deps.unrecorded.add(delayMs));
}

/**
 * At start-up (and from the sweep): wakes a drain when any pending event is due.
 * @param olderThanMs unused since events carry their own due time; kept for the service's signature
 * @returns 1 when a drain was woken, 0 when nothing was due
 */
export async function recoverPending(deps: ProcessingDeps, olderThanMs = 0): Promise<number> {
  void olderThanMs;
  if (!(await queue.anyDue(deps.db))) return 0;
  wakeProcessors(deps);
  deps.log.debug('pending webhook events due; a drain was woken');
  return 1;
}

/** The sweep job's body: wakes a drain when due events wait (a lost wake-up), then applies the retention. */
export async function sweepInbox(deps: ProcessingDeps): Promise<void> {
  await recoverPending(deps);
  await deleteExpiredEvents(deps);
}

/** Wake-ups that could not be sent, sent again once the database answers. */
export interface UnrecordedRequeue {
  /** Sends a wake-up soon (coalesced, retried every second until the send succeeds). */
  add(delayMs?: number): void;
}

/**
 * The re-send of wake-ups that failed because the database was unreachable (an intake that committed
 * just before, a drain interrupted by the outage): one wake-up is sent as soon as the database
 * answers again, so due events do not wait for the minutely sweep.
 * @param deps the job system and the logger
 * @returns one per module instance (it holds the timer)
 */
export function createUnrecordedRequeue(deps: Pick<WebhooksDeps, 'jobs' | 'log'>): UnrecordedRequeue {
  let timer: NodeJS.Timeout | undefined;
  const retrySoon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      deps.jobs.send(DRAIN_INBOX_JOB, {}, { singletonKey: 'now' }).then(
        () => {
          timer = undefined;
          deps.log.info('webhook processing woken again after a database outage');
        },
        () => {
          timer = undefined;
          retrySoon();
        },
      );
    }, UNSENT_RETRY_MS);
    timer.unref();
  };
  return { add: () => retrySoon() };
}

/** The dependencies of processing: the module's, its re-send of wake-ups that failed, and the process's priority gate. */
export type ProcessingDeps = WebhooksDeps & { unrecorded: UnrecordedRequeue; priority: PriorityGate };
