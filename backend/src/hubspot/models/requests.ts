import { z } from 'zod';

// Request bodies of the date-versioned endpoints we call that are newer than @hubspot/api-client
// 13.5 (its models know neither `typedOutputs` nor the 2026-03 paths), written from HubSpot's API
// reference. The adapter builds every such body through these models, so a body that breaks the
// reference fails here, before anything is sent.

/** `AssociationSpec` (https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/guide). */
export const associationSpecModel = z.strictObject({
  // Required; HubSpot's own association types are HUBSPOT_DEFINED.
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK']),
  // Required; e.g. 228 note → ticket, 202 note → contact.
  associationTypeId: z.number().int(),
});

/**
 * `SimplePublicObjectInputForCreate` of `POST /crm/objects/2026-03/notes`
 * (https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/guide): both
 * `properties` (string values) and `associations` are required.
 */
export const objectCreateModel = z.strictObject({
  properties: z.record(z.string(), z.string()),
  associations: z.array(z.strictObject({ to: z.strictObject({ id: z.string().min(1) }), types: z.array(associationSpecModel).min(1) })),
});
export type ObjectCreate = z.infer<typeof objectCreateModel>;

/**
 * `CallbackCompletionRequest` of `POST /automation/actions/callbacks/2026-03/{callbackId}/complete`
 * (https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/complete-callback):
 * `outputFields` (string values) and `typedOutputs` (an object) are both required.
 */
export const callbackCompletionModel = z.strictObject({
  outputFields: z.record(z.string(), z.string()),
  typedOutputs: z.record(z.string(), z.unknown()),
});
export type CallbackCompletion = z.infer<typeof callbackCompletionModel>;

/**
 * `BatchInputCallbackCompletionBatchRequest` of `POST /automation/actions/callbacks/2026-03/complete`
 * (https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/batch-complete-callbacks).
 */
export const batchCallbackCompletionModel = z.strictObject({
  inputs: z.array(callbackCompletionModel.extend({ callbackId: z.string().min(1) })).min(1).max(100),
});
export type BatchCallbackCompletion = z.infer<typeof batchCallbackCompletionModel>;
