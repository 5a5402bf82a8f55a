// The workflow-action engine, as HubSpot documents custom actions
// (https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/custom-action-guide,
// https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference): builds each execution request as HubSpot does, calls `actionUrl` (call-action.ts), reads
// `hs_execution_state`, keeps BLOCK/ASYNC executions waiting for the callbacks API until
// `hs_expiration_duration` passes, and records the message HubSpot would show from the action's
// execution rules.
import { ControlError } from '../outbound/control-errors.js';
import { parseIsoDuration } from '../outbound/timing.js';
import type { WorkflowActionDefinition } from '../manifests.js';
import { createUniqueIds } from '../support/ids.js';
import { callActionUrl } from './call-action.js';
import type { CallOutcome } from './call-action.js';
import { matchExecutionRule } from './execution-rules.js';
import { validateInputFields } from './inputs.js';
import { fetchActionOptions } from './options.js';
import type {
  CompleteResult,
  ExecuteRequest,
  ExecutionRecord,
  ExecutionRequestBody,
  WorkflowEngine,
  WorkflowEngineOptions,
} from './types.js';

export type { WorkflowEngine, WorkflowEngineOptions, ExecuteRequest, ExecutionRecord, CompleteResult } from './types.js';
export { createWorkflowControlRouter } from './control.routes.js';

/** HubSpot's default wait for a blocked execution (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference). */
export const DEFAULT_EXPIRATION = 'P1W';

/** A request the engine refuses (unknown action, wrong object type, bad inputs, missing record). */
export class WorkflowRequestError extends ControlError {
  override readonly name = 'WorkflowRequestError';
}

/**
 * Creates the workflow-action engine.
 * @param opts actions from the manifests, signing secret, app id, clock, time scale and record reader
 * @returns the engine; call `stop()` when done
 */
export function createWorkflowEngine(opts: WorkflowEngineOptions): WorkflowEngine {
  const timeScale = opts.timeScale ?? 1;
  const maxAttempts = opts.maxAttempts ?? 5;
  const timeoutMs = opts.timeoutMs ?? 20_000; // undocumented; ~20 s is the community figure (docs/HUBSPOT-ASSUMPTIONS.md#S-10)
  const random = opts.random ?? Math.random;

  let records: ExecutionRecord[] = [];
  let byId = new Map<string, ExecutionRecord>();
  let byCallback = new Map<string, ExecutionRecord>(); // latest execution per callbackId
  // Callback ids must never repeat, not across resets nor restarts: the backend keeps each callback's
  // answer and would replay an old one for a reused id.
  const nextId = opts.nextId ?? createUniqueIds().next;
  let controller = new AbortController();
  const running = new Set<Promise<unknown>>();

  function findAction(ref: string): { action: WorkflowActionDefinition; index: number } {
    const index = opts.actions.findIndex((a) => a.uid === ref || lastPathSegment(a.actionUrl) === ref);
    const action = opts.actions[index];
    if (action === undefined) throw new WorkflowRequestError(404, 'action_not_found', `No workflow action "${ref}"`);
    return { action, index };
  }

  // HubSpot shows an unpublished action only in the developer's test accounts
  // (https://developers.hubspot.com/docs/apps/developer-platform/add-features/custom-workflow-actions).
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#P-9
  function findVisibleAction(ref: string, portalId: number): { action: WorkflowActionDefinition; index: number } {
    const found = findAction(ref);
    if (!found.action.isPublished && portalId !== opts.developerPortalId) {
      throw new WorkflowRequestError(404, 'action_not_found', `No workflow action "${ref}" in portal ${portalId}: it is not published, so only the developer's test portal sees it`);
    }
    return found;
  }

  function expireIfDue(record: ExecutionRecord): void {
    if (record.state === 'BLOCKED' && record.blocked !== undefined && opts.now() >= record.blocked.expiresAt) {
      record.state = 'EXPIRED';
      record.finishedAt = record.blocked.expiresAt;
    }
  }

  function sweep(): void {
    for (const record of records) expireIfDue(record);
  }

  function settle(record: ExecutionRecord, action: WorkflowActionDefinition, outcome: CallOutcome): void {
    record.finishedAt = opts.now();
    if (outcome.kind === 'failed') {
      record.state = 'FAILED';
      record.failureReason = outcome.reason;
      return;
    }
    const body = outcome.body;
    const outputs = isRecord(body) && isRecord(body.outputFields) ? { ...body.outputFields } : {};
    record.outputFields = outputs;
    const state = outputs.hs_execution_state;
    if (state === undefined || state === 'SUCCESS' || state === 'FAIL_CONTINUE') {
      record.state = state === 'FAIL_CONTINUE' ? 'FAIL_CONTINUE' : 'SUCCESS';
      applyRule(record, action);
    } else if (state === 'BLOCK' || state === 'ASYNC') {
      const requested = typeof outputs.hs_expiration_duration === 'string' ? outputs.hs_expiration_duration : undefined;
      const parsed = requested === undefined ? undefined : parseIsoDuration(requested);
      const expirationDuration = parsed === undefined ? DEFAULT_EXPIRATION : (requested as string);
      const ms = parsed ?? (parseIsoDuration(DEFAULT_EXPIRATION) as number);
      record.state = 'BLOCKED';
      record.blocked = { executionState: state, expirationDuration, expiresAt: opts.now() + ms };
      delete record.finishedAt;
      // The backend may complete the callback before its BLOCK answer reached us; honour it now.
      if (record.completion !== undefined) finishBlocked(record, action, record.completion.outputFields);
    } else {
      record.state = 'FAILED';
      record.failureReason = `unknown hs_execution_state ${JSON.stringify(state)}`;
    }
  }

  function finishBlocked(record: ExecutionRecord, action: WorkflowActionDefinition, outputs: Record<string, unknown>): void {
    record.state = outputs.hs_execution_state === 'FAIL_CONTINUE' ? 'FAIL_CONTINUE' : 'SUCCESS';
    record.outputFields = { ...outputs };
    record.finishedAt = opts.now();
    applyRule(record, action);
  }

  function applyRule(record: ExecutionRecord, action: WorkflowActionDefinition): void {
    const rule = matchExecutionRule(action, record.outputFields);
    if (rule === undefined) delete record.executionRule;
    else record.executionRule = rule;
  }

  async function execute(req: ExecuteRequest): Promise<ExecutionRecord> {
    const { action, index } = findVisibleAction(req.actionUid, req.portalId);
    const objectType = req.objectType.toUpperCase();
    if (!action.objectTypes.includes(objectType)) {
      throw new WorkflowRequestError(400, 'invalid_object_type', `${action.uid} does not run on ${objectType}`, {
        allowed: action.objectTypes,
      });
    }
    const inputs = req.inputFields ?? {};
    const issues = validateInputFields(action, inputs);
    if (issues.length > 0) throw new WorkflowRequestError(400, 'invalid_input_fields', 'Input fields are invalid', issues);
    const wanted = action.objectRequestOptions.properties;
    const found = opts.getObject(req.portalId, objectType, req.objectId, wanted);
    if (found === undefined) {
      throw new WorkflowRequestError(404, 'object_not_found', `${objectType} ${req.objectId} not found in portal ${req.portalId}`);
    }
    // HubSpot sends only the properties named in objectRequestOptions.
    const properties = Object.fromEntries(wanted.filter((p) => found[p] !== undefined).map((p) => [p, found[p] as string]));
    const sequence = nextId();
    const enrollmentId = nextId();
    const actionDefinitionId = 10_000 + index + 1;
    const request: ExecutionRequestBody = {
      callbackId: req.callbackId ?? `ap-${req.portalId}-${enrollmentId}-${sequence}-0`,
      origin: {
        portalId: req.portalId,
        actionDefinitionId,
        actionDefinitionVersion: 1,
        extensionDefinitionId: actionDefinitionId,
        extensionDefinitionVersionId: 1,
        actionExecutionIndexIdentifier: { enrollmentId, actionExecutionIndex: 0 },
      },
      context: { source: 'WORKFLOWS', workflowId: req.workflowId ?? 5_000_000 + index + 1 },
      object: { objectId: req.objectId, objectType, properties },
      inputFields: { ...inputs },
      fields: { ...inputs },
    };
    const record: ExecutionRecord = {
      id: `exec-${sequence}`,
      callbackId: request.callbackId,
      portalId: req.portalId,
      actionUid: action.uid,
      objectType,
      objectId: req.objectId,
      request,
      attempts: [],
      state: 'PENDING',
      outputFields: {},
      createdAt: opts.now(),
    };
    records.push(record);
    byId.set(record.id, record);
    byCallback.set(record.callbackId, record);
    const call = callActionUrl({
      url: action.actionUrl,
      body: JSON.stringify(request),
      clientSecret: opts.clientSecret,
      now: opts.now,
      timeoutMs: timeoutMs * timeScale,
      maxAttempts,
      backoffBaseMs: 1000 * timeScale,
      timeScale,
      random,
      signal: controller.signal,
      onAttempt: (attempt) => record.attempts.push(attempt),
    });
    running.add(call);
    try {
      settle(record, action, await call);
    } finally {
      running.delete(call);
    }
    return snapshot(record);
  }

  function check(portalId: number, callbackId: string): CompleteResult {
    const record = byCallback.get(callbackId);
    if (record === undefined || record.portalId !== portalId) return 'unknown';
    expireIfDue(record);
    if (record.completion !== undefined) return 'already_completed';
    if (record.state === 'EXPIRED') return 'expired';
    if (record.state !== 'BLOCKED' && record.state !== 'PENDING') return 'already_completed';
    return 'completed';
  }

  function complete(portalId: number, callbackId: string, outputFields: Record<string, unknown>): CompleteResult {
    const checked = check(portalId, callbackId);
    if (checked !== 'completed') return checked;
    const record = byCallback.get(callbackId)!;
    record.completion = { at: opts.now(), outputFields: { ...outputFields } };
    if (record.state === 'BLOCKED') finishBlocked(record, findAction(record.actionUid).action, outputFields);
    return 'completed';
  }

  return {
    execute,
    check,
    complete,
    sweep,
    executions(filter = {}) {
      sweep();
      return records.filter((r) => filter.portalId === undefined || r.portalId === filter.portalId).map(snapshot);
    },
    execution(id) {
      const record = byId.get(id);
      if (record === undefined) return undefined;
      expireIfDue(record);
      return snapshot(record);
    },
    fetchOptions(req) {
      const { action, index } = findVisibleAction(req.actionUid, req.portalId);
      return fetchActionOptions({
        action,
        actionDefinitionId: 10_000 + index + 1,
        req,
        clientSecret: opts.clientSecret,
        now: opts.now,
        timeoutMs: timeoutMs * timeScale,
        signal: controller.signal,
      });
    },
    reset() {
      controller.abort();
      controller = new AbortController();
      records = [];
      byId = new Map();
      byCallback = new Map();
    },
    exportExecutions: () => records.map(snapshot),
    importExecutions(saved) {
      records = saved.map(snapshot);
      // A call cut short by the stop has no answer; HubSpot would have retried and then failed it.
      for (const r of records) {
        if (r.state !== 'PENDING') continue;
        r.state = 'FAILED';
        r.failureReason = 'the emulator stopped while calling the action';
        r.finishedAt = opts.now();
      }
      byId = new Map(records.map((r) => [r.id, r]));
      byCallback = new Map(records.map((r) => [r.callbackId, r]));
    },
    async stop() {
      controller.abort();
      await Promise.allSettled([...running]);
    },
  };
}

function snapshot(record: ExecutionRecord): ExecutionRecord {
  return structuredClone(record);
}

function lastPathSegment(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  } catch {
    return '';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
