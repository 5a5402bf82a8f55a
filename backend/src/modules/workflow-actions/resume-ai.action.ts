// Resume AI: lets the AI answer again on the conversations linked to the enrolled record (from
// `paused`, and from `handoff_requested`: an explicit resume is the only way out of a handoff).
//
// HubSpot sends (POST /hubspot/actions/resume-ai, v2 signature, v3 too when present):
//   { callbackId, origin: { portalId, … }, context: { workflowId }, object: { objectId, objectType: TICKET | CONTACT,
//     properties }, inputFields: { note?: text } }
// We answer 200 with outputFields:
//   SUCCESS       { ai_state: "active", conversation_id, error_code: "" }
//   FAIL_CONTINUE { error_code: NO_CONVERSATION | INVALID_TRANSITION | INVALID_INPUT | NOT_CONNECTED | MIGRATE_TO_OAUTH
//                   | NEEDS_REAUTH } — each with an execution rule message in resume-ai-hsmeta.json.
// Retries: HubSpot retries on 5xx and timeouts with the same callbackId; the stored first answer is
// replayed. Answered from the database alone.
// Docs: https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference
import { z } from 'zod';
import { COMMON_OUTPUT_FIELDS, changeLinkedConversations, defineWorkflowAction } from './workflow-action.js';
import { optionalText } from './workflow-actions.schemas.js';

/** Inputs of Resume AI (mirrors resume-ai-hsmeta.json inputFields: nothing required). */
export const resumeAiInputSchema = z.object({
  // Why the AI may answer again; goes into the audit trail.
  note: optionalText(1_000),
});
export type ResumeAiInput = z.infer<typeof resumeAiInputSchema>;

/** The Resume AI workflow action. */
export const resumeAiAction = defineWorkflowAction({
  name: 'resume-ai',
  inputSchema: resumeAiInputSchema,
  outputFields: COMMON_OUTPUT_FIELDS,
  async handle(input, ctx) {
    return changeLinkedConversations(ctx, (conversation) => ctx.tools.resume(conversation, input.note));
  },
});
