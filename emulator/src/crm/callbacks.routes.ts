// Workflow-action callback completion: v4 and 2026-03 paths, single and batch, scope `automation`,
// OAuth tokens only. Bodies are checked against the reference's models (conformance/models.ts): a
// completion without `typedOutputs` is a 400, as the reference marks it required
// (https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/complete-callback).
// The engine owns the executions; this router maps its answer to HTTP.
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { batchCallbackCompletion, callbackCompletion, onlyUnknownFields } from '../conformance/models.js';
import { apiError, notFound, validationError, type HttpError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import type { CompleteResult } from '../workflows/types.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';

const messages: Record<Exclude<CompleteResult, 'completed'>, string> = {
  unknown: 'No pending callback with this callbackId',
  expired: 'The callback expired; the workflow has already continued',
  already_completed: 'The callback has already been completed',
};

/**
 * Builds the callbacks router (mounted at `/automation/v4/actions/callbacks` and `/automation/actions/callbacks/2026-03`).
 * @param deps API dependencies (the engine completes executions)
 * @param guard the guard factory
 * @returns the router
 */
export function createCallbacksRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler): Router {
  const router = Router();
  const automation = guard({ scopes: ['automation'], oauthOnly: true });
  // An injected refusal, in HubSpot's error shape for a request that breaks its contract.
  const injectedRefusal = () => {
    const field = deps.faults.takeCallbackRefusal();
    if (field !== undefined) throw validationError(`Invalid input in request body: ${field}: injected refusal`, { errors: [{ message: 'injected refusal', in: field, context: { path: [field] } }] });
  };
  const engine = () => {
    if (!deps.engine) throw apiError(503, 'INTERNAL_ERROR', 'The workflow engine is not running in this emulator');
    return deps.engine;
  };

  router.post('/complete', automation, (req, res) => {
    injectedRefusal();
    const body = refuseInvalid(batchCallbackCompletion, req.body) as { inputs: { callbackId: string; outputFields: Record<string, unknown> }[] };
    if (body.inputs.length === 0) throw validationError('Batch inputs must not be empty');
    if (body.inputs.length > 100) throw validationError(`Batch inputs are limited to 100; got ${body.inputs.length}`);
    const portalId = principalOf(res).portalId;
    // The reference documents 204 and errors only, so the batch is all or nothing here: every
    // callback is checked first, and one that cannot be completed fails the whole batch.
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-9
    const failed = body.inputs.map((input) => ({ callbackId: input.callbackId, result: engine().check(portalId, input.callbackId) })).filter((f) => f.result !== 'completed');
    if (failed.length > 0) throw batchError(failed as { callbackId: string; result: Exclude<CompleteResult, 'completed'> }[]);
    for (const input of body.inputs) engine().complete(portalId, input.callbackId, input.outputFields);
    res.status(204).end();
  });

  router.post('/:callbackId/complete', automation, (req, res) => {
    injectedRefusal();
    const body = refuseInvalid(callbackCompletion, req.body) as { outputFields: Record<string, unknown> };
    const callbackId = String(req.params.callbackId);
    const result = engine().complete(principalOf(res).portalId, callbackId, body.outputFields);
    if (result === 'completed') {
      res.status(204).end();
      return;
    }
    if (result === 'already_completed') throw validationError(messages[result], { context: { callbackId: [callbackId] } });
    throw notFound(messages[result], { context: { callbackId: [callbackId] } });
  });

  return router;
}

// A body HubSpot would refuse (a required field missing, a wrong type) is a 400 naming the fields.
// Fields the reference does not define are ignored here (the conformance recorder still reports them).
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-8
function refuseInvalid(model: z.ZodType, body: unknown): unknown {
  const parsed = model.safeParse(body);
  if (parsed.success || onlyUnknownFields(parsed.error)) return body;
  return parseInput(model, body);
}

function batchError(failed: { callbackId: string; result: Exclude<CompleteResult, 'completed'> }[]): HttpError {
  const errors = failed.map((f) => ({ message: messages[f.result], context: { callbackId: [f.callbackId] } }));
  const notFoundAll = failed.every((f) => f.result !== 'already_completed');
  const message = `${failed.length} callback(s) of the batch cannot be completed; none was completed`;
  return notFoundAll ? notFound(message, { errors }) : validationError(message, { errors });
}
