// Test support only (imported by *.test.ts): a throwaway HTTP server on port 0 that records every request
// with its raw bytes and answers as the test scripts it, plus a bounded poller. Real sockets, no mocks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as requested. */
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  /** Requests open at the moment this one arrived (itself included). */
  concurrent: number;
}

/** How to answer one request. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Hold the answer this long (real ms). */
  delayMs?: number;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  requests: ReceivedRequest[];
  /** Most requests open at once so far. */
  maxConcurrent(): number;
  /** Replaces the script; `index` counts requests from 0. */
  respond(script: (req: ReceivedRequest, index: number) => ScriptedResponse): void;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1, port 0.
 * @param script how to answer; 200 `{}` by default
 * @returns the receiver
 */
export async function startReceiver(script: (req: ReceivedRequest, index: number) => ScriptedResponse = () => ({})): Promise<Receiver> {
  let current = script;
  let open = 0;
  let max = 0;
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    open += 1;
    max = Math.max(max, open);
    const concurrent = open;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        concurrent,
      };
      const index = requests.length;
      requests.push(received);
      const answer = current(received, index);
      const finish = () => {
        open -= 1;
        if (res.destroyed) return;
        const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          ...(answer.body !== undefined && typeof answer.body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
          ...answer.headers,
        });
        res.end(body);
      };
      if (answer.delayMs === undefined) finish();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          finish();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxConcurrent: () => max,
    respond(next) {
      current = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Polls until `check` returns a truthy value or the deadline passes (never a blind sleep).
 * @param check returns the value once the condition holds
 * @param timeoutMs deadline
 * @returns the value
 * @throws Error with `message` when the deadline passes
 */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 5000, message = 'condition not met'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`eventually: ${message} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
