import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** Body of `PUT /api/v1/connection/private-app-token`. */
export const privateAppTokenBodySchema = z
  .object({
    // The Private App access token (HubSpot's look like `pat-na1-…`); checked against HubSpot before it is stored.
    token: text().trim().min(10).max(500),
    // Confirms switching the organization to the token's portal when it differs from the connected one.
    confirmPortalChange: z.boolean().optional(),
    // Confirms replacing a working OAuth connection with this token (roll back; not for OAuth-only organizations).
    confirmRollback: z.boolean().optional(),
  })
  .strict();
export type PrivateAppTokenBody = z.infer<typeof privateAppTokenBodySchema>;

/** Query of `DELETE /api/v1/connection`. */
export const disconnectQuerySchema = z
  .object({
    // Also remove the app from the HubSpot portal (App Uninstallation API); default false.
    uninstall: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type DisconnectQuery = z.infer<typeof disconnectQuerySchema>;
