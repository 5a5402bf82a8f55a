import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** Body of `POST /api/v1/install-links` (may be empty). */
export const createInstallLinkBodySchema = z
  .object({
    // Lifetime of the link in hours, 1 to 720 (30 days); default 168 (7 days).
    expiresInHours: z.number().int().min(1).max(720).optional(),
  })
  .strict();
export type CreateInstallLinkBody = z.infer<typeof createInstallLinkBodySchema>;

/** Query of `GET /oauth/install`. */
export const installQuerySchema = z
  .object({
    // The install-link token from `/connect/<token>`.
    link: text().min(1).max(200),
  })
  .strict();
export type InstallQuery = z.infer<typeof installQuerySchema>;

/**
 * Query HubSpot sends to `GET /oauth/callback`: `code` and, when we sent one, `state`; on a denial
 * an `error` (parameters unconfirmed, so all optional and unknown keys ignored).
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-14, #S-15
 */
export const callbackQuerySchema = z.object({
  // Single-use authorization code.
  code: text().min(1).max(500).optional(),
  // Our state, echoed back; absent for installs HubSpot started (marketplace).
  state: text().min(1).max(200).optional(),
  // Denial or failure reported by HubSpot.
  error: text().max(200).optional(),
  error_description: text().max(1000).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuerySchema>;
