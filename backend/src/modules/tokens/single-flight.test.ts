import { describe, expect, it } from '@jest/globals';
import { createSingleFlight } from './single-flight.js';

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('when callers with the same key overlap, then they share the first call and the others never run', async () => {
    const flight = createSingleFlight<string>();
    const gate = deferred<string>();
    const runs: string[] = [];
    const a = flight('org-1', () => (runs.push('a'), gate.promise));
    const b = flight('org-1', () => (runs.push('b'), Promise.resolve('b')));
    gate.resolve('token');
    expect(await Promise.all([a, b])).toStrictEqual(['token', 'token']);
    expect(runs).toStrictEqual(['a']);
  });

  it('when the keys differ, then each runs on its own', async () => {
    const flight = createSingleFlight<string>();
    expect(await Promise.all([flight('org-1', async () => 'one'), flight('org-2', async () => 'two')])).toStrictEqual(['one', 'two']);
  });

  it('when the shared call failed, then every overlapping caller gets the error and the next call runs afresh', async () => {
    const flight = createSingleFlight<string>();
    const gate = deferred<string>();
    const a = flight('org-1', () => gate.promise);
    const b = flight('org-1', async () => 'unused');
    gate.reject(new Error('HubSpot down'));
    await expect(a).rejects.toThrow('HubSpot down');
    await expect(b).rejects.toThrow('HubSpot down');
    expect(await flight('org-1', async () => 'fresh')).toBe('fresh');
  });

  it('when the shared call settled, then a later caller runs again instead of reusing the old answer', async () => {
    const flight = createSingleFlight<number>();
    let runs = 0;
    expect(await flight('org-1', async () => ++runs)).toBe(1);
    expect(await flight('org-1', async () => ++runs)).toBe(2);
  });
});
