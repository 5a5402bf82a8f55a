import { z } from 'zod';

/** Path of every `/connect/:token` route. */
export const connectParamsSchema = z.object({
  // The install-link token.
  token: z.string().min(1).max(200),
});

/** Query of `GET /connect/:token`. */
export const connectQuerySchema = z.object({
  // Set by the OAuth callback after a successful connection: show the "HubSpot connected" notice.
  // Other parameters (tracking tags added by mail clients) are ignored, not refused.
  connected: z.string().optional(),
});

/** Form body of the confirm and cancel buttons. */
export const pendingFormSchema = z
  .object({
    // Id of the grant awaiting confirmation.
    pending: z.string().uuid(),
  })
  .strict();
