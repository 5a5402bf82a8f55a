// Control routes of the webhook sender, under /_emulator/webhooks: delivery log, counters, knobs,
// retry-now, flush (wait until everything is delivered or dropped) and publishing a change by hand.
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ControlError, controlErrorHandler, parseInput as parse } from '../outbound/control-errors.js';
import type { CrmChange, WebhookKnobs, WebhookSender } from './types.js';

const knobsSchema = z
  .object({
    duplicate: z.boolean(),
    reorder: z.boolean(),
    paused: z.boolean(),
    maxBatchSize: z.number().int().min(1).max(100),
    timeoutMs: z.number().positive().max(600_000),
    maxRetries: z.number().int().min(0).max(50),
    retryBaseMs: z.number().min(0).max(86_400_000),
  })
  .partial()
  .strict();

const flushSchema = z.object({ timeoutMs: z.number().int().positive().max(600_000).optional() }).strict();

const changeSchema = z
  .object({
    portalId: z.number().int().positive(),
    subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/),
    objectId: z.number().int().nonnegative(),
    occurredAt: z.number().int().nonnegative(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    changeSource: z.string().optional(),
    sourceId: z.string().optional(),
    messageId: z.string().optional(),
    messageType: z.string().optional(),
    objectTypeId: z.string().optional(),
  })
  .strict();

const portalQuerySchema = z.object({ portalId: z.coerce.number().int().positive().optional() });

/**
 * Control routes for one webhook sender; mount at the app root (paths are absolute).
 * @param sender the sender to drive
 * @returns an Express router serving `/_emulator/webhooks/*`
 */
export function createWebhookControlRouter(sender: WebhookSender): Router {
  const router = Router();
  const json = express.json({ limit: '1mb' });

  router.get('/_emulator/webhooks/deliveries', (req: Request, res: Response) => {
    const { portalId } = parse(portalQuerySchema, req.query, 'invalid_query');
    const deliveries = sender.deliveries().filter((d) => portalId === undefined || d.portalId === portalId);
    res.json({ deliveries, counters: sender.counters() });
  });

  router.get('/_emulator/webhooks/events', (req: Request, res: Response) => {
    const { portalId } = parse(portalQuerySchema, req.query, 'invalid_query');
    res.json({ events: sender.events().filter((e) => portalId === undefined || e.portalId === portalId) });
  });

  router.get('/_emulator/webhooks/counters', (_req: Request, res: Response) => {
    res.json(sender.counters());
  });

  router.get('/_emulator/webhooks/knobs', (_req: Request, res: Response) => {
    res.json(sender.knobs());
  });

  router.post('/_emulator/webhooks/knobs', json, (req: Request, res: Response) => {
    const patch = parse(knobsSchema, req.body ?? {}, 'invalid_body') as Partial<WebhookKnobs>;
    res.json(sender.setKnobs(patch));
  });

  router.post('/_emulator/webhooks/pause', (_req: Request, res: Response) => {
    res.json(sender.setKnobs({ paused: true }));
  });

  router.post('/_emulator/webhooks/resume', (_req: Request, res: Response) => {
    res.json(sender.setKnobs({ paused: false }));
  });

  router.post('/_emulator/webhooks/publish', json, (req: Request, res: Response) => {
    const change = parse(changeSchema, req.body, 'invalid_body') as CrmChange;
    const before = sender.counters().eventsCreated;
    sender.publish(change);
    res.status(202).json({ eventsCreated: sender.counters().eventsCreated - before });
  });

  // Sends every batch that waits for a retry now (the backoff grows past a test's patience).
  router.post('/_emulator/webhooks/retry-now', (_req: Request, res: Response) => {
    res.json({ retried: sender.retryNow(), counters: sender.counters() });
  });

  // Cuts pending batches now, then waits (bounded) until nothing is queued, retrying or in flight.
  router.post('/_emulator/webhooks/flush', json, async (req: Request, res: Response) => {
    const { timeoutMs = 30_000 } = parse(flushSchema, req.body ?? {}, 'invalid_body');
    sender.flushPending();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    const idle = await Promise.race([sender.idle().then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (!idle) {
      throw new ControlError(504, 'webhooks_not_idle', `deliveries still pending after ${timeoutMs} ms`, sender.counters());
    }
    res.json({ idle: true, counters: sender.counters() });
  });

  router.use('/_emulator/webhooks', controlErrorHandler);
  return router;
}
