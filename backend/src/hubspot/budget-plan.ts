/** Which queue a call belongs to: interactive (a person or HubSpot is waiting) or bulk (jobs). */
export type HubSpotLane = 'interactive' | 'bulk';

/**
 * The pure part of the per-portal HubSpot budget: given the calls already made or booked for a
 * portal (by every process, read from Postgres under a per-portal lock) and the database clock's
 * "now", decide when each waiting call may be sent. No IO, so it is unit-tested exhaustively.
 *
 * HubSpot counts calls in a rolling window per (app, portal): a call arriving at x
 * is refused when the calls of the last `windowMs` (the interval (x − windowMs, x]) already reach
 * the limit. We never know the arrival time, only bounds: a call is sent no earlier than its slot,
 * and it arrived no later than its answer came back. So each call is counted at its slot until it
 * is sent, "now" while it is in flight, and at the moment its answer came back once it is settled;
 * every new slot then lies a full window after the arrival of every call it must not overlap,
 * however late a process sent its call (event-loop lag, a slow network). `marginMs` lengthens the
 * window a little on top, for clock granularity.
 */

/** The budget's numbers (all per portal). */
export interface BudgetLimits {
  /** Calls allowed per window (HubSpot: 110 per 10 s for OAuth apps). */
  maxCalls: number;
  /** HubSpot's window length. */
  windowMs: number;
  /**
   * Calls per window that bulk calls may never use, so interactive calls always find room: bulk
   * calls stay at or under `maxCalls − interactiveReserve` per window (and all calls under
   * `maxCalls`); interactive calls may use the whole window.
   */
  interactiveReserve: number;
  /** Added to the window when counting (safety against send-time jitter). */
  marginMs: number;
  /**
   * Slots are booked at most this far ahead (less than a window). Further out, a call waits
   * unbooked and is planned again later, against calls settled by then: a slot booked a whole
   * window ahead would rest on the slot times of calls not yet sent, which may reach HubSpot late.
   * Waiting unbooked also lets a later interactive call overtake waiting bulk calls.
   */
  horizonMs: number;
  /**
   * A call never settled (its process died) stops counting as in flight after this long (the
   * per-attempt timeout plus slack): it then counts at `at + inFlightMaxMs`.
   */
  inFlightMaxMs: number;
}

/** One recorded call (or a 429 penalty, which weighs a whole window). Times are database-clock ms. */
export interface BudgetEntry {
  /** The slot (unsettled), or when the answer came back (settled). */
  at: number;
  weight: number;
  /** Settled: the call's answer (or failure) came back at `at`. Penalties are settled. */
  settled: boolean;
  /** Penalties (429s) count against both lanes' shares. */
  lane: HubSpotLane | 'penalty';
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
  /** Nothing free within the horizon; plan again when `retryAt` comes within it (nothing booked). */
  | { kind: 'wait'; retryAt: number }
  /** The earliest slot (`earliest`) is after the request's `notAfter`: fail fast (nothing booked). */
  | { kind: 'refused'; earliest: number };

/**
 * Decides a slot for each request, in order (callers put interactive requests first). Booked slots
 * count against the requests after them. Once a request of a lane must wait, every later request
 * of that lane waits too (each lane stays first-in, first-out), unless its deadline refuses it.
 * @param entries the portal's live calls and bookings (any still inside a window), any order
 * @param now the database clock, ms
 * @returns one decision per request, same order
 */
export function planSlots(entries: readonly BudgetEntry[], now: number, requests: readonly SlotRequest[], limits: BudgetLimits): SlotDecision[] {
  const span = limits.windowMs + limits.marginMs;
  const live = entries.map((e) => ({ ...e, at: effectiveTime(e, now, limits) }));
  // Every call counts against the limit; bulk calls (and penalties) also against bulk's share.
  const all = expand(live);
  const bulkShare = expand(live.filter((e) => e.lane !== 'interactive'));
  const constraintsFor = (lane: HubSpotLane) =>
    lane === 'bulk'
      ? [
          { times: all, cap: limits.maxCalls },
          { times: bulkShare, cap: capFor('bulk', limits) },
        ]
      : [{ times: all, cap: limits.maxCalls }];
  const decisions: SlotDecision[] = [];
  const blocked: Partial<Record<HubSpotLane, number>> = {};
  for (const request of requests) {
    const at = blocked[request.lane] ?? earliestSlot(constraintsFor(request.lane), now, span);
    if (request.notAfter !== undefined && at > request.notAfter) {
      decisions.push({ kind: 'refused', earliest: at });
      continue;
    }
    if (at > now + limits.horizonMs) {
      blocked[request.lane] = at;
      decisions.push({ kind: 'wait', retryAt: at });
      continue;
    }
    insertSorted(all, at);
    if (request.lane === 'bulk') insertSorted(bulkShare, at);
    decisions.push({ kind: 'booked', at });
  }
  return decisions;
}

/**
 * When a call counts: settled at its answer; booked and not yet due at its slot; in flight "now"
 * (it may arrive at HubSpot any moment), for at most `inFlightMaxMs` after its slot.
 */
export function effectiveTime(entry: BudgetEntry, now: number, limits: Pick<BudgetLimits, 'inFlightMaxMs'>): number {
  if (entry.settled) return entry.at;
  return Math.min(Math.max(entry.at, now), entry.at + limits.inFlightMaxMs);
}

/** Calls of one lane any window may hold: bulk leaves the interactive reserve free. */
export function capFor(lane: HubSpotLane, limits: Pick<BudgetLimits, 'maxCalls' | 'interactiveReserve'>): number {
  return lane === 'bulk' ? Math.max(1, limits.maxCalls - limits.interactiveReserve) : Math.max(1, limits.maxCalls);
}

/**
 * The earliest time t ≥ now at which one more call keeps, for each constraint, every window of
 * length `span` that contains t at or under its `cap`. Bookings may lie ahead (within the horizon),
 * so windows ending after t are checked too.
 * @param constraints sorted call times (weights expanded) and the cap they must respect
 */
export function earliestSlot(constraints: readonly { times: readonly number[]; cap: number }[], now: number, span: number): number {
  // Validity only changes where a call leaves a window (x + span) or where t passes a booking (y).
  const candidates = [now];
  for (const { times } of constraints) {
    for (const x of times) {
      if (x + span > now) candidates.push(x + span);
      if (x > now) candidates.push(x);
    }
  }
  candidates.sort((a, b) => a - b);
  for (const t of candidates) if (constraints.every((c) => fits(c.times, t, span, c.cap))) return t;
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

function expand(entries: readonly Pick<BudgetEntry, 'at' | 'weight'>[]): number[] {
  const times: number[] = [];
  for (const e of entries) for (let i = 0; i < e.weight; i++) times.push(e.at);
  return times.sort((a, b) => a - b);
}
