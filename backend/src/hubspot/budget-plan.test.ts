import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { earliestSlot, effectiveTime, planSlots, type BudgetEntry, type BudgetLimits, type SlotRequest } from './budget-plan.js';

const limits: BudgetLimits = { maxCalls: 10, windowMs: 1000, interactiveReserve: 2, marginMs: 0, horizonMs: 100, inFlightMaxMs: 5000 };
/** Settled bulk calls answered at these times. */
const calls = (...at: number[]): BudgetEntry[] => at.map((a) => ({ at: a, weight: 1, settled: true, lane: 'bulk' as const }));
const bulk = (n: number): SlotRequest[] => Array.from({ length: n }, () => ({ lane: 'bulk' as const }));
const interactive = (n: number, notAfter?: number): SlotRequest[] => Array.from({ length: n }, () => ({ lane: 'interactive' as const, ...(notAfter === undefined ? {} : { notAfter }) }));
const booked = (...at: number[]) => at.map((a) => ({ kind: 'booked', at: a }));

/** The most calls in any window (x − span, x] ending at a call, as HubSpot counts them. */
function busiestWindow(times: number[], span: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((x) => sorted.filter((y) => y > x - span && y <= x).length));
}

describe('planSlots', () => {
  it('when the window is empty, then interactive calls get the full limit now and bulk calls all but the reserve', () => {
    expect(planSlots([], 5000, interactive(10), limits)).toStrictEqual(booked(...Array.from({ length: 10 }, () => 5000)));
    expect(planSlots([], 5000, bulk(10), limits)).toStrictEqual([
      ...booked(...Array.from({ length: 8 }, () => 5000)),
      // The next bulk slot opens when the first booked call leaves the window: beyond the horizon.
      { kind: 'wait', retryAt: 6000 },
      { kind: 'wait', retryAt: 6000 },
    ]);
  });

  it('when interactive calls used the reserve, then bulk calls still get their whole share', () => {
    const used = [...calls(...Array.from({ length: 7 }, () => 4950)), ...Array.from({ length: 2 }, () => ({ at: 4950, weight: 1, settled: true, lane: 'interactive' as const }))];
    // 9 of 10 used, 7 of bulk's 8: one more bulk call fits now; the one after would exceed both.
    expect(planSlots(used, 5000, bulk(2), limits)).toStrictEqual([...booked(5000), { kind: 'wait', retryAt: 5950 }]);
  });

  it('when bulk calls filled their share, then interactive calls still go at once (the reserve)', () => {
    expect(planSlots(calls(...Array.from({ length: 8 }, () => 4900)), 5000, [...interactive(2), ...bulk(1)], limits)).toStrictEqual([
      ...booked(5000, 5000),
      { kind: 'wait', retryAt: 5900 },
    ]);
  });

  it('when the window is full, then a call is booked the moment the oldest call leaves it, if that is within the horizon', () => {
    const existing = calls(4200, 4300, 4300, 4400, 4500, 4600, 4700, 4800, 4900, 4950);
    expect(planSlots(existing, 5150, interactive(3), limits)).toStrictEqual([...booked(5200), { kind: 'wait', retryAt: 5300 }, { kind: 'wait', retryAt: 5300 }]);
    expect(planSlots(existing, 5250, interactive(3), limits)).toStrictEqual(booked(5250, 5300, 5300));
  });

  it('when the margin is set, then a call leaves the counted window margin ms later than HubSpot\'s', () => {
    const existing = calls(...Array.from({ length: 10 }, () => 4500));
    expect(planSlots(existing, 5500, interactive(1), { ...limits, marginMs: 50 })).toStrictEqual(booked(5550));
  });

  it('when a call cannot go before its deadline, then it is refused and nothing is booked for it', () => {
    const existing = calls(...Array.from({ length: 10 }, () => 4500));
    expect(planSlots(existing, 5450, [...interactive(1, 5400 + 50), ...interactive(1)], limits)).toStrictEqual([{ kind: 'refused', earliest: 5500 }, ...booked(5500)]);
  });

  it('when a lane must wait, then its later requests wait too, and a later request whose deadline comes first is refused', () => {
    const existing = calls(...Array.from({ length: 10 }, () => 4500));
    expect(planSlots(existing, 5000, [...interactive(1), ...interactive(1, 5200), ...bulk(1)], limits)).toStrictEqual([
      { kind: 'wait', retryAt: 5500 },
      { kind: 'refused', earliest: 5500 },
      { kind: 'wait', retryAt: 5500 },
    ]);
  });

  it('when slots free up within the horizon, then they are booked ahead; beyond it, calls wait unbooked', () => {
    // Eight bulk calls 10 ms apart leave the window from 5050 on; the horizon reaches 5100.
    const existing = calls(...Array.from({ length: 8 }, (_, i) => 4050 + i * 10));
    expect(planSlots(existing, 5000, bulk(7), limits)).toStrictEqual([...booked(5050, 5060, 5070, 5080, 5090, 5100), { kind: 'wait', retryAt: 5110 }]);
    expect(planSlots(existing, 4500, bulk(1), limits)).toStrictEqual([{ kind: 'wait', retryAt: 5050 }]);
  });

  it('when a 429 penalty weighs a whole window, then nothing is booked before it expires', () => {
    // A 429 at 5000 with a 600 ms wait is stored as a full-weight entry leaving the window at 5600.
    const penalty = { at: 5600 - 1000, weight: 10, settled: true, lane: 'penalty' as const };
    expect(planSlots([penalty], 5000, [...interactive(1), ...bulk(1)], limits)).toStrictEqual([
      { kind: 'wait', retryAt: 5600 },
      { kind: 'wait', retryAt: 5600 },
    ]);
    expect(planSlots([penalty], 5550, [...interactive(1), ...bulk(1)], limits)).toStrictEqual(booked(5600, 5600));
  });

  it('when calls are booked just ahead, then an earlier slot is taken only if no window containing it overflows', () => {
    const ahead = Array.from({ length: 9 }, () => ({ at: 5050, weight: 1, settled: false, lane: 'interactive' as const }));
    // Now it is the tenth call in the windows ending at 5050; the one after cannot go before those leave.
    expect(planSlots(ahead, 5000, interactive(2), limits)).toStrictEqual([...booked(5000), { kind: 'wait', retryAt: 6000 }]);
  });

  it('whatever the arrivals and answer delays, the calls never exceed the limit in any HubSpot window, and bulk alone stays within its share', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 400 }),
            lane: fc.constantFrom('interactive' as const, 'bulk' as const),
            n: fc.integer({ min: 1, max: 6 }),
            // How late each call reaches HubSpot after its slot, and how much later its answer is back.
            lag: fc.integer({ min: 0, max: 300 }),
            latency: fc.integer({ min: 0, max: 300 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (rounds) => {
          const sent: { slot: number; arrival: number; answered: number; lane: 'interactive' | 'bulk' }[] = [];
          let now = 0;
          for (const round of rounds) {
            now += round.dt;
            const live = sent.map((c) => (c.answered <= now ? { at: c.answered, weight: 1, settled: true, lane: c.lane } : { at: c.slot, weight: 1, settled: false, lane: c.lane }));
            for (const d of planSlots(live, now, Array.from({ length: round.n }, () => ({ lane: round.lane })), limits)) {
              if (d.kind !== 'booked') continue;
              expect(d.at).toBeGreaterThanOrEqual(now);
              expect(d.at).toBeLessThanOrEqual(now + limits.horizonMs);
              const arrival = d.at + round.lag;
              sent.push({ slot: d.at, arrival, answered: arrival + round.latency, lane: round.lane });
            }
          }
          expect(busiestWindow(sent.map((c) => c.arrival), limits.windowMs)).toBeLessThanOrEqual(limits.maxCalls);
          expect(busiestWindow(sent.filter((c) => c.lane === 'bulk').map((c) => c.arrival), limits.windowMs)).toBeLessThanOrEqual(limits.maxCalls - limits.interactiveReserve);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('effectiveTime', () => {
  it('when a call is settled, then it counts when its answer came back', () => {
    expect(effectiveTime({ at: 900, weight: 1, settled: true, lane: 'bulk' }, 1000, limits)).toBe(900);
  });
  it('when a call is booked for later, then it counts at its slot', () => {
    expect(effectiveTime({ at: 1050, weight: 1, settled: false, lane: 'bulk' }, 1000, limits)).toBe(1050);
  });
  it('when a call is in flight, then it counts as now (it may reach HubSpot any moment), until inFlightMaxMs after its slot', () => {
    expect(effectiveTime({ at: 400, weight: 1, settled: false, lane: 'bulk' }, 1000, limits)).toBe(1000);
    expect(effectiveTime({ at: 400, weight: 1, settled: false, lane: 'bulk' }, 9000, limits)).toBe(5400);
  });
  it('when earlier calls are still in flight, then the next slot is a full window after now, not after their slots', () => {
    const inFlight = Array.from({ length: 10 }, () => ({ at: 100, weight: 1, settled: false, lane: 'bulk' as const }));
    expect(planSlots(inFlight, 1000, interactive(1), limits)).toStrictEqual([{ kind: 'wait', retryAt: 2000 }]);
  });
});

describe('earliestSlot', () => {
  it('when there are no calls, then now', () => {
    expect(earliestSlot([{ times: [], cap: 1 }], 123, 1000)).toBe(123);
  });
  it('when the cap is reached, then the moment the oldest counted call leaves the window', () => {
    expect(earliestSlot([{ times: [100, 200, 300], cap: 3 }], 400, 1000)).toBe(1100);
    expect(earliestSlot([{ times: [100, 200, 300], cap: 4 }], 400, 1000)).toBe(400);
  });
  it('when several constraints apply, then the first moment all of them hold', () => {
    expect(earliestSlot([{ times: [100, 200, 300], cap: 4 }, { times: [100, 200], cap: 2 }], 400, 1000)).toBe(1100);
  });
});
