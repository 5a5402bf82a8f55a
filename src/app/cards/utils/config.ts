// Where the cards send their requests. HubSpot only lets `hubspot.fetch` reach origins listed in
// app-hsmeta.json `permittedUrls.fetch`, which is `${BACKEND_URL}` from the build profile
// (src/hsprofile.<name>.json). UI extensions SDK 0.17 hands the profile's variables to the extension
// as `context.variables`, so the profile stays the one place the origin is set. Older runtimes pass no
// variables; then the production origin below is used, and a test keeps it equal to
// src/hsprofile.production.json. For `hs project dev`, src/app/local.json maps this origin to the
// local backend.

/** The profile variable that feeds `permittedUrls.fetch` and the cards' base URL. */
export const BACKEND_URL_VARIABLE = 'BACKEND_URL';

/** Production's `BACKEND_URL` origin, used when HubSpot passes no profile variables. */
export const DEFAULT_BACKEND_ORIGIN = 'https://switchboard.example.com';

/** Profile variables as HubSpot passes them in the extension context. */
export type ProfileVariables = Readonly<Record<string, string | number | bigint | boolean>>;

/**
 * Picks the backend origin for `hubspot.fetch` calls.
 * @param variables `context.variables` from the extension context, when HubSpot provides them
 * @returns an origin such as `https://switchboard.example.com` (no path, no trailing slash)
 */
export function backendOrigin(variables: ProfileVariables | undefined): string {
  const value = variables?.[BACKEND_URL_VARIABLE];
  if (typeof value !== 'string') return DEFAULT_BACKEND_ORIGIN;
  try {
    const url = new URL(value);
    // Only the origin counts: permittedUrls.fetch and local.json both match on origin.
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : DEFAULT_BACKEND_ORIGIN;
  } catch {
    return DEFAULT_BACKEND_ORIGIN;
  }
}
