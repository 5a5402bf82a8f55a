import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { BudgetLimits } from './budget-plan.js';
import type { BookingRequest, BudgetStore } from './budget-store.js';
import type { HubSpotLane } from './budget-plan.js';

/**
 * The per-portal HubSpot rate budget of one process, on top of the shared store in Postgres.
 *
 * Callers queue per portal and lane in memory; one "pump" per portal books slots for the head of
 * the queues in one database round (interactive first, up to `batchSize`), resolves each caller at
 * its slot, and sleeps while the window is full. A new interactive caller wakes the pump at once,
 * so it overtakes every bulk caller not yet booked. The memory here is only a queue: the budget
 * itself lives in Postgres and holds across processes.
 */

/** A granted slot: send the call now, then settle it when its answer (or failure) is back. */
export interface BudgetSlot {
  /** Records that the call's answer came back (batched with others into one UPDATE). */
  settle(): void;
}

/** What the HubSpot HTTP layer needs from the budget. */
export interface HubSpotBudget {
  readonly limits: BudgetLimits;
  /**
   * Resolves when one call to `portalId` may be sent now.
   * @throws AppError hubspot_unavailable when no slot is free before `deadlineAt` (epoch ms), or the budget's database is unreachable
   */
  acquire(portalId: number, lane: HubSpotLane, opts?: { deadlineAt?: number }): Promise<BudgetSlot>;
  /** After a window 429: every process holds off the portal for `waitMs`. */
  pause(portalId: number, waitMs: number): Promise<void>;
}

/** Dependencies of createHubSpotBudget. */
export interface HubSpotBudgetDeps {
  store: BudgetStore;
  limits: BudgetLimits;
  log: Logger;
  /** Requests planned per database round (default 50). */
  batchSize?: number;
}

// A slot this close to the caller's deadline leaves no time for the call itself: refuse instead.
const MIN_CALL_TIME_MS = 100;

interface Waiter {
  lane: HubSpotLane;
  deadlineAt?: number;
  resolve(slot: BudgetSlot): void;
  reject(err: unknown): void;
}

interface PortalQueue {
  interactive: Waiter[];
  bulk: Waiter[];
  running: boolean;
  /** Set while the pump sleeps waiting for the window; calling it wakes the pump early. */
  wake?: () => void;
}

/** Builds the budget of this process. */
export function createHubSpotBudget(deps: HubSpotBudgetDeps): HubSpotBudget {
  const batchSize = deps.batchSize ?? 50;
  const queues = new Map<number, PortalQueue>();

  // Settles are gathered for one turn of the event loop and written in one statement. Until a
  // call is settled it counts as in flight ("now"), which only ever delays other calls.
  let toSettle: number[] = [];
  let settling: Promise<void> | undefined;
  const flushSettles = async (): Promise<void> => {
    while (toSettle.length > 0) {
      const ids = toSettle;
      toSettle = [];
      await deps.store.settle(ids).catch((err: unknown) => deps.log.warn({ err, calls: ids.length }, 'could not settle HubSpot budget calls; they count as in flight until they expire'));
    }
    settling = undefined;
  };
  const slotFor = (id: number | undefined): BudgetSlot => {
    let settled = false;
    return {
      settle() {
        if (settled || id === undefined) return;
        settled = true;
        toSettle.push(id);
        settling ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flushSettles);
      },
    };
  };

  const pump = async (portalId: number, q: PortalQueue): Promise<void> => {
    q.running = true;
    try {
      while (q.interactive.length > 0 || q.bulk.length > 0) {
        const interactive = q.interactive.slice(0, batchSize);
        const bulk = q.bulk.slice(0, batchSize - interactive.length);
        const batch = [...interactive, ...bulk];
        const localNow = Date.now();
        const requests: BookingRequest[] = batch.map((w) => ({
          lane: w.lane,
          ...(w.deadlineAt === undefined ? {} : { notAfterInMs: w.deadlineAt - localNow - MIN_CALL_TIME_MS }),
        }));
        let result;
        try {
          result = await deps.store.book(portalId, requests, deps.limits);
        } catch (err) {
          // Without the shared budget no call may go out (it could break the limit for everyone).
          q.interactive = q.interactive.filter((w) => !batch.includes(w));
          q.bulk = q.bulk.filter((w) => !batch.includes(w));
          const error = new AppError('hubspot_unavailable', 'The HubSpot rate budget is unavailable; try again shortly', { cause: err });
          for (const w of batch) w.reject(error);
          continue;
        }
        const bookedAt = Date.now();
        const decided = new Set<Waiter>();
        let wakeAt: number | undefined;
        result.decisions.forEach((d, i) => {
          const w = batch[i]!;
          if (d.kind === 'booked') {
            decided.add(w);
            const slot = slotFor(result.ids[i]);
            const delay = d.at - result.dbNow - (Date.now() - bookedAt);
            if (delay <= 0) w.resolve(slot);
            else setTimeout(() => w.resolve(slot), delay).unref();
          } else if (d.kind === 'refused') {
            decided.add(w);
            const seconds = Math.max(1, Math.ceil((d.earliest - result.dbNow) / 1000));
            w.reject(
              new AppError('hubspot_unavailable', 'HubSpot rate limit: no call slot before the deadline; try again shortly', {
                cause: new Error(`portal ${portalId}: earliest slot in ${Math.round(d.earliest - result.dbNow)} ms, after the caller's deadline`),
                retryAfterSeconds: seconds,
              }),
            );
          } else {
            // Plan again when the slot comes within the horizon. Bulk waits half a horizon longer,
            // so a waiting interactive caller in another process books first.
            const lead = w.lane === 'interactive' ? deps.limits.horizonMs : deps.limits.horizonMs / 2;
            wakeAt = Math.min(wakeAt ?? Infinity, d.retryAt - lead);
          }
        });
        q.interactive = q.interactive.filter((w) => !decided.has(w));
        q.bulk = q.bulk.filter((w) => !decided.has(w));
        if (wakeAt !== undefined) {
          // The window is full for the callers left: sleep until their slot comes near, or until a
          // new interactive caller arrives (it may still fit the reserve).
          const sleepMs = Math.max(1, wakeAt - result.dbNow - (Date.now() - bookedAt));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              q.wake = undefined;
              resolve();
            }, sleepMs);
            timer.unref();
            q.wake = () => {
              clearTimeout(timer);
              q.wake = undefined;
              resolve();
            };
          });
        }
      }
    } finally {
      q.running = false;
      if (q.interactive.length === 0 && q.bulk.length === 0) queues.delete(portalId);
    }
  };

  return Object.freeze({
    limits: deps.limits,
    acquire(portalId: number, lane: HubSpotLane, opts: { deadlineAt?: number } = {}): Promise<BudgetSlot> {
      return new Promise<BudgetSlot>((resolve, reject) => {
        let q = queues.get(portalId);
        if (!q) {
          q = { interactive: [], bulk: [], running: false };
          queues.set(portalId, q);
        }
        q[lane].push({ lane, ...(opts.deadlineAt === undefined ? {} : { deadlineAt: opts.deadlineAt }), resolve, reject });
        if (!q.running) {
          void pump(portalId, q).catch((err: unknown) => deps.log.error({ err, portalId }, 'hubspot budget pump failed'));
        } else if (lane === 'interactive') {
          q.wake?.();
        }
      });
    },
    async pause(portalId: number, waitMs: number): Promise<void> {
      await deps.store.penalize(portalId, waitMs, deps.limits);
      deps.log.info({ portalId, waitMs }, 'HubSpot rate-limited the portal; every process holds off its calls');
    },
  });
}
