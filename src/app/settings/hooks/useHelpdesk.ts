// Loads the help-desk section (`GET /hubspot/ui/helpdesk`) and connects the channel to an inbox
// (`POST /hubspot/ui/helpdesk/connect`); a successful connect shows the backend's new state.
import { useCallback } from 'react';
import type { HelpdeskResponse } from '../../cards/utils/contract.js';
import { toSettingsError, useLoad, type LoadState } from './useLoad.js';
import { useSettingsApi } from './useSettingsApi.js';

/** What {@link useHelpdesk} returns. */
export interface UseHelpdeskResult {
  state: LoadState<HelpdeskResponse>;
  reload: () => void;
  /**
   * Connects the channel to the inbox.
   * @returns the backend's new state, also shown by the section
   * @throws SettingsApiError, for the picker to show
   */
  connect: (inboxId: string) => Promise<HelpdeskResponse>;
}

/**
 * The help-desk section's data.
 * @returns the load state, `reload` and `connect`
 */
export function useHelpdesk(): UseHelpdeskResult {
  const api = useSettingsApi();
  const { state, reload, show } = useLoad(useCallback(() => api.getHelpdesk(), [api]));
  const connect = useCallback(
    async (inboxId: string) => {
      try {
        const data = await api.connectHelpdesk({ inboxId });
        show(data);
        return data;
      } catch (error) {
        throw toSettingsError(error);
      }
    },
    [api, show],
  );
  return { state, reload, connect };
}
