// Checks every request the backend sends against HubSpot's published API reference (operations.ts,
// models.ts) and records what does not match: an endpoint the reference does not have, a query
// parameter the operation does not take or of the wrong type, a body that breaks the operation's
// model. Only the backend's requests are checked (it sends `User-Agent: Switchboard/…`): tests and
// HubSpot's own SDK also call the emulator, some of them wrong on purpose. The test suite fails a
// test file whose emulators recorded a violation (test/support/conformance-check.ts); a spawned
// emulator prints each violation with a fixed marker so the same check finds it in its output.
import type { Request, RequestHandler } from 'express';
import { findOperation, type QueryKind } from './operations.js';

/** How the backend introduces itself; anything else is not checked. */
export const BACKEND_USER_AGENT_PREFIX = 'Switchboard/';

/** What a spawned emulator prints before each violation. */
export const VIOLATION_MARKER = '[emulator] CONFORMANCE VIOLATION';

/** One request that does not match the reference. */
export interface Violation {
  method: string;
  path: string;
  rule: 'unknown_endpoint' | 'query' | 'body';
  /** What is wrong, naming fields and parameters (never their values). */
  detail: string;
}

/** The violations one emulator recorded. */
export interface ConformanceRecorder {
  /** Checks one request (method, path with query, parsed body) and returns what is wrong. */
  check(req: { method: string; url: string; body: unknown; hasBody: boolean; form: boolean }): Violation[];
  /** Everything recorded since the start or the last clear. */
  violations(): Violation[];
  /** Forgets what was recorded (a test that sends a bad request on purpose). */
  clear(): void;
  /** Express middleware recording the backend's requests once they are answered. */
  readonly middleware: RequestHandler;
}

const recorders = new Set<{ url: () => string; recorder: ConformanceRecorder }>();

/** Every violation of every emulator created in this process (or test file), with its emulator. */
export function allRecordedViolations(): (Violation & { emulator: string })[] {
  return [...recorders].flatMap((r) => r.recorder.violations().map((v) => ({ ...v, emulator: r.url() })));
}

/**
 * Builds one emulator's recorder and registers it for {@link allRecordedViolations}.
 * @param deps `warn` prints each violation with {@link VIOLATION_MARKER}; `url` names the emulator
 */
export function createConformanceRecorder(deps: { warn: (message: string) => void; url: () => string }): ConformanceRecorder {
  const recorded: Violation[] = [];
  const recorder: ConformanceRecorder = {
    check: checkRequest,
    violations: () => [...recorded],
    clear() {
      recorded.length = 0;
    },
    middleware(req, res, next) {
      if (req.path.startsWith('/_emulator') || !(req.get('user-agent') ?? '').startsWith(BACKEND_USER_AGENT_PREFIX)) return next();
      // Read now: mounted routers rewrite req.url while they handle the request.
      const { method, originalUrl } = req;
      res.on('finish', () => {
        const found = checkRequest({ method, url: originalUrl, body: req.body as unknown, hasBody: hasBody(req), form: isForm(req) });
        for (const v of found) {
          recorded.push(v);
          deps.warn(`${VIOLATION_MARKER}: ${v.method} ${v.path} (${v.rule}) ${v.detail}`);
        }
      });
      next();
    },
  };
  recorders.add({ url: deps.url, recorder });
  return recorder;
}

function checkRequest(req: { method: string; url: string; body: unknown; hasBody: boolean; form: boolean }): Violation[] {
  const url = new URL(req.url, 'http://emulator');
  const path = url.pathname;
  const base = { method: req.method.toUpperCase(), path };
  const op = findOperation(req.method, path);
  if (!op) return [{ ...base, rule: 'unknown_endpoint', detail: 'HubSpot\'s API reference has no such operation' }];
  const out: Violation[] = [];
  for (const [name, value] of url.searchParams) {
    const kind = op.query?.[name];
    if (!kind) out.push({ ...base, rule: 'query', detail: `query parameter "${name}" is not defined for this operation` });
    else if (!valueFits(kind, value)) out.push({ ...base, rule: 'query', detail: `query parameter "${name}" must be ${kind === 'list' ? 'a string list' : `a ${kind}`}` });
  }
  const model = op.json ?? op.form;
  if (!model) {
    if (req.hasBody) out.push({ ...base, rule: 'body', detail: 'this operation takes no request body' });
    return out;
  }
  if ((op.form !== undefined) !== req.form && req.hasBody) out.push({ ...base, rule: 'body', detail: `the body must be ${op.form ? 'form-encoded' : 'JSON'}` });
  const parsed = model.safeParse(req.body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path.join('.') || '(body)';
      out.push({ ...base, rule: 'body', detail: `${at}: ${issue.message}` });
    }
  }
  return out;
}

function valueFits(kind: QueryKind, value: string): boolean {
  if (kind === 'integer') return /^-?\d+$/.test(value);
  if (kind === 'boolean') return value === 'true' || value === 'false';
  return true;
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

function isForm(req: Request): boolean {
  return (req.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}
