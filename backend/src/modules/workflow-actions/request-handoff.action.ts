// Request handoff: stops the AI and asks a human team to take over the conversations linked to the
// enrolled record. The team comes from a dropdown fed by our optionsUrl
// (POST /hubspot/actions/options/team, from the organization's handoff teams).
//
// HubSpot sends (POST /hubspot/actions/request-handoff, v2 signature, v3 too when present):
//   { callbackId, origin: { portalId, … }, context: { workflowId }, object: { objectId, objectType: TICKET | CONTACT,
//     properties }, inputFields: { note?: text, team?: <team id from the dropdown> } }
// We answer 200 with outputFields:
//   SUCCESS       { ai_state: "handoff_requested", conversation_id, error_code: "" }
//   FAIL_CONTINUE { error_code: NO_CONVERSATION | INVALID_TRANSITION | INVALID_INPUT (e.g. a team that was since
//                   removed) | NOT_CONNECTED | MIGRATE_TO_OAUTH | NEEDS_REAUTH }
// Retries: HubSpot retries on 5xx and timeouts with the same callbackId; the stored first answer is
// replayed. Answered from the database alone.
// Docs: https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference
import { z } from 'zod';
import { COMMON_OUTPUT_FIELDS, changeLinkedConversations, defineWorkflowAction } from './workflow-action.js';
import { optionalText } from './workflow-actions.schemas.js';

/** Inputs of Request handoff (mirrors request-handoff-hsmeta.json inputFields). */
export const requestHandoffInputSchema = z.object({
  // Context for the human agent taking over.
  note: optionalText(2_000),
  // One of the organization's handoff team ids (the dropdown's option value).
  team: optionalText(100),
});
export type RequestHandoffInput = z.infer<typeof requestHandoffInputSchema>;

/** The Request handoff workflow action. */
export const requestHandoffAction = defineWorkflowAction({
  name: 'request-handoff',
  inputSchema: requestHandoffInputSchema,
  outputFields: COMMON_OUTPUT_FIELDS,
  async handle(input, ctx) {
    let team: { id: string; name: string } | undefined;
    if (input.team !== undefined) {
      // The workflow stores the team id chosen when it was built; the team may have been removed since.
      team = await ctx.tools.findHandoffTeam(input.team);
      if (team === undefined) return { state: 'FAIL_CONTINUE', errorCode: 'INVALID_INPUT' };
    }
    return changeLinkedConversations(ctx, (conversation) => ctx.tools.requestHandoff(conversation, { note: input.note, team }));
  },
});
