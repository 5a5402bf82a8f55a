import type { z } from 'zod';
import { AppError, type ErrorCode, type ErrorDetail } from '../errors.js';

type Where = 'body' | 'query' | 'params';
const codeFor: Record<Where, ErrorCode> = { body: 'invalid_body', query: 'invalid_query', params: 'invalid_params' };
const messageFor: Record<Where, string> = {
  body: 'Request body is invalid',
  query: 'Query parameters are invalid',
  params: 'Path parameters are invalid',
};

/** Converts zod issues to the wire's `details`, every issue kept. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Parses `input` with `schema` and returns the typed value; never writes back to `req`
 * (in Express 5 `req.query` is a getter).
 * @throws AppError invalid_body | invalid_query | invalid_params with every issue as details.
 */
export function validate<S extends z.ZodType>(where: Where, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError(codeFor[where], messageFor[where], { details: zodDetails(result.error) });
  return result.data;
}
