// Types of the workflow-action engine, shared with its control router and the emulator core
// (the callbacks API calls `complete`).
import type { WorkflowActionDefinition } from '../manifests.js';

/** What a test or the control API asks the engine to run. */
export interface ExecuteRequest {
  portalId: number;
  /** The action's uid, or the last path segment of its `actionUrl` (e.g. `pause-ai`). */
  actionUid: string;
  /** Upper-case object type, one of the action's `objectTypes`. */
  objectType: string;
  objectId: number;
  /** Resolved input values keyed by `typeDefinition.name`. */
  inputFields?: Record<string, unknown>;
  workflowId?: number;
  /** Fixed callback id, for idempotency tests (a re-run of the same execution). */
  callbackId?: string;
}

/** The JSON body HubSpot POSTs to `actionUrl` (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference). */
export interface ExecutionRequestBody {
  callbackId: string;
  origin: {
    portalId: number;
    actionDefinitionId: number;
    actionDefinitionVersion: number;
    extensionDefinitionId: number;
    extensionDefinitionVersionId: number;
    actionExecutionIndexIdentifier: { enrollmentId: number; actionExecutionIndex: number };
  };
  context: { source: 'WORKFLOWS'; workflowId: number };
  object: { objectId: number; objectType: string; properties: Record<string, string> };
  inputFields: Record<string, unknown>;
  /** Legacy duplicate of `inputFields` seen in real payloads. */
  fields: Record<string, unknown>;
}

/** One HTTP attempt to call `actionUrl`. */
export interface ExecutionAttempt {
  attemptNumber: number;
  status?: number;
  /** `timeout`, `connection_error: …`, `http_<status>`, `invalid_json`, … */
  error?: string;
  latencyMs: number;
  /** Epoch ms (injected clock). */
  at: number;
  /** The answer's body: parsed JSON, or the text when it is not JSON. */
  responseBody?: unknown;
  /** Real ms waited before the next attempt, when one follows. */
  retryInMs?: number;
}

/** Where an execution stands. `PENDING` while the action URL is being called. */
export type ExecutionState = 'PENDING' | 'SUCCESS' | 'FAIL_CONTINUE' | 'BLOCKED' | 'FAILED' | 'EXPIRED';

/** Everything the engine knows about one execution. */
export interface ExecutionRecord {
  id: string;
  callbackId: string;
  portalId: number;
  actionUid: string;
  objectType: string;
  objectId: number;
  request: ExecutionRequestBody;
  attempts: ExecutionAttempt[];
  state: ExecutionState;
  /** Output fields of the action's answer, then of the callback completion. */
  outputFields: Record<string, unknown>;
  /** Why the execution FAILED, when it did. */
  failureReason?: string;
  /** For BLOCK/ASYNC: the raw answer state and when the wait ends (epoch ms, injected clock). */
  blocked?: { executionState: 'BLOCK' | 'ASYNC'; expirationDuration: string; expiresAt: number };
  /** Set when the callbacks API completed the execution. */
  completion?: { at: number; outputFields: Record<string, unknown> };
  /** The first execution rule whose conditions match the outputs, and its `en` message. */
  executionRule?: { labelName: string; message?: string };
  createdAt: number;
  finishedAt?: number;
}

/** Result of completing a callback, mapped to HTTP by the callbacks API. */
export type CompleteResult = 'completed' | 'unknown' | 'already_completed' | 'expired';

/** What a test or the control API asks for an options call (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference). */
export interface OptionsRequest {
  portalId: number;
  actionUid: string;
  inputFieldName: string;
  /** Defaults from the action's first object type (`0-5` for TICKET, `0-1` for CONTACT). */
  objectTypeId?: string;
  /** How each field is configured (not resolved values), as HubSpot sends it. */
  inputFields?: Record<string, unknown>;
  fetchOptions?: { q?: string; after?: string };
}

/** The backend's answer to an options call. */
export interface OptionsResult {
  status: number;
  body: unknown;
  /** The body the emulator sent, for assertions. */
  request: unknown;
}

/** Options of `createWorkflowEngine`. */
export interface WorkflowEngineOptions {
  actions: WorkflowActionDefinition[];
  clientSecret: string;
  appId: number;
  /** Clock for timestamps and BLOCK expiry. */
  now: () => number;
  /** Multiplies every real-time wait (timeouts, retry delays, Retry-After); 1 = real timings. */
  timeScale?: number;
  /** Reads an enrolled record's properties; undefined when it does not exist. */
  getObject(portalId: number, objectType: string, objectId: number, properties: string[]): Record<string, string> | undefined;
  /** Attempts per execution before it FAILS (5xx, timeout, 429). Default 5. */
  maxAttempts?: number;
  /** Attempt timeout in real ms before `timeScale`. Default 20 000. */
  timeoutMs?: number;
  /** Source of randomness for jitter. */
  random?: () => number;
  /** Source of enrollment, callback and execution ids (the emulator's unique counter); a fresh one by default. */
  nextId?: () => number;
  /** The developer's test portal: the only one that sees actions whose `isPublished` is false. */
  developerPortalId?: number;
}

/** The emulator's workflow-action engine. */
export interface WorkflowEngine {
  /**
   * Runs one action for one record and resolves once the answer is final or BLOCKED.
   * @throws WorkflowRequestError on bad input (unknown action, wrong object type, invalid inputFields)
   */
  execute(req: ExecuteRequest): Promise<ExecutionRecord>;
  /** Completes a BLOCKED (or ASYNC) execution from the callbacks API. */
  complete(portalId: number, callbackId: string, outputFields: Record<string, unknown>): CompleteResult;
  /** What `complete` would answer now, without completing ('completed': it can be completed). */
  check(portalId: number, callbackId: string): CompleteResult;
  /** Executions, oldest first, optionally for one portal. Expiry is applied first. */
  executions(filter?: { portalId?: number }): ExecutionRecord[];
  execution(id: string): ExecutionRecord | undefined;
  /** Calls a field's `optionsUrl` like HubSpot does. */
  fetchOptions(req: OptionsRequest): Promise<OptionsResult>;
  /** Marks BLOCKED executions whose wait has passed as EXPIRED. */
  sweep(): void;
  /** Every execution, for saving the emulator's state. */
  exportExecutions(): ExecutionRecord[];
  /** Replaces the executions with saved ones (a restart continues where it stopped). */
  importExecutions(saved: ExecutionRecord[]): void;
  reset(): void;
  stop(): Promise<void>;
}
