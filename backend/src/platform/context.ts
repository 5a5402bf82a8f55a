import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request or per-job values that every log line carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  portalId?: number;
  organizationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` as the current log context (nested calls inherit and extend it). */
export function runWithContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

/** Adds fields to the current context in place (no-op outside a context). */
export function setContextFields(fields: Partial<LogContext>): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** The current log context, or an empty object. */
export function currentContext(): LogContext {
  return storage.getStore() ?? {};
}
