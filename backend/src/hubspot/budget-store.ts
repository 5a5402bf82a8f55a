import { sql, type Kysely } from 'kysely';
import { planSlots, type BudgetEntry, type BudgetLimits, type HubSpotLane, type SlotDecision } from './budget-plan.js';
import type { HubSpotBudgetDatabase } from './budget.table.js';

/**
 * The shared half of the HubSpot budget, in Postgres. Each booking is one short transaction under
 * a transaction-scoped advisory lock per portal, so bookings for one portal are serialised across
 * every process on the database, and each sees every call the others made. Times come from the
 * database clock (`clock_timestamp()` after the lock is taken), so process clocks never need to
 * agree; callers get "send in N ms" back, not a wall-clock time.
 */

/** One call waiting for a slot, as the store sees it. */
export interface BookingRequest {
  lane: HubSpotLane;
  /** The caller's deadline as ms from now (the store turns it into database time). */
  notAfterInMs?: number;
}

/** The result of one booking round. */
export interface BookingResult {
  /** Database-clock ms when the plan was made. */
  dbNow: number;
  decisions: SlotDecision[];
  /** The call-log row of each booked decision (undefined for the others), to settle it later. */
  ids: (number | undefined)[];
}

/** Postgres access of the budget. */
export interface BudgetStore {
  /**
   * Prunes the portal's expired rows, reads the live ones, plans `requests` and books the slots
   * granted, in one transaction.
   */
  book(portalId: number, requests: readonly BookingRequest[], limits: BudgetLimits): Promise<BookingResult>;
  /** Marks calls answered (or failed) now, by the database clock: they count from now on at this time. */
  settle(ids: readonly number[]): Promise<void>;
  /** Records a 429: the portal's window counts as full for `waitMs`, for every process. */
  penalize(portalId: number, waitMs: number, limits: BudgetLimits): Promise<void>;
}

// Namespaces the advisory-lock keys of the budget from any other advisory lock on the database.
const lockKey = (portalId: number) => sql`hashtextextended(${`switchboard:hubspot-budget:${portalId}`}, 0)`;

/** Builds the store over a Kysely instance (a small pool of its own in production; see server.ts). */
export function createBudgetStore<DB extends HubSpotBudgetDatabase>(db: Kysely<DB>): BudgetStore {
  return Object.freeze({
    async book(portalId: number, requests: readonly BookingRequest[], limits: BudgetLimits): Promise<BookingResult> {
      const span = limits.windowMs + limits.marginMs;
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${lockKey(portalId)})`.execute(trx);
        // clock_timestamp(), not now(): now() is the transaction's start, before the lock wait.
        const { rows: clock } = await sql<{ now: number }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as now`.execute(trx);
        const dbNow = clock[0]!.now;
        // Gone from every window: settled before now − span, or unsettled (a dead process's) for longer.
        const settledBefore = (dbNow - span) / 1000;
        const unsettledBefore = (dbNow - span - limits.inFlightMaxMs) / 1000;
        const { rows } = await sql<{ id: number; at: number; weight: number; settled: boolean; lane: BudgetEntry['lane']; gone: boolean }>`
          select id, (extract(epoch from at) * 1000)::float8 as at, weight, settled, lane,
            at <= to_timestamp(case when settled then ${settledBefore}::float8 else ${unsettledBefore}::float8 end) as gone
          from hubspot_budget_calls where portal_id = ${portalId}`.execute(trx);
        const gone = rows.filter((r) => r.gone).map((r) => r.id);
        if (gone.length > 0) await sql`delete from hubspot_budget_calls where id = any(${gone}::bigint[])`.execute(trx);
        const entries: BudgetEntry[] = rows.filter((r) => !r.gone).map((r) => ({ at: r.at, weight: r.weight, settled: r.settled, lane: r.lane }));
        const decisions = planSlots(
          entries,
          dbNow,
          requests.map((r) => ({ lane: r.lane, ...(r.notAfterInMs === undefined ? {} : { notAfter: dbNow + r.notAfterInMs }) })),
          limits,
        );
        const booked = decisions.flatMap((d, i) => (d.kind === 'booked' ? [{ index: i, at: d.at, lane: requests[i]!.lane }] : []));
        const ids: (number | undefined)[] = decisions.map(() => undefined);
        if (booked.length > 0) {
          const { rows: inserted } = await sql<{ id: number }>`
            insert into hubspot_budget_calls (portal_id, at, weight, lane)
            select ${portalId}, to_timestamp(t / 1000), 1, l from unnest(${booked.map((b) => b.at)}::float8[], ${booked.map((b) => b.lane)}::text[]) with ordinality as u(t, l, ord)
            order by ord
            returning id`.execute(trx);
          // Identity values follow the ordered SELECT, so ascending ids are the bookings in order.
          inserted
            .map((r) => r.id)
            .sort((a, b) => a - b)
            .forEach((id, k) => (ids[booked[k]!.index] = id));
        }
        return { dbNow, decisions, ids };
      });
    },

    async settle(ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      // greatest(): a call answered before its slot time cannot happen, but a booking clock ahead of
      // this statement's must never move a call earlier.
      await sql`update hubspot_budget_calls set at = greatest(at, clock_timestamp()), settled = true where id = any(${[...ids]}::bigint[])`.execute(db);
    },

    async penalize(portalId: number, waitMs: number, limits: BudgetLimits): Promise<void> {
      const span = limits.windowMs + limits.marginMs;
      // One row weighing the whole window, placed so that it leaves the window exactly `waitMs` from now.
      await sql`
        insert into hubspot_budget_calls (portal_id, at, weight, lane, settled)
        values (${portalId}, clock_timestamp() + make_interval(secs => ${(waitMs - span) / 1000}), ${limits.maxCalls}, 'penalty', true)`.execute(db);
    },
  });
}
