import { z } from 'zod';

/** `PATCH /api/v1/settings` body: any subset of the settings. */
export const patchSettingsSchema = z
  .object({
    // Pause the AI when a human takes a linked ticket (owner set) or thread (assigned) in HubSpot.
    pauseOnOwnerChange: z.boolean().optional(),
  })
  .strict();
export type PatchSettings = z.infer<typeof patchSettingsSchema>;
