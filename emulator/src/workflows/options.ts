// External dropdown data (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference): HubSpot POSTs to a field's `optionsUrl` when the workflow
// editor opens the dropdown, and shows the `options` the app returns. Signed like action calls (v2+v3).
import { signedHeaders } from '../signing.js';
import { sendOutbound } from '../outbound/http.js';
import { ControlError } from '../outbound/control-errors.js';
import type { WorkflowActionDefinition } from '../manifests.js';
import type { OptionsRequest, OptionsResult } from './types.js';

// objectTypeId of the standard objects an action may run on.
const OBJECT_TYPE_IDS: Record<string, string> = { CONTACT: '0-1', COMPANY: '0-2', DEAL: '0-3', TICKET: '0-5' };

/** Inputs of {@link fetchActionOptions}. */
export interface FetchOptionsInput {
  action: WorkflowActionDefinition;
  actionDefinitionId: number;
  req: OptionsRequest;
  clientSecret: string;
  now: () => number;
  /** Real ms (already scaled). */
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Calls one input field's `optionsUrl` the way the workflow editor does. No retries: the editor just
 * shows an error.
 * @param input the action, the field request, secret, clock, deadline and cancel signal
 * @returns the backend's status and parsed body, plus the body the emulator sent
 * @throws ControlError 400 `invalid_options_field` when the field has no optionsUrl; 502/504 when the call fails
 */
export async function fetchActionOptions(input: FetchOptionsInput): Promise<OptionsResult> {
  const { action, req } = input;
  const field = action.inputFields.find((f) => f.typeDefinition.name === req.inputFieldName);
  const url = field?.typeDefinition.optionsUrl;
  if (url === undefined) {
    throw new ControlError(400, 'invalid_options_field', `${action.uid} has no input field "${req.inputFieldName}" with an optionsUrl`);
  }
  const request = {
    origin: { portalId: req.portalId, actionDefinitionId: input.actionDefinitionId, actionDefinitionVersion: 1 },
    objectTypeId: req.objectTypeId ?? OBJECT_TYPE_IDS[action.objectTypes[0] ?? ''] ?? '0-1',
    inputFieldName: req.inputFieldName,
    inputFields: req.inputFields ?? {},
    ...(req.fetchOptions !== undefined ? { fetchOptions: req.fetchOptions } : {}),
  };
  const body = JSON.stringify(request);
  const headers = {
    'Content-Type': 'application/json',
    ...signedHeaders({ method: 'POST', url, body, clientSecret: input.clientSecret, timestamp: input.now(), versions: ['v2', 'v3'] }),
  };
  const result = await sendOutbound({ url, method: 'POST', headers, body, timeoutMs: input.timeoutMs, signal: input.signal });
  if (result.kind === 'timeout') throw new ControlError(504, 'options_timeout', `${url} did not answer in time`);
  if (result.kind !== 'response') {
    throw new ControlError(502, 'options_unreachable', `${url} could not be reached: ${result.kind === 'connection_error' ? result.message : result.kind}`);
  }
  let parsed: unknown = result.text;
  try {
    parsed = result.text === '' ? undefined : (JSON.parse(result.text) as unknown);
  } catch {
    // Not JSON: hand the text back as is, the test decides what that means.
  }
  return { status: result.status, body: parsed, request };
}
