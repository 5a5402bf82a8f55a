import { z } from 'zod';
import { text } from '../../platform/http/text.js';

/** Body of `POST /api/v1/organizations`. */
export const createOrganizationBodySchema = z
  .object({
    // Display name shown on the connection page.
    name: text().trim().min(1).max(200),
    // When true the legacy Private App path is closed for this organization (OAuth only).
    oauthOnly: z.boolean().optional(),
  })
  .strict();
export type CreateOrganizationBody = z.infer<typeof createOrganizationBodySchema>;
