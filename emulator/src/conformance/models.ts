// Request bodies HubSpot's published API reference defines for the endpoints the emulator serves,
// written from the reference (never from the backend's code), as zod models. Objects are strict: a
// field the reference does not define is a conformance violation. The routes use the same models to
// refuse what HubSpot refuses (`refusable` below). Reference pages:
// https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/complete-callback
// https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/batch-complete-callbacks
// https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/guide (and the tickets / contacts pages)
// https://developers.hubspot.com/docs/api-reference/2026-03/crm/associations/associations-v4/guide
// https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide
import { z } from 'zod';

/** `AssociationSpec`: category and type id, both required. */
export const associationSpec = z.strictObject({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK']),
  associationTypeId: z.number().int(),
});

/** Property values are strings in every object input model. */
const propertyValues = z.record(z.string(), z.string());

/**
 * `SimplePublicObjectInputForCreate`. The reference marks `associations` required, while its guides
 * call it optional ("you can also add an associations object"), so it is optional here.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-20
 */
export const objectCreate = z.strictObject({
  properties: propertyValues,
  associations: z.optional(z.array(z.strictObject({ to: z.strictObject({ id: z.string() }), types: z.array(associationSpec) }))),
  objectWriteTraceId: z.string().optional(),
});

/** `SimplePublicObjectInput` (PATCH of one record). */
export const objectUpdate = z.strictObject({ properties: propertyValues, objectWriteTraceId: z.string().optional() });

/** `BatchReadInputSimplePublicObjectId`. */
export const batchRead = z.strictObject({
  inputs: z.array(z.strictObject({ id: z.string() })),
  properties: z.array(z.string()),
  propertiesWithHistory: z.array(z.string()),
  idProperty: z.string().optional(),
});

/** `BatchInputSimplePublicObjectBatchInput`. */
export const batchUpdate = z.strictObject({
  inputs: z.array(z.strictObject({ id: z.string(), properties: propertyValues, idProperty: z.string().optional(), objectWriteTraceId: z.string().optional() })),
});

const filter = z.strictObject({
  propertyName: z.string(),
  operator: z.enum(['BETWEEN', 'CONTAINS_TOKEN', 'EQ', 'GT', 'GTE', 'HAS_PROPERTY', 'IN', 'LT', 'LTE', 'NEQ', 'NOT_CONTAINS_TOKEN', 'NOT_HAS_PROPERTY', 'NOT_IN']),
  value: z.string().optional(),
  highValue: z.string().optional(),
  values: z.array(z.string()).optional(),
});

/**
 * `PublicObjectSearchRequest`. The reference lists every field as required; its own examples and
 * HubSpot's SDK send partial bodies, so only the field types are checked here.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-20
 */
export const searchRequest = z.strictObject({
  filterGroups: z.array(z.strictObject({ filters: z.array(filter) })).optional(),
  sorts: z.array(z.unknown()).optional(),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().optional(),
  after: z.union([z.string(), z.number()]).optional(),
});

/** Request contexts of a callback completion (the reference's `oneOf` by `source`). */
const requestContext = z.looseObject({ source: z.enum(['WORKFLOWS', 'AGENTS', 'COPILOT', 'STANDALONE', 'TEST']) });

/** `CallbackCompletionRequest`: `outputFields` (string values) and `typedOutputs` are required. */
export const callbackCompletion = z.strictObject({
  outputFields: z.record(z.string(), z.string()),
  typedOutputs: z.record(z.string(), z.unknown()),
  failureReasonType: z.string().optional(),
  requestContext: requestContext.optional(),
});

/** `BatchInputCallbackCompletionBatchRequest`. */
export const batchCallbackCompletion = z.strictObject({ inputs: z.array(callbackCompletion.extend({ callbackId: z.string() })) });

/** The v4 / 2026-03 association write: an array of `AssociationSpec`. */
export const associationSpecs = z.array(associationSpec);

/** `PublicThreadUpdateRequest`. */
export const threadUpdate = z.strictObject({ status: z.enum(['OPEN', 'CLOSED']).optional(), archived: z.boolean().optional() });

/**
 * `PublicMessageEgg`: a `PublicConversationsMessageEgg` (a MESSAGE names its agent sender) or a
 * `PublicCommentEgg` (type, text and attachments; no sender). Only the required fields are checked;
 * the route checks the rest.
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/inbox-and-messages/guide
 */
export const messageEgg = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('MESSAGE'), text: z.string(), senderActorId: z.string() }),
  z.looseObject({ type: z.literal('COMMENT'), text: z.string(), attachments: z.array(z.unknown()) }),
]);

/** `PublicThreadAssignRequest`. */
export const threadAssign = z.strictObject({ actorId: z.string() });

/** Form fields of `POST /oauth/2026-03/token` (grant types from the reference's enum). */
export const tokenForm = z.strictObject({
  grant_type: z.enum(['authorization_code', 'client_credentials', 'refresh_token']),
  client_id: z.string(),
  client_secret: z.string().optional(),
  client_assertion: z.string().optional(),
  client_assertion_type: z.string().optional(),
  code: z.string().optional(),
  code_verifier: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

/** Form fields of `POST /oauth/2026-03/token/introspect` and `/token/revoke`. */
export const tokenInfoForm = z.strictObject({
  client_id: z.string(),
  client_secret: z.string(),
  token: z.string(),
  token_type_hint: z.enum(['access_token', 'refresh_token']).optional(),
});

/**
 * True when a body's only problems are fields the reference does not define. HubSpot ignores those
 * (its API accepts extra JSON fields), so the emulator serves the request but still records a
 * violation; anything else (a missing required field, a wrong type) is a 400, as HubSpot answers.
 */
export function onlyUnknownFields(error: z.ZodError): boolean {
  return error.issues.every((issue) => issue.code === 'unrecognized_keys');
}
