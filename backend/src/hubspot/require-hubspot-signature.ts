// HubSpot's signature rules plugged into the generic guard. Routes receive the resulting middleware from
// app.ts, so no route imports hubspot/ and no platform file knows HubSpot.
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { requireSignature } from '../platform/http/require-signature.js';
import { verifyHubSpotRequest, type SignatureFallback } from './signatures.js';

/** What the guard needs from the configuration and infrastructure. */
export interface HubSpotSignatureDeps {
  /** The app's client secret: HubSpot's key for every signature version. */
  clientSecret: string;
  /** config.publicBaseUrl (the origin HubSpot calls). */
  publicBaseUrl: string;
  clock: Clock;
  log: Logger;
}

/**
 * Middleware that accepts only requests HubSpot signed: v3 when its headers are present (5-minute
 * window both ways by the injected clock), otherwise the route's fallback version.
 * - webhooks: fallback `'v1'` only when `config.webhookAllowV1`, else `'none'`;
 * - workflow actions: `'v2'` (HubSpot documents only v2 for them;
 *   Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-5);
 * - card `hubspot.fetch` endpoints: `'none'` (v3 only: the `hs project dev` proxy sends v2 and v3, and
 *   v2 has no timestamp, so a captured v2 request could be replayed forever;
 *   Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-6).
 * @param deps secret, public base URL, clock, logger
 * @param opts.fallback the version accepted when v3 headers are absent
 * @returns the middleware; failures become 401 signature_invalid
 */
export function requireHubSpotSignature(deps: HubSpotSignatureDeps, opts: { fallback: SignatureFallback }) {
  return requireSignature({
    publicBaseUrl: deps.publicBaseUrl,
    log: deps.log,
    verify: (req) => verifyHubSpotRequest(req, { clientSecret: deps.clientSecret, now: deps.clock.now(), fallback: opts.fallback }),
  });
}
