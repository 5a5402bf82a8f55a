// The workflow-actions service (`services.workflowActions`): runs HubSpot's executions once per
// callbackId, feeds the handoff-team dropdown, takes the vendor's Send to AI results, completes HubSpot's
// callbacks and runs the periodic sweep. Each use case lives in its own file; this one wires them.
import { AppError } from '../../platform/errors.js';
import { runDueAutoResumes, type AutoResumeReport } from './auto-resume.js';
import { executeAction, presentOutputFields } from './execute-action.js';
import { OPTIONS_FIELDS, listFieldOptions, putHandoffTeams, type OptionsAnswer } from './handoff-teams.js';
import { pauseAiAction } from './pause-ai.action.js';
import { requestHandoffAction } from './request-handoff.action.js';
import { resumeAiAction } from './resume-ai.action.js';
import { completeDueCallbacks, reportAiResult, sweepCallbacks, type AiResultReport, type CallbackSweepReport } from './send-to-ai-callbacks.js';
import { sendToAiAction } from './send-to-ai.action.js';
import type { WorkflowAction } from './workflow-action.js';
import type { WorkflowActionsDeps } from './workflow-actions.deps.js';
import { workflowActionsRepository as repo, type ExecutionSummary, type HandoffTeam } from './workflow-actions.repository.js';
import type { AiResultBody, ExecutionRequest, OptionsRequest, OutputFields } from './workflow-actions.schemas.js';

export type { AiResultReport, ExecutionSummary, OptionsAnswer, WorkflowActionsDeps };
export { OPTIONS_FIELDS };

/** Every workflow action, by the last path segment of its manifest's actionUrl (`/hubspot/actions/<name>`). */
export const WORKFLOW_ACTIONS: ReadonlyMap<string, WorkflowAction> = new Map(
  ([pauseAiAction, resumeAiAction, sendToAiAction, requestHandoffAction] as unknown as WorkflowAction[]).map((a) => [a.name, a]),
);

/** What one sweep did. */
export type SweepReport = CallbackSweepReport & AutoResumeReport;

/** The workflow-actions service. */
export interface WorkflowActionsService {
  /**
   * Runs one execution at most once per callbackId; a retry gets the stored first answer.
   * @returns HubSpot's outputFields
   * @throws AppError not_found for an unknown action
   */
  executeAction(actionName: string, request: ExecutionRequest): Promise<OutputFields>;
  /** Options of a dropdown field. @throws AppError not_found for a field we do not feed */
  listFieldOptions(field: string, request: OptionsRequest): Promise<OptionsAnswer>;
  /** The organization's handoff teams, in display order. */
  getHandoffTeams(organizationId: string): Promise<HandoffTeam[]>;
  /** Replaces the organization's handoff teams. */
  putHandoffTeams(organizationId: string, teams: HandoffTeam[]): Promise<HandoffTeam[]>;
  /** The vendor's Send to AI result. @throws AppError not_found | conflict */
  reportAiResult(organizationId: string, conversationId: string, result: AiResultBody): Promise<AiResultReport>;
  /** Job body: completes an organization's decided callbacks. @throws AppError hubspot_unavailable (retried) */
  completeDueCallbacks(organizationId: string): Promise<number>;
  /** Job body: expiring callbacks, stalled completions, due automatic resumes. */
  sweep(): Promise<SweepReport>;
  /** The organization's latest executions, newest first (the connection page's troubleshooting panel). */
  listRecentExecutions(organizationId: string, limit: number): Promise<ExecutionSummary[]>;
}

/**
 * Builds the workflow-actions service.
 * @param deps database, clock, logger, the conversations / connections / events / HubSpot services and the job hooks
 * @returns the service
 */
export function createWorkflowActionsService(deps: WorkflowActionsDeps): WorkflowActionsService {
  return Object.freeze({
    async executeAction(actionName: string, request: ExecutionRequest) {
      const action = WORKFLOW_ACTIONS.get(actionName);
      if (!action) throw new AppError('not_found', `No workflow action "${actionName}"`);
      return executeAction(deps, action, request);
    },
    listFieldOptions: (field: string, request: OptionsRequest) => listFieldOptions(deps, field, request),
    getHandoffTeams: (organizationId: string) => repo.findHandoffTeams(deps.db, organizationId),
    putHandoffTeams: (organizationId: string, teams: HandoffTeam[]) => putHandoffTeams(deps, organizationId, teams),
    reportAiResult: (organizationId: string, conversationId: string, result: AiResultBody) => reportAiResult(deps, organizationId, conversationId, result),
    completeDueCallbacks: (organizationId: string) => completeDueCallbacks(deps, organizationId),
    async sweep() {
      const callbacks = await sweepCallbacks(deps);
      const resumes = await runDueAutoResumes(deps);
      return { ...callbacks, ...resumes };
    },
    listRecentExecutions: (organizationId: string, limit: number) => repo.findRecentExecutions(deps.db, organizationId, limit),
  });
}

/**
 * The answer to a signed request whose body is not an execution request at all: HubSpot sent it, so
 * it gets HubSpot's format (FAIL_CONTINUE INVALID_INPUT, which an execution rule explains) rather
 * than a 4xx that HubSpot would record as a silent failure. Nothing is stored: without a callbackId
 * there is nothing to deduplicate on.
 * @param actionName the action called
 * @returns the outputFields
 * @throws AppError not_found for an unknown action
 */
export function presentMalformedExecution(actionName: string): OutputFields {
  const action = WORKFLOW_ACTIONS.get(actionName);
  if (!action) throw new AppError('not_found', `No workflow action "${actionName}"`);
  return presentOutputFields(action, { state: 'FAIL_CONTINUE', errorCode: 'INVALID_INPUT' });
}
