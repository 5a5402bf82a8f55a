// The settings page's backend client, built from the fetcher in React context. HubSpot renders the
// page with the default (`hubspot.fetch`); tests provide a fake through SettingsFetcherContext.
import { createContext, useContext, useMemo } from 'react';
import { useExtensionContext } from '@hubspot/ui-extensions';
import { backendOrigin, createSettingsApi, hubspotFetcher } from '../utils/api.js';
import type { Fetcher, SettingsApi } from '../utils/api.js';

/** The fetcher the settings page uses; `hubspot.fetch` unless a test provides another. */
export const SettingsFetcherContext = createContext<Fetcher>(hubspotFetcher);

/**
 * The backend client for the settings page, aimed at the profile's `BACKEND_URL`, sending the portal
 * and user from the extension context with every request.
 * @returns a client whose identity is stable across renders
 */
export function useSettingsApi(): SettingsApi {
  const fetcher = useContext(SettingsFetcherContext);
  const context = useExtensionContext<'settings'>();
  const origin = backendOrigin(context.variables);
  const portalId = context.portal.id;
  const userId = context.user.id;
  const userEmail = context.user.email;
  return useMemo(() => createSettingsApi(fetcher, origin, { portalId, userId, userEmail }), [fetcher, origin, portalId, userId, userEmail]);
}
