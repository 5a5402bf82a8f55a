// The priority gate's rules, driven by promises and a hand-fired bound (no timers): a drain's
// checkpoint goes on at once when nothing urgent is in flight, waits while urgent work is in flight,
// and goes on when the last urgent work ends or when its bound is reached, whichever comes first.
import { describe, expect, it } from '@jest/globals';
import { createPriorityGate, type Waiter } from './priority-gate.js';

/** A bound the test fires by hand; records each wait asked for. */
function handBound() {
  const asked: { ms: number; fire(): void; cancelled: boolean }[] = [];
  const wait: Waiter = (ms) => {
    let fire!: () => void;
    const done = new Promise<void>((resolve) => (fire = resolve));
    const entry = { ms, fire, cancelled: false };
    asked.push(entry);
    return { done, cancel: () => (entry.cancelled = true) };
  };
  return { wait, asked };
}

/** Urgent work that runs until the test ends it. */
function urgentWork() {
  let end!: (value: string) => void;
  let fail!: (err: Error) => void;
  const result = new Promise<string>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  return { work: () => result, end, fail };
}

// Lets every already-settled promise chain run (a checkpoint that could go on has gone on by then).
const settle = () => new Promise((resolve) => setImmediate(resolve));

function track<T>(promise: Promise<T>) {
  const state: { value?: T } = {};
  void promise.then((v) => (state.value = v));
  return state;
}

describe('priority gate', () => {
  it('when nothing urgent is in flight, then a checkpoint goes on at once and asks for no bound', async () => {
    const bound = handBound();
    const gate = createPriorityGate({ maxWaitMs: 50, wait: bound.wait });
    await expect(gate.yieldToUrgent()).resolves.toBe('idle');
    expect(bound.asked).toHaveLength(0);
  });

  it('when urgent work is in flight, then a checkpoint waits, and goes on once that work ends', async () => {
    const bound = handBound();
    const gate = createPriorityGate({ maxWaitMs: 50, wait: bound.wait });
    const urgent = urgentWork();
    const held = gate.hold(urgent.work);
    expect(gate.inFlight).toBe(1);

    const checkpoint = track(gate.yieldToUrgent());
    await settle();
    expect(checkpoint.value).toBeUndefined();
    expect(bound.asked.map((a) => a.ms)).toStrictEqual([50]);

    urgent.end('stored');
    await expect(held).resolves.toBe('stored');
    await settle();
    expect(checkpoint.value).toBe('idle');
    expect(gate.inFlight).toBe(0);
    // The bound it no longer needs is cancelled.
    expect(bound.asked[0]!.cancelled).toBe(true);
  });

  it('when urgent work never ends, then a checkpoint goes on once its bound is reached, and the next one waits again', async () => {
    const bound = handBound();
    const gate = createPriorityGate({ maxWaitMs: 50, wait: bound.wait });
    const urgent = urgentWork();
    void gate.hold(urgent.work);

    const first = track(gate.yieldToUrgent());
    await settle();
    expect(first.value).toBeUndefined();
    bound.asked[0]!.fire();
    await settle();
    expect(first.value).toBe('bound');

    // Progress is one step per bound, not a free pass: the next checkpoint waits again.
    const second = track(gate.yieldToUrgent());
    await settle();
    expect(second.value).toBeUndefined();
    expect(bound.asked).toHaveLength(2);
    bound.asked[1]!.fire();
    await settle();
    expect(second.value).toBe('bound');
    urgent.end('done');
  });

  it('when two urgent works overlap, then a checkpoint waits for the last of them, and a failing one releases the gate too', async () => {
    const bound = handBound();
    const gate = createPriorityGate({ maxWaitMs: 50, wait: bound.wait });
    const a = urgentWork();
    const b = urgentWork();
    const heldA = gate.hold(a.work);
    const heldB = gate.hold(b.work);
    const checkpoint = track(gate.yieldToUrgent());

    a.fail(new Error('insert failed'));
    await expect(heldA).rejects.toThrow('insert failed');
    await settle();
    expect(gate.inFlight).toBe(1);
    expect(checkpoint.value).toBeUndefined();

    b.end('processed');
    await heldB;
    await settle();
    expect(checkpoint.value).toBe('idle');
    expect(gate.inFlight).toBe(0);
  });

  it('when two drains wait at once, then both go on when the urgent work ends', async () => {
    const bound = handBound();
    const gate = createPriorityGate({ maxWaitMs: 50, wait: bound.wait });
    const urgent = urgentWork();
    const held = gate.hold(urgent.work);
    const one = track(gate.yieldToUrgent());
    const two = track(gate.yieldToUrgent());
    await settle();
    expect([one.value, two.value]).toStrictEqual([undefined, undefined]);
    urgent.end('done');
    await held;
    await settle();
    expect([one.value, two.value]).toStrictEqual(['idle', 'idle']);
  });
});
