import { upstreamError, type HubSpotHttpResponse } from './http.js';
import type { HubSpotClient } from './hubspot-client.js';
import { batchCallbackCompletionModel, callbackCompletionModel, type CallbackCompletion } from './models/requests.js';
import { HUBSPOT_PATHS } from './paths.js';
import { fieldsNamedInRefusal } from './refusals.js';

/**
 * Completing blocked workflow-action executions at HubSpot (the 2026-03 callbacks API; the v4 paths
 * become unsupported on 2027-03-30). Bodies are built through the reference's request models, with
 * `typedOutputs` always sent next to `outputFields`: the reference marks both required.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-4
 */

/** One completion: the callback and its output values (all strings, as our actions declare them). */
export interface CompletionInput {
  callbackId: string;
  outputFields: Record<string, string>;
}

/** HubSpot's answer to one completion. */
export type CompletionResult =
  | { outcome: 'completed' }
  /** A 4xx naming fields of our request: our bug; keep the callback for a retry after the fix. */
  | { outcome: 'request_invalid'; status: number; fields: string[] }
  /** Any other 4xx: HubSpot no longer takes this callback (unknown, expired, already completed). */
  | { outcome: 'refused'; status: number };

/** The callbacks API of an organization's portal. */
export interface HubSpotCallbacksApi {
  /**
   * `POST /automation/actions/callbacks/2026-03/{callbackId}/complete`.
   * @throws AppError hubspot_unavailable on 429/5xx (the caller's job retries), or the client's auth errors
   */
  completeCallback(organizationId: string, completion: CompletionInput): Promise<CompletionResult>;
  /**
   * `POST /automation/actions/callbacks/2026-03/complete` with up to 100 completions. The reference
   * documents 204 and nothing else, so any other answer (a 207 included) means the batch as a whole
   * is not known to be done: the caller completes the callbacks one by one.
   * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-5
   * @returns 'completed' on 204, else 'failed' with the status
   * @throws AppError the client's auth and network errors
   */
  completeCallbacks(organizationId: string, completions: readonly CompletionInput[]): Promise<{ outcome: 'completed' } | { outcome: 'failed'; status: number }>;
}

/** The request body of one completion, built through the reference's model. */
export function completionBody(outputFields: Record<string, string>): CallbackCompletion {
  // Our outputs are all strings, so the typed outputs are the same values.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-4
  return callbackCompletionModel.parse({ outputFields, typedOutputs: { ...outputFields } });
}

/** Builds the callbacks API over the organization-scoped client. */
export function createHubSpotCallbacksApi(deps: { client: Pick<HubSpotClient, 'request'> }): HubSpotCallbacksApi {
  const { client } = deps;
  return Object.freeze({
    async completeCallback(organizationId: string, completion: CompletionInput): Promise<CompletionResult> {
      const res = await client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.completeCallback(completion.callbackId), body: completionBody(completion.outputFields), lane: 'interactive' });
      return toResult(res);
    },
    async completeCallbacks(organizationId: string, completions: readonly CompletionInput[]) {
      const body = batchCallbackCompletionModel.parse({ inputs: completions.map((c) => ({ callbackId: c.callbackId, ...completionBody(c.outputFields) })) });
      const res = await client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.completeCallbacks, body, lane: 'interactive' });
      return res.status === 204 ? { outcome: 'completed' as const } : { outcome: 'failed' as const, status: res.status };
    },
  });
}

function toResult(res: HubSpotHttpResponse): CompletionResult {
  if (res.status >= 200 && res.status < 300) return { outcome: 'completed' };
  if (res.status === 429 || res.status >= 500) throw upstreamError(res, 'callback completion');
  const fields = fieldsNamedInRefusal(res);
  return fields.length > 0 ? { outcome: 'request_invalid', status: res.status, fields } : { outcome: 'refused', status: res.status };
}
