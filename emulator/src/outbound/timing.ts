// Real-time waits of the outbound engines. Every wait goes through here so that `timeScale` shrinks
// HubSpot's timings (5 s timeouts, retries over hours) to something a test can sit through, and so that
// stop() can cancel every timer at once and leave jest no open handles.

/** Exponential backoff with jitter: `baseMs · 2^(retry−1)`, times a random factor in [0.5, 1.5). */
export function backoffMs(baseMs: number, retry: number, random: () => number): number {
  return baseMs * 2 ** Math.max(0, retry - 1) * (0.5 + random());
}

/** A set of unref'd timers that can be cancelled together. */
export interface TimerSet {
  /** Runs `fn` after `ms` real milliseconds unless cancelled first; returns the cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Number of timers not yet fired. */
  size(): number;
  /** Cancels every pending timer. */
  clear(): void;
}

/** Creates an empty {@link TimerSet}. */
export function createTimerSet(): TimerSet {
  const timers = new Set<NodeJS.Timeout>();
  return {
    after(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, Math.max(0, Math.round(ms)));
      timer.unref();
      timers.add(timer);
      return () => {
        clearTimeout(timer);
        timers.delete(timer);
      };
    },
    size: () => timers.size,
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * Parses an ISO-8601 duration (`P1W`, `PT1H30M`, `P1DT2H`, `PT0.5S`) into milliseconds.
 * Years count 365 days and months 30, as HubSpot documents no calendar rule.
 * @param text the duration
 * @returns milliseconds, or undefined when the text is not a duration
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
    text.trim(),
  );
  if (!m || /^P(T)?$/i.test(text.trim()) || /T$/i.test(text.trim())) return undefined;
  const day = 86_400_000;
  const units = [365 * day, 30 * day, 7 * day, day, 3_600_000, 60_000, 1000];
  return units.reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * unit, 0);
}
