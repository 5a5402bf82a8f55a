// The claim loop: each drain (a pg-boss job, woken after an intake commits) claims whole portals
// with due events, processes their oldest events as one batch (process-batch.ts), releases them and
// claims again until nothing is due. A portal is claimed with a session advisory lock on the drain's
// own connection, so one portal's events are processed by one drain at a time, in id order, in every
// process; a killed process's connection closes and its portals are free at once. The HubSpot reads
// happen while the portal is claimed but no transaction is open; the batch's transaction first
// checks the claim still holds (a database restart drops the session and its locks). Before each
// claim and before each batch's transaction, a drain yields to this process's intake and takeovers
// for a bounded time (priority-gate.ts); it never waits while it holds row locks.
import { sql } from 'kysely';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import { processBatch } from './process-batch.js';
import { wakeProcessors, type ProcessingDeps } from './recovery.js';

/**
 * How a drain claims: portals per batch, events per portal, how far down the due list it looks, its
 * time budget, and the longest it yields to urgent work at one checkpoint.
 */
export const DRAIN = { maxPortals: 8, perPortal: 100, window: 2_000, budgetMs: 20_000, yieldMaxMs: 50 };

/**
 * Drains the inbox: claims and processes batches until nothing is due or the drain's time budget is
 * spent (it then wakes another drain to go on).
 * @returns how many events it handled
 */
export async function drainInbox(deps: ProcessingDeps): Promise<number> {
  const started = deps.clock.now();
  let handled = 0;
  await deps.db.connection().execute(async (session) => {
    const pid = await queue.sessionPid(session);
    try {
      for (;;) {
        // Urgent work of this process (intake, a takeover) goes first, for a bounded time (priority-gate.ts).
        await deps.priority.yieldToUrgent();
        const portals = await queue.claimPortals(session, { maxPortals: DRAIN.maxPortals, window: DRAIN.window });
        if (portals.length === 0) return;
        try {
          const events = await queue.dueEventsOf(deps.db, portals, DRAIN.perPortal);
          // More is likely waiting: another drain (this process or another) joins in on other portals.
          if (portals.length >= DRAIN.maxPortals || events.length >= DRAIN.perPortal) wakeProcessors(deps);
          const outcome = await processBatch(deps, events, { stillHeld: (trx) => queue.portalsStillHeld(trx, pid, portals), beforeTransaction: () => deps.priority.yieldToUrgent() });
          handled += events.length;
          if (outcome.retryInMs !== undefined) wakeProcessors(deps, outcome.retryInMs);
        } finally {
          await queue.releasePortals(session, portals);
        }
        if (deps.clock.now() - started > DRAIN.budgetMs) {
          wakeProcessors(deps);
          return;
        }
      }
    } finally {
      // The connection goes back to the pool: it must hold no portal whatever happened above.
      await sql`select pg_advisory_unlock_all()`.execute(session).catch(() => undefined);
    }
  });
  return handled;
}
