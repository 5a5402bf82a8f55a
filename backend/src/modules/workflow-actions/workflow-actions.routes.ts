import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../../platform/http/json-body.js';
import { AppError } from '../../platform/errors.js';
import { parseJsonBody, rawBody, rawBodyOf } from '../../platform/http/raw-body.js';
import { validate } from '../../platform/http/validate.js';
import { currentOrganization } from '../organizations/organizations.auth.js';
import {
  aiResultBodySchema,
  conversationParamsSchema,
  executionRequestSchema,
  optionsParamsSchema,
  optionsRequestSchema,
  putHandoffTeamsBodySchema,
} from './workflow-actions.schemas.js';
import { OPTIONS_FIELDS, WORKFLOW_ACTIONS, presentMalformedExecution, type AiResultReport, type WorkflowActionsService } from './workflow-actions.service.js';
import type { HandoffTeam } from './workflow-actions.repository.js';

/** What the router needs; app.ts builds the guards so no route imports hubspot/. */
export interface WorkflowActionsRouterDeps {
  service: Pick<WorkflowActionsService, 'executeAction' | 'listFieldOptions' | 'getHandoffTeams' | 'putHandoffTeams' | 'reportAiResult'>;
  /** HubSpot's signature check for workflow actions: v3 when its headers are present, else v2. */
  requireActionSignature: RequestHandler;
  /** The vendor API guard (organization API key). */
  requireOrganization: RequestHandler;
}

/** Vendor API view of a handoff team. */
export function presentHandoffTeam(team: HandoffTeam): { id: string; name: string } {
  return { id: team.id, name: team.name };
}

/** Vendor API view of a reported AI result. */
export function presentAiResultReport(report: AiResultReport): AiResultReport {
  return { conversationId: report.conversationId, callbacks: report.callbacks.map((c) => ({ callbackId: c.callbackId, executionState: c.executionState })) };
}

/**
 * Routes of the workflow actions:
 * - `POST /hubspot/actions/:actionName`: HubSpot executes an action (signed; answers HubSpot's outputFields);
 * - `POST /hubspot/actions/options/:field`: HubSpot loads a dropdown (signed; answers HubSpot's options);
 * - `GET|PUT /api/v1/handoff-teams`: the vendor configures the teams the handoff dropdown offers;
 * - `POST /api/v1/conversations/:id/ai-result`: the vendor reports a Send to AI result.
 * The name/field check runs before the signature, so an unknown action is a 404 (a missing route) and
 * a known one refuses unsigned requests with 401 (the manifest ↔ route contract that
 * scripts/project-check/routes.ts checks).
 */
export function createWorkflowActionsRouter(deps: WorkflowActionsRouterDeps): Router {
  const router = Router();
  const json = jsonBody({ limit: '256kb' });

  const knownAction: RequestHandler = (req, _res, next) => {
    if (!WORKFLOW_ACTIONS.has(String(req.params.actionName))) throw new AppError('not_found', 'No such workflow action');
    next();
  };
  const knownOptionsField: RequestHandler = (req, _res, next) => {
    if (!OPTIONS_FIELDS.has(String(req.params.field))) throw new AppError('not_found', 'No options for this field');
    next();
  };

  router.post('/hubspot/actions/options/:field', knownOptionsField, rawBody(), deps.requireActionSignature, async function postWorkflowActionOptions(req, res) {
    const { field } = validate('params', optionsParamsSchema, req.params);
    // A dropdown call is not an execution: a malformed one may fail loudly (the editor shows an error).
    const request = validate('body', optionsRequestSchema, parseJsonBody(rawBodyOf(req)));
    res.json(await deps.service.listFieldOptions(field, request));
  });

  router.post('/hubspot/actions/:actionName', knownAction, rawBody(), deps.requireActionSignature, async function postWorkflowAction(req, res) {
    const actionName = String(req.params.actionName);
    // The request is HubSpot's (the signature passed), so even a malformed one gets HubSpot's format
    // (FAIL_CONTINUE INVALID_INPUT): a 4xx would make HubSpot fail the action without a readable reason.
    let body: unknown;
    try {
      body = parseJsonBody(rawBodyOf(req));
    } catch {
      body = undefined;
    }
    const parsed = executionRequestSchema.safeParse(body);
    const outputFields = parsed.success ? await deps.service.executeAction(actionName, parsed.data) : presentMalformedExecution(actionName);
    res.json({ outputFields });
  });

  router.get('/api/v1/handoff-teams', deps.requireOrganization, async function getHandoffTeams(_req, res) {
    const teams = await deps.service.getHandoffTeams(currentOrganization(res).id);
    res.json({ teams: teams.map(presentHandoffTeam) });
  });

  router.put('/api/v1/handoff-teams', deps.requireOrganization, json, async function putHandoffTeams(req, res) {
    const body = validate('body', putHandoffTeamsBodySchema, req.body);
    const teams = await deps.service.putHandoffTeams(currentOrganization(res).id, body.teams);
    res.json({ teams: teams.map(presentHandoffTeam) });
  });

  router.post('/api/v1/conversations/:id/ai-result', deps.requireOrganization, json, async function postConversationAiResult(req, res) {
    const { id } = validate('params', conversationParamsSchema, req.params);
    const body = validate('body', aiResultBodySchema, req.body);
    const report = await deps.service.reportAiResult(currentOrganization(res).id, id, body);
    // 202: HubSpot is told by a job, right after this answer.
    res.status(202).json(presentAiResultReport(report));
  });

  return router;
}
