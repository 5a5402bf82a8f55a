// Loads one backend answer for the settings page: in flight, failed or loaded, with Retry. An answer
// that arrives after a newer load started (or after unmount) is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { SettingsApiError } from '../utils/api.js';

/** A load: in flight, failed, or loaded. */
export type LoadState<T> = { status: 'loading' } | { status: 'error'; error: SettingsApiError } | { status: 'ready'; data: T };

/** What {@link useLoad} returns. */
export interface UseLoadResult<T> {
  state: LoadState<T>;
  /** Loads again. */
  reload: () => void;
  /** Shows an answer the backend gave to a change (no new load). */
  show: (data: T) => void;
}

/**
 * Runs `load` on mount, whenever `load` changes, and on `reload`.
 * @param load the backend call; keep it stable (useCallback) or every render loads again
 * @returns the load state, `reload` and `show`
 */
export function useLoad<T>(load: () => Promise<T>): UseLoadResult<T> {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    load().then(
      (data) => {
        if (request === latest.current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (request === latest.current) setState({ status: 'error', error: toSettingsError(error) });
      },
    );
    return () => {
      latest.current += 1;
    };
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const show = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, reload, show };
}

/**
 * Turns anything thrown into a SettingsApiError.
 * @param error what was thrown
 * @returns the error, or an `unexpected` one
 */
export function toSettingsError(error: unknown): SettingsApiError {
  return error instanceof SettingsApiError ? error : new SettingsApiError('unexpected', 'Something went wrong. Try again.', null);
}
