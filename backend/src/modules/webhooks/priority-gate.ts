// Priority of urgent work over backlog processing inside one process. In a process that takes
// webhooks and also drains the inbox (role `all`), a drain's batches share the event loop, the pool
// and Postgres with intake and the takeover fast path, so an owner change could wait behind a batch
// of hundreds of background events. Urgent work holds the gate while it runs: an intake request
// from its start until its batch is stored, and the takeover fast path from the moment it found a
// linked conversation until those events are processed; a drain yields to it at its checkpoints (before it
// claims a batch, before it opens a batch's transaction) and goes on once no urgent work is in
// flight. The wait is bounded: a drain waits at most `maxWaitMs` per checkpoint, so processing
// still makes progress when intake never stops, and does not wait at all when intake is idle. A
// drain never waits while it holds row locks (its checkpoints are outside the transaction), so
// urgent work never waits for a waiting drain. Nothing about an event depends on the gate: it only
// decides when a drain starts its next step.

/** A cancellable wait (the default is a timer; a test drives its own). */
export type Waiter = (ms: number) => { done: Promise<void>; cancel(): void };

/** The gate of one process. */
export interface PriorityGate {
  /** Runs urgent work; drains yield while any is in flight (it is released however `work` ends). */
  hold<T>(work: () => Promise<T>): Promise<T>;
  /**
   * A drain's checkpoint: resolves at once when no urgent work is in flight, otherwise once none
   * is or `maxWaitMs` has passed, whichever comes first.
   * @returns 'idle' when it went on because nothing urgent was in flight, 'bound' when the wait ran out
   */
  yieldToUrgent(): Promise<'idle' | 'bound'>;
  /** Urgent work in flight now (gauges and tests). */
  readonly inFlight: number;
}

const timerWaiter: Waiter = (ms) => {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return { done, cancel: () => clearTimeout(timer) };
};

/**
 * Creates a process's gate.
 * @param opts.maxWaitMs the longest a drain waits at one checkpoint (its guarantee of progress)
 * @param opts.wait how a bounded wait is made (a timer unless a test gives its own)
 */
export function createPriorityGate(opts: { maxWaitMs: number; wait?: Waiter }): PriorityGate {
  const wait = opts.wait ?? timerWaiter;
  let inFlight = 0;
  // The checkpoints waiting now; each leaves the set when it goes on (no closure outlives its wait).
  const waiting = new Set<() => void>();

  const release = () => {
    inFlight--;
    if (inFlight > 0) return;
    for (const goOn of waiting) goOn();
    waiting.clear();
  };

  return {
    async hold(work) {
      inFlight++;
      try {
        return await work();
      } finally {
        release();
      }
    },
    async yieldToUrgent() {
      if (inFlight === 0) return 'idle';
      let goOn!: () => void;
      const idle = new Promise<'idle'>((resolve) => (goOn = () => resolve('idle')));
      waiting.add(goOn);
      const bound = wait(opts.maxWaitMs);
      const outcome = await Promise.race([idle, bound.done.then(() => 'bound' as const)]);
      waiting.delete(goOn);
      bound.cancel();
      return outcome;
    },
    get inFlight() {
      return inFlight;
    },
  };
}
