// Workflow-action callback completion (reference §6.4): v4 and 2026-03 paths, single and batch, scope
// `automation`, OAuth tokens only. The engine owns the executions; this router maps its answer to HTTP.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { apiError, notFound, validationError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { newCorrelationId } from '../support/ids.js';
import type { CompleteResult } from '../workflows/types.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';

// `typedOutputs`, `failureReasonType` and `requestContext` are in the current spec but not enforced [U].
const completionSchema = z.object({
  outputFields: z.record(z.string(), z.unknown()),
  typedOutputs: z.unknown().optional(),
  failureReasonType: z.string().optional(),
  requestContext: z.unknown().optional(),
});
const batchSchema = z.object({ inputs: z.array(completionSchema.extend({ callbackId: z.string().min(1) })).min(1) });

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
  const complete = (portalId: number, callbackId: string, outputFields: Record<string, unknown>): CompleteResult => {
    if (!deps.engine) throw apiError(503, 'INTERNAL_ERROR', 'The workflow engine is not running in this emulator');
    return deps.engine.complete(portalId, callbackId, outputFields);
  };

  router.post('/complete', automation, (req, res) => {
    const body = parseInput(batchSchema, req.body);
    if (body.inputs.length > 100) throw validationError(`Batch inputs are limited to 100; got ${body.inputs.length}`);
    const portalId = principalOf(res).portalId;
    const errors = body.inputs.flatMap((input) => {
      const result = complete(portalId, input.callbackId, input.outputFields);
      return result === 'completed' ? [] : [{ status: 'error', category: result === 'already_completed' ? 'VALIDATION_ERROR' : 'OBJECT_NOT_FOUND', message: messages[result], context: { callbackId: [input.callbackId] } }];
    });
    if (errors.length === 0) {
      res.status(204).end();
      return;
    }
    // HubSpot's batch answer for partial failure is undocumented [U]; use its usual multi-status shape.
    const at = new Date(deps.state.ctx.now()).toISOString();
    res.status(207).json({ status: 'COMPLETE', results: [], numErrors: errors.length, errors, startedAt: at, completedAt: at, correlationId: newCorrelationId() });
  });

  router.post('/:callbackId/complete', automation, (req, res) => {
    const body = parseInput(completionSchema, req.body);
    const callbackId = String(req.params.callbackId);
    const result = complete(principalOf(res).portalId, callbackId, body.outputFields);
    if (result === 'completed') {
      res.status(204).end();
      return;
    }
    if (result === 'already_completed') throw validationError(messages[result], { context: { callbackId: [callbackId] } });
    throw notFound(messages[result], { context: { callbackId: [callbackId] } });
  });

  return router;
}
