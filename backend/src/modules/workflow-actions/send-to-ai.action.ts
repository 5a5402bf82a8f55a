// Send to AI: hands the enrolled record to the AI with instructions, and keeps the workflow waiting
// until the AI reports a result.
//
// HubSpot sends (POST /hubspot/actions/send-to-ai, v2 signature, v3 too when present):
//   { callbackId, origin: { portalId, … }, context: { workflowId }, object: { objectId, objectType: TICKET | CONTACT,
//     properties: { subject, email, … as in objectRequestOptions } }, inputFields: { instructions: text,
//     priority?: low | normal | high } }
// We reuse the record's newest linked conversation or create one, emit `record.sent_to_ai` (instructions,
// priority, record properties, callbackId) to the vendor, store the callback as pending, and answer 200:
//   BLOCK         { hs_expiration_duration: "P1D", ai_state, conversation_id } — HubSpot waits;
//   FAIL_CONTINUE { error_code: INVALID_INPUT | NOT_CONNECTED | MIGRATE_TO_OAUTH | NEEDS_REAUTH }.
// Completion: the vendor reports with POST /api/v1/conversations/:id/ai-result; a job completes the
// callback at /automation/actions/callbacks/2026-03/complete with SUCCESS { ai_result, … } or
// FAIL_CONTINUE { error_code: AI_FAILED }. Unanswered callbacks are completed FAIL_CONTINUE
// { error_code: AI_TIMEOUT } shortly before they expire, exactly once (workflow-actions.jobs.ts).
// Retries: HubSpot retries the execution on 5xx and timeouts with the same callbackId; the stored first
// answer (BLOCK) is replayed, so the vendor gets one `record.sent_to_ai` per execution.
// Docs: https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference ,
// https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/callbacks/batch-complete-callbacks
import { z } from 'zod';
import { COMMON_OUTPUT_FIELDS, defineWorkflowAction } from './workflow-action.js';
import { optionalEnum, requiredText } from './workflow-actions.schemas.js';

/** Priority values of the manifest's static options. */
export const PRIORITIES = ['low', 'normal', 'high'] as const;

/** Inputs of Send to AI (mirrors send-to-ai-hsmeta.json inputFields). */
export const sendToAiInputSchema = z.object({
  // What the AI should do with the record (required).
  instructions: requiredText(5_000),
  // How urgently; `normal` when unset.
  priority: optionalEnum(PRIORITIES),
});
export type SendToAiInput = z.infer<typeof sendToAiInputSchema>;

/** The Send to AI workflow action. */
export const sendToAiAction = defineWorkflowAction({
  name: 'send-to-ai',
  inputSchema: sendToAiInputSchema,
  outputFields: [...COMMON_OUTPUT_FIELDS, 'ai_result'],
  async handle(input, ctx) {
    const conversation = await ctx.tools.ensureConversation();
    const { expirationDuration } = await ctx.tools.sendToAi(conversation, { instructions: input.instructions, priority: input.priority ?? 'normal' });
    return { state: 'BLOCK', expirationDuration, aiState: conversation.aiState, conversationId: conversation.id };
  },
});
