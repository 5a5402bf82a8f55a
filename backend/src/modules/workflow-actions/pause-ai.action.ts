// Pause AI: stops the AI from answering on the conversations linked to the enrolled record.
//
// HubSpot sends (POST /hubspot/actions/pause-ai, v2 signature, v3 too when present):
//   { callbackId, origin: { portalId, … }, context: { workflowId }, object: { objectId, objectType: TICKET | CONTACT,
//     properties }, inputFields: { reason?: text, duration_minutes?: number } }
// We answer 200 with outputFields:
//   SUCCESS       { ai_state: "paused", conversation_id, error_code: "" }
//   FAIL_CONTINUE { error_code: NO_CONVERSATION | INVALID_TRANSITION | INVALID_INPUT | NOT_CONNECTED | MIGRATE_TO_OAUTH
//                   | NEEDS_REAUTH } — each has an execution rule with a readable message in pause-ai-hsmeta.json.
// Retries: HubSpot retries on 5xx and timeouts with the same callbackId; the first answer is stored and
// replayed, so a retry never pauses twice or schedules a second automatic resume. We answer from the
// database alone (no HubSpot call), well inside HubSpot's undocumented (~20 s) timeout.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-9, #S-10
// `duration_minutes` schedules an automatic resume (run by the minutely sweep, so up to a minute late);
// it is skipped when the AI state changed after our pause (someone resumed, paused or handed off in
// between), and none is scheduled when the conversation was already paused before the action ran.
// Docs: https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference
import { z } from 'zod';
import { COMMON_OUTPUT_FIELDS, changeLinkedConversations, defineWorkflowAction } from './workflow-action.js';
import { optionalNumber, optionalText } from './workflow-actions.schemas.js';

/** At most a week: a longer pause is a policy, not a pause, and should be undone explicitly. */
export const MAX_PAUSE_MINUTES = 7 * 24 * 60;

/** Inputs of Pause AI (mirrors pause-ai-hsmeta.json inputFields). */
export const pauseAiInputSchema = z.object({
  // Why the AI is paused; shown in the audit trail and sent to the vendor.
  reason: optionalText(1_000),
  // Resume by itself after this many minutes; unset = stay paused.
  duration_minutes: optionalNumber({ positive: true, max: MAX_PAUSE_MINUTES }),
});
export type PauseAiInput = z.infer<typeof pauseAiInputSchema>;

/** The Pause AI workflow action. */
export const pauseAiAction = defineWorkflowAction({
  name: 'pause-ai',
  inputSchema: pauseAiInputSchema,
  outputFields: COMMON_OUTPUT_FIELDS,
  async handle(input, ctx) {
    const answer = await changeLinkedConversations(ctx, async (conversation) => {
      const outcome = await ctx.tools.pause(conversation, input.reason);
      // Only a pause we made is undone by itself: a conversation someone else had already paused
      // (an agent who took over) stays paused.
      if (outcome.ok && outcome.changed && input.duration_minutes !== undefined) {
        await ctx.tools.scheduleAutoResume(outcome.conversation, outcome.transitionId, new Date(ctx.now + input.duration_minutes * 60_000));
      }
      return outcome;
    });
    return answer;
  },
});
