import { z } from 'zod';
import type { HubSpotHttpResponse } from './http.js';

// HubSpot's error body (`Error` / `ErrorDetail` in its API reference): `errors[].in` is "the name of
// the field or parameter in which the error was found".
const errorDetailsSchema = z.object({ category: z.string().optional(), errors: z.array(z.object({ in: z.string().optional() })).optional() });

/**
 * The request fields a HubSpot 4xx names as wrong (none for other answers). A refusal that names a
 * field of our request is our bug, not the record's state: callers log it as an error and keep the
 * work for a retry after the fix instead of dropping it.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-6
 */
export function fieldsNamedInRefusal(res: HubSpotHttpResponse): string[] {
  if (res.status < 400 || res.status >= 500 || res.status === 429) return [];
  const body = errorDetailsSchema.safeParse(res.body);
  if (!body.success) return [];
  return [...new Set((body.data.errors ?? []).flatMap((e) => (e.in ? [e.in] : [])))];
}
