// The emulator's clock: an injected base (Date.now by default) plus an offset that tests can move
// forward through the control API, so token and code expiry are testable without waiting.

/** A clock whose time can be moved forward. */
export interface EmulatorClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): number;
  /** Drops any advance. */
  reset(): void;
}

/**
 * Wraps a base clock with an adjustable offset.
 * @param base the injected time source
 * @returns the emulator clock
 */
export function createClock(base: () => number): EmulatorClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      if (ms > 0) offset += ms;
      return base() + offset;
    },
    reset() {
      offset = 0;
    },
  };
}
