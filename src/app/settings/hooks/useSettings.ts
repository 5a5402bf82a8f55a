// Loads the organization's settings and connection health, and saves changes one field at a time.
import { useCallback, useEffect, useRef, useState } from 'react';
import { SettingsApiError } from '../utils/api.js';
import type { SettingsPatch, SettingsResponse } from '../../cards/utils/contract.js';
import { useSettingsApi } from './useSettingsApi.js';

/** The settings load: in flight, failed, or loaded. */
export type SettingsState =
  | { status: 'loading' }
  | { status: 'error'; error: SettingsApiError }
  | { status: 'ready'; data: SettingsResponse };

/** What {@link useSettings} returns. */
export interface UseSettingsResult {
  state: SettingsState;
  reload: () => void;
  /**
   * Saves a change; on success the page shows what the backend answered.
   * @throws SettingsApiError, for the caller to show next to its control
   */
  save: (patch: SettingsPatch) => Promise<void>;
}

/**
 * Loads `GET /hubspot/ui/settings` and saves through `PATCH /hubspot/ui/settings`.
 * @returns the load state, `reload` and `save`
 */
export function useSettings(): UseSettingsResult {
  const api = useSettingsApi();
  const [state, setState] = useState<SettingsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    api.getSettings().then(
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
  }, [api, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const save = useCallback(
    async (patch: SettingsPatch) => {
      try {
        const data = await api.updateSettings(patch);
        setState({ status: 'ready', data });
      } catch (error) {
        throw toSettingsError(error);
      }
    },
    [api],
  );

  return { state, reload, save };
}

/**
 * Turns anything thrown into a SettingsApiError.
 * @param error what was thrown
 * @returns the error, or an `unexpected` one
 */
export function toSettingsError(error: unknown): SettingsApiError {
  return error instanceof SettingsApiError ? error : new SettingsApiError('unexpected', 'Something went wrong. Try again.', null);
}
