// Loads the organization's settings and connection health, and saves changes one field at a time.
import { useCallback } from 'react';
import type { SettingsPatch, SettingsResponse } from '../../cards/utils/contract.js';
import { toSettingsError, useLoad, type LoadState } from './useLoad.js';
import { useSettingsApi } from './useSettingsApi.js';

export { toSettingsError };

/** The settings load: in flight, failed, or loaded. */
export type SettingsState = LoadState<SettingsResponse>;

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
  const { state, reload, show } = useLoad(useCallback(() => api.getSettings(), [api]));
  const save = useCallback(
    async (patch: SettingsPatch) => {
      try {
        show(await api.updateSettings(patch));
      } catch (error) {
        throw toSettingsError(error);
      }
    },
    [api, show],
  );
  return { state, reload, save };
}
