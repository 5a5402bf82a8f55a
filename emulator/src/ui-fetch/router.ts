// Control routes that stand in for a card's `hubspot.fetch`: POST /_emulator/fetch sends the request
// as HubSpot would and answers what the card would see; GET/DELETE /_emulator/fetch/requests read and
// clear the log of requests sent.
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { controlErrorHandler, parseInput } from '../outbound/control-errors.js';
import { createUiFetchProxy, UI_FETCH_LIMITS } from './proxy.js';
import type { UiFetchProxy, UiFetchProxyOptions, UiFetchRequest } from './proxy.js';

export type { UiFetchProxy, UiFetchRequest, UiFetchResponse, UiFetchLogEntry } from './proxy.js';

/** Options of {@link createUiFetchRouter}. */
export type UiFetchOptions = UiFetchProxyOptions;

/** The body of POST /_emulator/fetch: what `hubspot.fetch` was asked for, and who asked. */
export const fetchSchema = z
  .object({
    url: z.string().min(1),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']).optional(),
    body: z.unknown().optional(),
    // The docs allow no custom headers; the dev proxy lets a single Authorization header through.
    headers: z.object({ Authorization: z.string().optional() }).strict().optional(),
    portalId: z.number().int().positive(),
    userId: z.number().int().positive(),
    userEmail: z.string().min(3),
    appId: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().max(UI_FETCH_LIMITS.maxTimeoutMs).optional(),
    // Off by default, like HubSpot's dev proxy: the card's own URL carries the identity.
    appendIdentity: z.boolean().optional(),
  })
  .strict();

/**
 * The hubspot.fetch stand-in and its router, for callers that also need the request log.
 * @param opts client secret, app id, permitted origins (`permittedUrls.fetch`) and clock
 * @returns the proxy and a router serving `/_emulator/fetch*` (absolute paths)
 */
export function createUiFetch(opts: UiFetchOptions): { proxy: UiFetchProxy; router: Router } {
  const proxy = createUiFetchProxy(opts);
  const router = Router();

  router.post('/_emulator/fetch', express.json({ limit: '2mb' }), async (req: Request, res: Response) => {
    const input = parseInput(fetchSchema, req.body, 'invalid_body') as UiFetchRequest;
    res.json(await proxy.send(input));
  });

  router.get('/_emulator/fetch/requests', (_req: Request, res: Response) => {
    res.json({ requests: proxy.requests() });
  });

  router.delete('/_emulator/fetch/requests', (_req: Request, res: Response) => {
    proxy.reset();
    res.status(204).end();
  });

  router.use('/_emulator/fetch', controlErrorHandler);
  return { proxy, router };
}

/**
 * POST /_emulator/fetch: sends a request the way `hubspot.fetch` does and answers `{ status, headers, body }`.
 * Adds no query parameters unless the body says `appendIdentity: true`.
 * @param opts client secret, app id, permitted origins (`permittedUrls.fetch`) and clock
 * @returns an Express router (absolute paths; mount at the root)
 */
export function createUiFetchRouter(opts: UiFetchOptions): Router {
  return createUiFetch(opts).router;
}
