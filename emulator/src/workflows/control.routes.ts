// Control routes of the workflow engine: run an action (/_emulator/workflows/execute), load a field's
// options (/_emulator/workflows/options), read executions (/_emulator/executions).
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ControlError, controlErrorHandler, parseInput } from '../outbound/control-errors.js';
import type { ExecuteRequest, OptionsRequest, WorkflowEngine } from './types.js';

const executeSchema = z
  .object({
    portalId: z.number().int().positive(),
    actionUid: z.string().min(1),
    objectType: z.string().min(1),
    objectId: z.number().int().nonnegative(),
    inputFields: z.record(z.string(), z.unknown()).optional(),
    workflowId: z.number().int().positive().optional(),
    callbackId: z.string().min(1).optional(),
    /** false: answer 202 at once with the PENDING record instead of waiting for the outcome. */
    wait: z.boolean().optional(),
  })
  .strict();

const optionsSchema = z
  .object({
    portalId: z.number().int().positive(),
    actionUid: z.string().min(1),
    inputFieldName: z.string().min(1),
    objectTypeId: z.string().optional(),
    inputFields: z.record(z.string(), z.unknown()).optional(),
    fetchOptions: z.object({ q: z.string().optional(), after: z.string().optional() }).strict().optional(),
  })
  .strict();

const listQuerySchema = z.object({ portalId: z.coerce.number().int().positive().optional() });

/**
 * Control routes for one workflow engine; mount at the app root (paths are absolute).
 * @param engine the engine to drive
 * @returns an Express router
 */
export function createWorkflowControlRouter(engine: WorkflowEngine): Router {
  const router = Router();
  const json = express.json({ limit: '1mb' });

  router.post('/_emulator/workflows/execute', json, async (req: Request, res: Response) => {
    const { wait = true, ...input } = parseInput(executeSchema, req.body, 'invalid_body');
    const request = input as ExecuteRequest;
    if (wait) {
      res.json(await engine.execute(request));
      return;
    }
    // Validation runs synchronously inside execute(), so one turn of the event loop tells a refused
    // request (answered 4xx here) from one that is on its way to actionUrl.
    const before = engine.executions().length;
    let refused: unknown;
    const run = engine.execute(request);
    run.catch((error: unknown) => {
      refused = error;
    });
    await new Promise((resolve) => setImmediate(resolve));
    if (refused !== undefined) throw refused;
    const started = engine.executions()[before];
    if (started === undefined) throw new ControlError(500, 'server_error', 'execution did not start');
    res.status(202).json(started);
  });

  router.post('/_emulator/workflows/options', json, async (req: Request, res: Response) => {
    const input = parseInput(optionsSchema, req.body, 'invalid_body') as OptionsRequest;
    res.json(await engine.fetchOptions(input));
  });

  router.get('/_emulator/executions', (req: Request, res: Response) => {
    const { portalId } = parseInput(listQuerySchema, req.query, 'invalid_query');
    res.json({ executions: engine.executions(portalId === undefined ? {} : { portalId }) });
  });

  router.get('/_emulator/executions/:id', (req: Request, res: Response) => {
    const record = engine.execution(String(req.params.id));
    if (record === undefined) throw new ControlError(404, 'not_found', `No execution ${String(req.params.id)}`);
    res.json(record);
  });

  router.use(['/_emulator/workflows', '/_emulator/executions'], controlErrorHandler);
  return router;
}
