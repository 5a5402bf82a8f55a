import { z } from 'zod';

// What HubSpot sends is parsed with zod's default key stripping, so a new HubSpot field never
// breaks intake; only the fields we use are listed.

/**
 * Token endpoint answer (`POST /oauth/2026-03/token`). Wire format is snake_case.
 * `hub_id`, `user_id` and `scopes` are present since 2025-08-18 but not marked required by the spec,
 * so they are optional here and filled from introspection when absent.
 */
export const tokenResponseSchema = z.object({
  // Bearer token for API calls.
  access_token: z.string().min(1),
  // Long-lived token for the refresh grant; persist whatever comes back (rotation is undocumented).
  refresh_token: z.string().min(1),
  // Seconds until the access token expires (1800 today; trust the value, not a constant).
  expires_in: z.number().int().positive(),
  // The portal (hub) id the grant belongs to.
  hub_id: z.number().int().positive().optional(),
  // The HubSpot user who approved.
  user_id: z.number().int().optional(),
  // Granted scopes.
  scopes: z.array(z.string()).optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Introspection answer (`POST /oauth/2026-03/token/introspect`). */
export const introspectionSchema = z.object({
  // RFC 7662: false for unknown, expired or revoked tokens.
  active: z.boolean(),
  hub_id: z.number().int().positive().optional(),
  // e.g. "acme.hubspot.com" (the portal's domain).
  hub_domain: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  // Email of the user who approved.
  user: z.string().optional(),
  user_id: z.number().int().optional(),
});
export type Introspection = z.infer<typeof introspectionSchema>;

/**
 * HubSpot error bodies in all three forms we have seen: RFC 6749 `error`, the
 * older `status`/`message`, and the 2026-03 `category`/`correlationId`.
 */
export const hubspotErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  correlationId: z.string().optional(),
});
export type HubSpotErrorBody = z.infer<typeof hubspotErrorSchema>;

/** `GET /account-info/2026-03/details` (the fields we use). */
export const accountDetailsSchema = z.object({
  // The portal (hub) id.
  portalId: z.number().int().positive(),
  // The portal's UI domain, e.g. "app.hubspot.com" or "app-eu1.hubspot.com".
  uiDomain: z.string().optional(),
  // Data-centre location, e.g. "na1".
  dataHostingLocation: z.string().optional(),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;
