// Counters and the request log: what tests read back to assert how the backend used "HubSpot".
import type { StateContext } from './store.js';
import type { PortalCounters, RequestLogEntry } from './types.js';

// Keeps memory bounded in long local runs; tests read far fewer entries.
const maxLogEntries = 10_000;

/** Adds one to a portal's counter. */
export function bumpCounter(ctx: StateContext, portalId: number, counter: keyof PortalCounters): void {
  const counters = ctx.data.counters.get(portalId) ?? { tokenExchanges: 0, codeExchanges: 0, refreshes: 0, apiCalls: 0, rateLimited: 0 };
  counters[counter] += 1;
  ctx.data.counters.set(portalId, counters);
}

/** All counters keyed by portal id (as a string, JSON-friendly). */
export function countersByPortal(ctx: StateContext): Record<string, PortalCounters> {
  return Object.fromEntries([...ctx.data.counters.entries()].map(([id, c]) => [String(id), { ...c }]));
}

/** Appends to the request log, dropping the oldest entries beyond the cap. */
export function logRequest(ctx: StateContext, entry: Omit<RequestLogEntry, 'seq'>): void {
  const log = ctx.data.requestLog;
  const seq = (log.at(-1)?.seq ?? 0) + 1;
  log.push({ seq, ...entry });
  if (log.length > maxLogEntries) log.splice(0, log.length - maxLogEntries);
}
