// What the emulator answers for a HubSpot path it does not serve: a HubSpot-shaped 404, logged loudly
// so a gap in the emulator shows up in the test output instead of passing silently.
import type { Request } from 'express';
import { notFound, type HttpError } from './errors.js';

/**
 * Logs and builds the 404 for an unserved route.
 * @param req the request
 * @param warn where the loud line goes
 * @returns the error to throw
 */
export function unknownRoute(req: Request, warn: (message: string) => void): HttpError {
  warn(`[emulator] NOT EMULATED: ${req.method} ${req.originalUrl.split('?')[0] ?? ''} -> 404. Add it to the emulator if the backend needs it.`);
  return notFound(`The emulator does not serve ${req.method} ${req.path}`, { subCategory: 'EMULATOR_UNKNOWN_ROUTE' });
}
