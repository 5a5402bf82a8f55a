// zod at the edge, failing the way HubSpot does: a 400 VALIDATION_ERROR whose `errors` name each
// invalid field (`in`, HubSpot's `ErrorDetail` field for "the field or parameter in which the error
// was found"). The control API uses the same helper with its own (strict) schemas.
import type { z } from 'zod';
import { validationError } from './errors.js';

/**
 * Parses input or throws HubSpot's validation error.
 * @param schema the zod schema
 * @param input the untrusted value
 * @param what what is being parsed, for the message (`request body`, `query`)
 * @returns the typed value
 * @throws HttpError 400 VALIDATION_ERROR listing every issue
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = 'request body'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    message: issue.message,
    code: issue.code,
    in: issue.path.join('.') || '(root)',
    context: { path: [issue.path.join('.') || '(root)'] },
  }));
  const summary = errors.map((e) => `${e.context.path[0]}: ${e.message}`).join('; ');
  throw validationError(`Invalid input in ${what}: ${summary}`, { errors });
}

/** Reads a query value that may be repeated or comma-separated into a list (`properties=a,b&properties=c`). */
export function listParam(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return parts
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Reads a single query string value (the first when repeated). */
export function stringParam(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * Reads a numeric path or query id.
 * @throws HttpError 400 when it is not a positive integer
 */
export function idParam(value: unknown, name: string): number {
  const text = stringParam(value) ?? '';
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw validationError(`${name} must be a numeric id, got "${text}"`);
  return id;
}

/**
 * Reads a `limit` query value within HubSpot's bounds.
 * @throws HttpError 400 when it is not an integer in 1..max
 */
export function limitParam(value: unknown, fallback: number, max: number): number {
  const text = stringParam(value);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw validationError(`limit must be an integer between 1 and ${max}`);
  return n;
}

/**
 * Reads an `after` paging cursor (an offset here).
 * @throws HttpError 400 when it is not a non-negative integer
 */
export function afterParam(value: unknown): number {
  const text = stringParam(value) ?? (typeof value === 'number' ? String(value) : undefined);
  if (text === undefined || text === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw validationError(`after must be a paging cursor returned by a previous call, got "${text}"`);
  return n;
}
