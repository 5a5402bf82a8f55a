/** Runs `run` unless a call with the same key is in flight, in which case it shares that call's promise. */
export type SingleFlight<T> = (key: string, run: () => Promise<T>) => Promise<T>;

/**
 * In-process single-flight: concurrent callers with the same key share one in-flight promise, so a
 * burst of `getAccessToken` calls in one process takes the row lock once. Across processes the row
 * lock does the same job.
 */
export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, run) => {
    const existing = inFlight.get(key);
    if (existing) return existing;
    const p = run().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };
}
