// The cards' backend client, built from the fetcher in React context. HubSpot renders the cards with
// the default (`hubspot.fetch`); tests wrap the card in <FetcherContext.Provider value={fake}>.
import { createContext, useContext, useMemo } from 'react';
import { useExtensionContext } from '@hubspot/ui-extensions';
import { createCardsApi, hubspotFetcher } from '../utils/api.js';
import type { CardsApi, Fetcher } from '../utils/api.js';
import { backendOrigin } from '../utils/config.js';

/** The fetcher the cards use; `hubspot.fetch` unless a test provides another. */
export const FetcherContext = createContext<Fetcher>(hubspotFetcher);

/**
 * The backend client for the current card, aimed at the profile's `BACKEND_URL`, sending the portal
 * and user from the extension context with every request.
 * @returns a client whose identity is stable across renders
 */
export function useCardsApi(): CardsApi {
  const fetcher = useContext(FetcherContext);
  const context = useExtensionContext();
  const origin = backendOrigin(context.variables);
  const portalId = context.portal.id;
  const userId = context.user.id;
  const userEmail = context.user.email;
  return useMemo(() => createCardsApi(fetcher, origin, { portalId, userId, userEmail }), [fetcher, origin, portalId, userId, userEmail]);
}
