// zod mirror of the card contract (src/app/cards/utils/contract.ts): what HubSpot's `hubspot.fetch`
// sends to `/hubspot/ui/*` and the bodies the cards and the settings page post.
import { z } from 'zod';
import { text } from '../../platform/http/text.js';

const hubspotIdText = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a HubSpot id')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), 'must be a HubSpot id');

/**
 * The identity query parameters HubSpot appends to every `hubspot.fetch` URL (reference §7.1).
 * Trusted only after the signature over the full URL passed. HubSpot may add parameters we do not
 * know, so unknown keys are stripped, not refused.
 */
export const identityQuerySchema = z.object({
  // The portal the card is shown in: decides the organization and every row the answer may contain.
  portalId: hubspotIdText,
  // The HubSpot user looking at the card (audit trail fallback when no email is given).
  userId: hubspotIdText.optional(),
  // The same user's email: the actor of the transitions the card causes.
  userEmail: z.string().trim().min(3).max(320).optional(),
  // Our app id; checked against config when both are known.
  appId: hubspotIdText.optional(),
});
export type Identity = z.infer<typeof identityQuerySchema>;

/** `GET /hubspot/ui/records/:objectType/:objectId`. */
export const recordParamsSchema = z
  .object({
    // The card's `objectTypes` (hsmeta) under their URL names.
    objectType: z.enum(['tickets', 'contacts']),
    // The HubSpot record id from the card's context.
    objectId: hubspotIdText,
  })
  .strict();
export type RecordParams = z.infer<typeof recordParamsSchema>;

/** Actions of `POST /hubspot/ui/conversations/:id/:action`. */
export const CARD_ACTIONS = ['pause', 'resume', 'handoff'] as const;

/** `POST /hubspot/ui/conversations/:id/:action`. */
export const transitionParamsSchema = z
  .object({
    // Our conversation id, as the record answer gave it.
    id: z.string().uuid('must be a conversation id'),
    action: z.enum(CARD_ACTIONS),
  })
  .strict();
export type TransitionParams = z.infer<typeof transitionParamsSchema>;

/** Body of a card transition (the cards send `{}` today). */
export const transitionBodySchema = z
  .object({
    // Why, for the audit trail and the HubSpot note.
    reason: text().trim().min(1).max(1000).optional(),
    // A free note kept with the transition's details.
    note: text().trim().min(1).max(2000).optional(),
  })
  .strict();
export type TransitionBody = z.infer<typeof transitionBodySchema>;

const handoffTeamSchema = z
  .object({
    // HubSpot team id (stored in workflows; must stay stable).
    id: text().trim().min(1).max(100),
    // Label shown in the workflow editor.
    name: text().trim().min(1).max(200),
  })
  .strict();

/** Body of `PATCH /hubspot/ui/settings`: only the fields to change. */
export const settingsPatchSchema = z
  .object({
    // Pause the AI when a human takes a linked ticket or thread.
    pauseOnOwnerChange: z.boolean().optional(),
    // The full list of handoff teams, in display order (replaces the previous list).
    handoffTeams: z
      .array(handoffTeamSchema)
      .max(500)
      .superRefine((teams, ctx) => {
        const seen = new Set<string>();
        teams.forEach((team, i) => {
          if (seen.has(team.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Duplicate team id "${team.id}"` });
          seen.add(team.id);
        });
      })
      .optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
