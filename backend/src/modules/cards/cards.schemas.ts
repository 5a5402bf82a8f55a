// What HubSpot's `hubspot.fetch` sends to `/hubspot/ui/*` and the bodies the cards and the settings
// page post, in zod. The request types of the card contract (src/app/cards/utils/contract.ts:
// `TransitionRequest`, `SettingsPatch`, `HandoffTeam`, `TransitionAction`, `RecordObjectType`,
// `HelpdeskConnectRequest`) are the source; test/contract/card-wire-contract.int.test.ts fails when
// these schemas accept other fields or values than those types declare.
import { z } from 'zod';
import { text } from '../../platform/http/text.js';
import { connectInboxSchema } from '../helpdesk/helpdesk.schemas.js';

const hubspotIdText = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a HubSpot id')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), 'must be a HubSpot id');

/**
 * A query parameter that may arrive twice: the card sends it, and HubSpot may append the same name
 * (Express then parses an array). Copies with one value count as that value; copies that disagree
 * are refused rather than picking one, since nothing says which copy HubSpot vouches for.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-2
 */
function oneValue<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (!Array.isArray(value)) return value;
    if (value.length > 0 && value.every((copy) => copy === value[0])) return value[0] as unknown;
    ctx.addIssue({ code: 'custom', message: 'was sent more than once with different values' });
    return z.NEVER;
  }, schema);
}

/**
 * Who is looking at the card: query parameters of the signed URL. The cards add them from their
 * extension context to every `hubspot.fetch` (src/app/cards/utils/api.ts `withIdentity`); HubSpot's
 * `hs project dev` proxy adds none, and whether production HubSpot appends them too is
 * docs/HUBSPOT-ASSUMPTIONS.md#S-1. They are trusted only after the v3 signature over the full URL
 * passed (SECURITY.md, "Card identity"). HubSpot may add parameters we do not know, so unknown keys
 * are stripped, not refused.
 */
export const identityQuerySchema = z.object({
  // The portal the card is shown in: decides the organization and every row the answer may contain.
  portalId: oneValue(hubspotIdText),
  // The HubSpot user looking at the card (audit trail fallback when no email is given).
  userId: oneValue(hubspotIdText.optional()),
  // The same user's email: the actor of the transitions the card causes.
  userEmail: oneValue(z.string().trim().min(3).max(320).optional()),
  // Our app id; checked against config when both are known.
  appId: oneValue(hubspotIdText.optional()),
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

/**
 * Body of `POST /hubspot/ui/helpdesk/connect`: the inbox the settings page's picker chose (the vendor
 * API's connect body without the account name, which stays the product's).
 */
export const helpdeskConnectSchema = connectInboxSchema.pick({ inboxId: true }).strict();
export type HelpdeskConnectBody = z.infer<typeof helpdeskConnectSchema>;
