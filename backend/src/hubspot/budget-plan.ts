import type { HubSpotLane } from './http.js';

/**
 * The pure part of the per-portal HubSpot budget: given the calls already made or booked for a
 * portal (by every process, read from Postgres under a per-portal lock) and the database clock's
 * "now", decide when each waiting call may be sent. No IO, so it is unit-tested exhaustively.
 *
 * HubSpot counts calls in a rolling window per (app, portal) (reference §8.1): a call arriving at x
 * is refused when the calls of the last `windowMs` (the interval (x − windowMs, x]) already reach
 * the limit. We enforce the same rule over a window `marginMs` longer than HubSpot's, so a call that
 * leaves our process a few milliseconds later than booked (event-loop lag, network) never lands in
 * a window HubSpot still considers full.
 */

/** The budget's numbers (all per portal). */
export interface BudgetLimits {
  /** Calls allowed per window (HubSpot: 110 per 10 s for OAuth apps). */
  maxCalls: number;
  /** HubSpot's window length. */
  windowMs: number;
  /** Calls per window that bulk calls may never use, so interactive calls always find room. */
  interactiveReserve: number;
  /** Added to the window when counting (safety against send-time jitter). */
  marginMs: number;
  /** Bulk calls are booked at most this far ahead; later ones wait unbooked so interactive calls can overtake them. */
  bulkHorizonMs: number;
}

/** One recorded call (or a 429 penalty, which weighs a whole window). Times are database-clock ms. */
export interface BudgetEntry {
  at: number;
  weight: number;
}

/** One call waiting for a slot. */
export interface SlotRequest {
  lane: HubSpotLane;
  /** Latest acceptable send time (database-clock ms); the call is refused rather than booked later. */
  notAfter?: number;
}

/** The decision for one request. */
export type SlotDecision =
  /** Send at `at` (database-clock ms, ≥ now); the slot is booked. */
  | { kind: 'booked'; at: number }
  /** Bulk: nothing free within the horizon; ask again at `retryAt` (nothing booked). */
  | { kind: 'wait'; retryAt: number }
  /** The earliest slot (`earliest`) is after the request's `notAfter`: fail fast (nothing booked). */
  | { kind: 'refused'; earliest: number };

/**
 * Decides a slot for each request, in order (callers put interactive requests first). Booked slots
 * count against the requests after them. Once a bulk request must wait, every later bulk request
 * waits too (bulk stays first-in, first-out).
 * @param entries the portal's calls and bookings with `at > now − (windowMs + marginMs)`, any order
 * @param now the database clock, ms
 * @returns one decision per request, same order
 */
export function planSlots(entries: readonly BudgetEntry[], now: number, requests: readonly SlotRequest[], limits: BudgetLimits): SlotDecision[] {
  const span = limits.windowMs + limits.marginMs;
  const times = expand(entries);
  const decisions: SlotDecision[] = [];
  let bulkBlocked: number | undefined;
  for (const request of requests) {
    if (request.lane === 'bulk' && bulkBlocked !== undefined) {
      decisions.push({ kind: 'wait', retryAt: bulkBlocked });
      continue;
    }
    const cap = capFor(request.lane, limits);
    const at = earliestSlot(times, now, span, cap);
    if (request.notAfter !== undefined && at > request.notAfter) {
      decisions.push({ kind: 'refused', earliest: at });
      continue;
    }
    if (request.lane === 'bulk' && at > now + limits.bulkHorizonMs) {
      bulkBlocked = at;
      decisions.push({ kind: 'wait', retryAt: at });
      continue;
    }
    insertSorted(times, at);
    decisions.push({ kind: 'booked', at });
  }
  return decisions;
}

/** Calls one lane may have in any window: bulk leaves the interactive reserve free. */
export function capFor(lane: HubSpotLane, limits: BudgetLimits): number {
  return lane === 'bulk' ? Math.max(1, limits.maxCalls - limits.interactiveReserve) : Math.max(1, limits.maxCalls);
}

/**
 * The earliest time t ≥ now at which one more call keeps every window of length `span` that
 * contains t at or under `cap` calls. Bookings may lie in the future (bulk within its horizon,
 * interactive calls queued behind a full window), so windows ending after t are checked too.
 * @param times sorted call times (weights expanded)
 */
export function earliestSlot(times: readonly number[], now: number, span: number, cap: number): number {
  // Validity only changes where a call leaves a window (x + span) or where t passes a booking (y).
  const candidates = [now];
  for (const x of times) {
    if (x + span > now) candidates.push(x + span);
    if (x > now) candidates.push(x);
  }
  candidates.sort((a, b) => a - b);
  for (const t of candidates) if (fits(times, t, span, cap)) return t;
  // Unreachable: after the last call leaves its window every window is empty.
  return candidates[candidates.length - 1]!;
}

function fits(times: readonly number[], t: number, span: number, cap: number): boolean {
  // The window ending at t, plus every window ending at a later booking that would contain t.
  if (countIn(times, t - span, t) + 1 > cap) return false;
  for (let i = upperBound(times, t); i < times.length && times[i]! < t + span; i++) {
    const y = times[i]!;
    if (countIn(times, y - span, y) + 1 > cap) return false;
  }
  return true;
}

/** Calls in (from, to]. */
function countIn(times: readonly number[], from: number, to: number): number {
  return upperBound(times, to) - upperBound(times, from);
}

/** Index of the first element > value. */
function upperBound(times: readonly number[], value: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(times: number[], value: number): void {
  times.splice(upperBound(times, value), 0, value);
}

function expand(entries: readonly BudgetEntry[]): number[] {
  const times: number[] = [];
  for (const e of entries) for (let i = 0; i < e.weight; i++) times.push(e.at);
  return times.sort((a, b) => a - b);
}
