import { z } from 'zod';
import { text } from '../../platform/http/text.js';

// What HubSpot sends is parsed with zod's default key stripping (a new HubSpot field must not break
// intake); what we own (the vendor API) is .strict(). Formats:
// https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference.

/** A HubSpot id: a JSON number, or a digit string (object ids arrive both ways in the wild). */
const hubspotIdSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/).transform(Number)]);

/** The execution request HubSpot POSTs to an `actionUrl`. */
export const executionRequestSchema = z.object({
  // Idempotency key: a retried execution carries the same id; also the id we complete a BLOCK with.
  callbackId: text().min(1).max(200),
  // Which portal (tenant) and action definition sent it.
  origin: z.object({ portalId: hubspotIdSchema }),
  // `source` is usually WORKFLOWS; `workflowId` goes into the audit trail.
  context: z.object({ source: text().optional(), workflowId: hubspotIdSchema.optional() }).optional(),
  // The enrolled record; `properties` holds only what objectRequestOptions asked for.
  object: z.object({
    objectId: hubspotIdSchema,
    objectType: text().min(1).transform((t) => t.toUpperCase()),
    properties: z.record(text(), text().nullable()).optional(),
  }),
  // Resolved input values keyed by typeDefinition.name; each action parses its own.
  inputFields: z.record(text(), z.unknown()).optional(),
});
export type ExecutionRequest = z.infer<typeof executionRequestSchema>;

/** The request HubSpot POSTs to an input field's `optionsUrl`. */
export const optionsRequestSchema = z.object({
  // Which portal opened the dropdown.
  origin: z.object({ portalId: hubspotIdSchema }),
  // The field whose options are wanted (also in our path).
  inputFieldName: text().nullish(),
  // Search text (`q`) and the cursor we returned as `after`; null means absent.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-19
  fetchOptions: z
    .object({ q: text().max(200).nullish().transform((v) => v ?? undefined), after: text().max(100).nullish().transform((v) => v ?? undefined) })
    .nullish()
    .transform((v) => v ?? undefined),
});
export type OptionsRequest = z.infer<typeof optionsRequestSchema>;

/** `hs_execution_state` values we answer (ASYNC is never used: BLOCK is the documented one). */
export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE' | 'BLOCK';

/**
 * Values of the `error_code` output field. Each has an execution rule with a human message in the
 * action's manifest (`executionRules`, conditions `{ "error_code": "<code>" }`); only Send to AI
 * completes with AI_FAILED / AI_TIMEOUT. HubSpot matches rule conditions against the answer's output
 * fields; that the project format keeps the legacy conditions shape is unconfirmed.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-36
 */
export type ActionErrorCode =
  | 'NOT_CONNECTED'
  | 'MIGRATE_TO_OAUTH'
  | 'NEEDS_REAUTH'
  | 'NO_CONVERSATION'
  | 'INVALID_TRANSITION'
  | 'INVALID_INPUT'
  | 'AI_FAILED'
  | 'AI_TIMEOUT';

/** `outputFields` as answered to HubSpot: every value a string (the completion schema is `{ [name]: string }`). */
export type OutputFields = Record<string, string> & { hs_execution_state: ExecutionState };

/** Output field names a vendor may set when reporting a Send to AI result. */
export const VENDOR_OUTPUT_FIELDS = ['ai_result'] as const;

/** Body of `POST /api/v1/conversations/:id/ai-result`. */
export const aiResultBodySchema = z
  .object({
    // Whether the AI did what the workflow asked.
    success: z.boolean(),
    // Output values for the workflow (only `ai_result` today; later steps can use it).
    outputs: z
      .record(text(), text().max(10_000))
      .optional()
      .superRefine((outputs, ctx) => {
        for (const key of Object.keys(outputs ?? {})) {
          if (!(VENDOR_OUTPUT_FIELDS as readonly string[]).includes(key)) {
            ctx.addIssue({ code: 'custom', path: [key], message: `Unknown output field; allowed: ${VENDOR_OUTPUT_FIELDS.join(', ')}` });
          }
        }
      }),
    // Why it failed, shown in the workflow history (success: false).
    error: text().min(1).max(2_000).optional(),
  })
  .strict();
export type AiResultBody = z.infer<typeof aiResultBodySchema>;

/** Path parameters of the vendor result route. */
export const conversationParamsSchema = z.object({ id: text().min(1).max(100) }).strict();

/** One handoff team as the vendor configures it. */
export const handoffTeamSchema = z
  .object({
    // Stable value stored in HubSpot workflows; renaming a team keeps workflows working.
    id: text().trim().min(1).max(100),
    // Label shown in the workflow editor's dropdown.
    name: text().trim().min(1).max(200),
  })
  .strict();
export type HandoffTeamInput = z.infer<typeof handoffTeamSchema>;

/** Body of `PUT /api/v1/handoff-teams`: the full list, in display order (replaces the previous one). */
export const putHandoffTeamsBodySchema = z
  .object({
    teams: z
      .array(handoffTeamSchema)
      .max(500)
      .superRefine((teams, ctx) => {
        const seen = new Set<string>();
        teams.forEach((team, i) => {
          if (seen.has(team.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Duplicate team id "${team.id}"` });
          seen.add(team.id);
        });
      }),
  })
  .strict();
export type PutHandoffTeamsBody = z.infer<typeof putHandoffTeamsBodySchema>;

/** Path parameters of the options route. */
export const optionsParamsSchema = z.object({ field: z.string().min(1) });

// ---- Input-field helpers: HubSpot sends "" or null for an unset optional field, and numbers either as
// JSON numbers or as text (OBJECT_PROPERTY values are property strings). ----

const blankToUndefined = (value: unknown): unknown => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value);

/**
 * A required text input: trimmed, non-empty, at most `max` characters.
 * @param max longest accepted text
 */
export function requiredText(max: number) {
  return z.preprocess((v) => (typeof v === 'number' ? String(v) : v), text().trim().min(1).max(max));
}

/**
 * An optional text input ("" and null mean unset).
 * @param max longest accepted text
 */
export function optionalText(max: number) {
  return z.preprocess((v) => blankToUndefined(typeof v === 'number' ? String(v) : v), text().trim().min(1).max(max).optional());
}

/**
 * An optional number input ("" and null mean unset; numeric text is accepted).
 * @param bounds accepted range (inclusive max, exclusive min of 0 when `positive`)
 */
export function optionalNumber(bounds: { positive: boolean; max: number }) {
  const base = z.number({ error: 'Expected a number' }).finite().max(bounds.max);
  return z.preprocess(
    (v) => {
      const value = blankToUndefined(v);
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    },
    (bounds.positive ? base.positive() : base).optional(),
  );
}

/**
 * An optional enumeration input limited to `values` ("" and null mean unset).
 * @param values the manifest's option values
 */
export function optionalEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(blankToUndefined, z.enum(values).optional());
}
