import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { earliestSlot, planSlots, type BudgetEntry, type BudgetLimits, type SlotRequest } from './budget-plan.js';

const limits: BudgetLimits = { maxCalls: 10, windowMs: 1000, interactiveReserve: 2, marginMs: 0, bulkHorizonMs: 100 };
const calls = (...at: number[]): BudgetEntry[] => at.map((a) => ({ at: a, weight: 1 }));
const bulk = (n: number): SlotRequest[] => Array.from({ length: n }, () => ({ lane: 'bulk' as const }));
const interactive = (n: number, notAfter?: number): SlotRequest[] => Array.from({ length: n }, () => ({ lane: 'interactive' as const, ...(notAfter === undefined ? {} : { notAfter }) }));

/** The most calls in any window (x − span, x] ending at a call, as HubSpot counts them. */
function busiestWindow(times: number[], span: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((x) => sorted.filter((y) => y > x - span && y <= x).length));
}

describe('planSlots', () => {
  it('when the window is empty, then interactive calls get the full limit now and bulk calls all but the reserve', () => {
    expect(planSlots([], 5000, interactive(10), limits).every((d) => d.kind === 'booked' && d.at === 5000)).toBe(true);
    const decisions = planSlots([], 5000, bulk(10), limits);
    expect(decisions.filter((d) => d.kind === 'booked')).toHaveLength(8);
    // The ninth bulk call is due when the first booked call leaves the window: beyond the horizon.
    expect(decisions[8]).toStrictEqual({ kind: 'wait', retryAt: 6000 });
    expect(decisions[9]).toStrictEqual({ kind: 'wait', retryAt: 6000 });
  });

  it('when bulk calls filled their share, then interactive calls still go at once (the reserve)', () => {
    const decisions = planSlots(calls(...Array.from({ length: 8 }, () => 4900)), 5000, [...interactive(2), ...bulk(1)], limits);
    expect(decisions.slice(0, 2)).toStrictEqual([
      { kind: 'booked', at: 5000 },
      { kind: 'booked', at: 5000 },
    ]);
    expect(decisions[2]).toStrictEqual({ kind: 'wait', retryAt: 5900 });
  });

  it('when the window is full, then an interactive call is booked when the oldest call leaves it, exactly', () => {
    const existing = calls(4200, 4300, 4300, 4400, 4500, 4600, 4700, 4800, 4900, 4950);
    expect(planSlots(existing, 5000, interactive(3), limits)).toStrictEqual([
      { kind: 'booked', at: 5200 },
      { kind: 'booked', at: 5300 },
      { kind: 'booked', at: 5300 },
    ]);
  });

  it('when the margin is set, then a call leaves the counted window margin ms later than HubSpot\'s', () => {
    const existing = calls(...Array.from({ length: 10 }, () => 4500));
    expect(planSlots(existing, 5000, interactive(1), { ...limits, marginMs: 50 })).toStrictEqual([{ kind: 'booked', at: 5550 }]);
  });

  it('when a call cannot go before its deadline, then it is refused and nothing is booked for it', () => {
    const existing = calls(...Array.from({ length: 10 }, () => 4500));
    const decisions = planSlots(existing, 5000, [...interactive(1, 5400), ...interactive(1)], limits);
    expect(decisions).toStrictEqual([
      { kind: 'refused', earliest: 5500 },
      { kind: 'booked', at: 5500 },
    ]);
  });

  it('when a slot is free within the bulk horizon, then bulk books it ahead; beyond it, bulk waits unbooked', () => {
    // Eight bulk calls 10 ms apart leave the window from 5050 on; the horizon reaches 5100.
    const existing = calls(...Array.from({ length: 8 }, (_, i) => 4050 + i * 10));
    expect(planSlots(existing, 5000, bulk(7), limits)).toStrictEqual([
      ...[5050, 5060, 5070, 5080, 5090, 5100].map((at) => ({ kind: 'booked', at })),
      { kind: 'wait', retryAt: 5110 },
    ]);
    expect(planSlots(existing, 4500, bulk(1), limits)).toStrictEqual([{ kind: 'wait', retryAt: 5050 }]);
  });

  it('when a 429 penalty weighs a whole window, then nothing is booked before it expires', () => {
    // A 429 at 5000 with a 600 ms wait is stored as a full-weight entry leaving the window at 5600.
    const penalty = { at: 5600 - 1000, weight: 10 };
    expect(planSlots([penalty], 5000, [...interactive(1), ...bulk(1)], limits)).toStrictEqual([
      { kind: 'booked', at: 5600 },
      { kind: 'wait', retryAt: 5600 },
    ]);
  });

  it('when a future booking exists, then an earlier slot is taken only if no window containing it overflows', () => {
    // Nine calls booked at 5500: a call now would share the windows ending at 5500 → 10 (ok for interactive).
    const existing = calls(...Array.from({ length: 9 }, () => 5500));
    expect(planSlots(existing, 5000, interactive(2), limits)).toStrictEqual([
      { kind: 'booked', at: 5000 },
      // Now, or at 5500, it would be the 11th call in the window ending at 5500; from 6000 the
      // window (5000, 6000] holds the nine 5500 calls and this one.
      { kind: 'booked', at: 6000 },
    ]);
  });

  it('whatever the arrivals, booked calls never exceed the limit in any window, and bulk never uses the reserve', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), lane: fc.constantFrom('interactive' as const, 'bulk' as const), n: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 40 }),
        (rounds) => {
          const booked: { at: number; lane: 'interactive' | 'bulk' }[] = [];
          let now = 0;
          for (const round of rounds) {
            now += round.dt;
            const span = limits.windowMs + limits.marginMs;
            const live = booked.filter((b) => b.at > now - span).map((b) => ({ at: b.at, weight: 1 }));
            const requests = Array.from({ length: round.n }, () => ({ lane: round.lane }));
            for (const d of planSlots(live, now, requests, limits)) {
              if (d.kind === 'booked') {
                expect(d.at).toBeGreaterThanOrEqual(now);
                booked.push({ at: d.at, lane: round.lane });
              }
            }
          }
          const all = booked.map((b) => b.at);
          expect(busiestWindow(all, limits.windowMs)).toBeLessThanOrEqual(limits.maxCalls);
          // With only bulk calls in a window, bulk stays within its share.
          const onlyBulk = booked.filter((b) => b.lane === 'bulk').map((b) => b.at);
          if (booked.every((b) => b.lane === 'bulk')) expect(busiestWindow(onlyBulk, limits.windowMs)).toBeLessThanOrEqual(limits.maxCalls - limits.interactiveReserve);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('earliestSlot', () => {
  it('when there are no calls, then now', () => {
    expect(earliestSlot([], 123, 1000, 1)).toBe(123);
  });
  it('when the cap is reached, then the moment the oldest counted call leaves the window', () => {
    expect(earliestSlot([100, 200, 300], 400, 1000, 3)).toBe(1100);
    expect(earliestSlot([100, 200, 300], 400, 1000, 4)).toBe(400);
  });
});
