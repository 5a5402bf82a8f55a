// One outbound HTTP call with a hard deadline, as HubSpot makes them: the deadline covers the whole
// exchange (headers and body), and every failure mode comes back as data, never as a throw, so the
// callers (webhooks, workflow actions, hubspot.fetch) can log it and decide whether to retry.
import { performance } from 'node:perf_hooks';

/** A request to send. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Exact bytes to send; omitted for GET. */
  body?: string;
  /** Real milliseconds before the attempt counts as timed out. */
  timeoutMs: number;
  /** Aborts the request early (emulator stop/reset). */
  signal?: AbortSignal;
}

/** What came back, or why nothing did. */
export type OutboundResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; text: string; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number }
  | { kind: 'aborted'; latencyMs: number }
  | { kind: 'connection_error'; message: string; latencyMs: number };

/**
 * Sends one request with Node's fetch, never following redirects (HubSpot treats a 3xx as an answer).
 * @param req URL, method, headers, body, deadline and an optional cancel signal
 * @returns the response with its body read, or a timeout / aborted / connection_error result
 */
export async function sendOutbound(req: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(req.timeoutMs)));
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: 'manual',
      signal,
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { kind: 'response', status: res.status, headers, text, latencyMs: latency() };
  } catch (error) {
    if (timeout.aborted) return { kind: 'timeout', latencyMs: latency() };
    if (req.signal?.aborted) return { kind: 'aborted', latencyMs: latency() };
    return { kind: 'connection_error', message: describeError(error), latencyMs: latency() };
  }
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds.
 * @param value the header value, if any
 * @param nowMs the current time, for the date form
 * @returns milliseconds to wait, or undefined when absent or unparseable
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

// undici wraps the socket error in `cause`; the outer message is only "fetch failed".
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
