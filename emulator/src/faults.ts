// Fault injection, set through the control API: failing or hanging token calls, slow API calls,
// forced 429s and forced 5xx, so the backend's retry and timeout paths are tested against real HTTP.

/** How a token-endpoint fault fails the call. */
export type TokenFaultMode = 'error' | 'hang' | 'late';

/** Current fault settings; counts go down as faults fire. */
export interface FaultSettings {
  /**
   * The next `remaining` token-endpoint calls fail: `error` answers `status`, `hang` holds the request
   * `hangMs` and answers 504 without a grant, `late` makes the grant and holds its answer `hangMs` (an
   * answer that a caller who stopped waiting never gets, while HubSpot counted the exchange).
   */
  tokenFailures: { remaining: number; mode: TokenFaultMode; status: number; hangMs: number };
  /** Added to every authenticated HubSpot API call. */
  apiLatencyMs: number;
  /** The next N authenticated API calls get a TEN_SECONDLY_ROLLING 429. */
  forced429: number;
  /**
   * The next `remaining` authenticated API calls answer `status` (a 5xx); with `match`, only calls
   * whose `METHOD /path` (no query) contains it, so a test can fail one kind of call.
   */
  apiFailures: { remaining: number; status: number; match: string | null };
  /**
   * The next `remaining` callback completions (single or batch) are refused with a 400
   * VALIDATION_ERROR naming `field`, as HubSpot refuses a request that breaks its contract.
   */
  callbackRefusals: { remaining: number; field: string };
}

/** A partial update of the fault settings. */
export interface FaultPatch {
  tokenFailures?: Partial<FaultSettings['tokenFailures']>;
  apiLatencyMs?: number;
  forced429?: number;
  apiFailures?: Partial<FaultSettings['apiFailures']>;
  callbackRefusals?: Partial<FaultSettings['callbackRefusals']>;
}

/** The fault switchboard of one emulator. */
export interface Faults {
  get(): FaultSettings;
  set(patch: FaultPatch): FaultSettings;
  reset(): void;
  /** Consumes one token fault, if any is pending. */
  takeTokenFault(): { mode: TokenFaultMode; status: number; hangMs: number } | undefined;
  /** Consumes one forced 429, if any is pending. */
  takeForced429(): boolean;
  /** Consumes one forced API failure for this call (`METHOD /path`) and returns its status, if any is pending. */
  takeApiFailure(call: string): number | undefined;
  /** Consumes one callback refusal and returns the field it names, if any is pending. */
  takeCallbackRefusal(): string | undefined;
}

function initialFaults(): FaultSettings {
  return {
    tokenFailures: { remaining: 0, mode: 'error', status: 503, hangMs: 60_000 },
    apiLatencyMs: 0,
    forced429: 0,
    apiFailures: { remaining: 0, status: 500, match: null },
    callbackRefusals: { remaining: 0, field: 'typedOutputs' },
  };
}

/** Creates a fault switchboard with nothing pending. */
export function createFaults(): Faults {
  let current = initialFaults();
  return {
    get: () => current,
    set(patch) {
      current = {
        tokenFailures: { ...current.tokenFailures, ...patch.tokenFailures },
        apiLatencyMs: patch.apiLatencyMs ?? current.apiLatencyMs,
        forced429: patch.forced429 ?? current.forced429,
        apiFailures: { ...current.apiFailures, ...patch.apiFailures },
        callbackRefusals: { ...current.callbackRefusals, ...patch.callbackRefusals },
      };
      return current;
    },
    reset() {
      current = initialFaults();
    },
    takeTokenFault() {
      const f = current.tokenFailures;
      if (f.remaining <= 0) return undefined;
      f.remaining -= 1;
      return { mode: f.mode, status: f.status, hangMs: f.hangMs };
    },
    takeForced429() {
      if (current.forced429 <= 0) return false;
      current.forced429 -= 1;
      return true;
    },
    takeApiFailure(call) {
      const f = current.apiFailures;
      if (f.remaining <= 0 || (f.match !== null && !call.includes(f.match))) return undefined;
      f.remaining -= 1;
      return f.status;
    },
    takeCallbackRefusal() {
      const f = current.callbackRefusals;
      if (f.remaining <= 0) return undefined;
      f.remaining -= 1;
      return f.field;
    },
  };
}

/**
 * Waits `ms` real milliseconds, or until `signal` aborts (the emulator is stopping).
 * @returns true when the full wait elapsed
 */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0 || signal.aborted) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
