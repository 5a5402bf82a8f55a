import { z } from 'zod';
import { text } from '../../platform/http/text.js';
import { CSRF_FIELD } from './csrf.js';

/** Path of every `/connect/:token` route. */
export const connectParamsSchema = z.object({
  // The install-link token.
  token: z.string().min(1).max(200),
});

const NOTICES = ['disconnected', 'settings_saved', 'private_app_saved', 'rolled_back', 'portal_kept', 'helpdesk_connected'] as const;

/** Query of `GET /connect/:token`. Other parameters (tracking tags added by mail clients) are ignored, not refused. */
export const connectQuerySchema = z.object({
  // Set by the OAuth callback after a successful connection: show the "HubSpot connected" toast.
  connected: z.string().optional(),
  // Set by the page's own forms after they succeeded; an unknown value shows nothing.
  done: z.enum(NOTICES).optional().catch(undefined),
});

// Every form carries the CSRF token; the guard checks it before the body is parsed with these.
const csrf = { [CSRF_FIELD]: z.string().max(100) };

/** Form body of the confirm and cancel buttons. */
export const pendingFormSchema = z
  .object({
    ...csrf,
    // Id of the grant awaiting confirmation.
    pending: z.string().uuid(),
  })
  .strict();

/** Form body of Disconnect. */
export const disconnectFormSchema = z
  .object({
    ...csrf,
    // Also remove the app from the portal (checkbox: present when ticked).
    uninstall: z.literal('on').optional(),
  })
  .strict();

/** Form body of the legacy Private App token form. */
export const privateAppFormSchema = z
  .object({
    ...csrf,
    // The Private App access token, checked against HubSpot before it is stored.
    token: text().trim().min(10, 'Paste the whole access token').max(500),
    // Replacing an OAuth connection (a rollback) must be asked for explicitly.
    confirmRollback: z.literal('1').optional(),
    // Switching to the token's portal must be asked for explicitly.
    confirmPortalChange: z.literal('on').optional(),
  })
  .strict();

/** Form body of the organization settings. */
export const settingsFormSchema = z
  .object({
    ...csrf,
    // Checkbox: present when ticked.
    pauseOnOwnerChange: z.literal('on').optional(),
  })
  .strict();

/** Form body of the help-desk inbox picker. */
export const helpdeskFormSchema = z
  .object({
    ...csrf,
    // HubSpot's inbox id, as the picker lists it.
    inboxId: z.string().regex(/^\d{1,20}$/, 'Pick an inbox from the list'),
  })
  .strict();
