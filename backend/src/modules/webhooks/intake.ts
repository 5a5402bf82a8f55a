// Intake of a signed batch, event by event. HubSpot retries a batch we refuse for about 24 hours and
// then drops every event in it, so one event we cannot take must never cost its neighbours: each
// element is validated on its own, valid events are stored as usual, and each refused one is stored
// too, as a dead inbox row with its reason and its text exactly as received (visible in the
// troubleshooting panel and `GET /api/v1/webhook-events?status=dead`). Only a body that is not a
// JSON array (or too big a batch) is refused whole.
//
// verify (the route's signature check) → validate (`readBatch`) → store (`acceptBatch`): the whole
// batch in one INSERT … ON CONFLICT DO NOTHING (one array per column), shared with the batches of
// requests arriving meanwhile (inbox-group-commit.ts), and the route answers 200 only after it
// committed. No job per event: the inbox is the queue, and one wake-up after each commit tells the
// processors (inbox-drain.ts).
import { AppError } from '../../platform/errors.js';
import { MAX_STORED_DEPTH } from '../../platform/http/text.js';
import { zodDetails } from '../../platform/http/validate.js';
import type { InboxWriter } from './inbox-group-commit.js';
import { acceptedRow, portalOf, refusedRow } from './inbox-rows.js';
import type { ProcessingDeps } from './recovery.js';
import { organizationOf } from './route-portal.js';
import { processTakeoversNow } from './takeover-fast-path.js';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import { wakeProcessors } from './recovery.js';
import { checkEvent, type CheckedEvent } from './check-event.js';
import { WEBHOOK_MAX_BATCH, webhookBatchSchema } from './webhooks.schemas.js';

// Strict UTF-8 (a malformed byte is an error, not U+FFFD). Decoding without `stream` keeps no state
// between calls, so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A batch read from the bytes HubSpot sent: each element checked, with its own text. */
export interface ReadBatch {
  events: (CheckedEvent & { text: string })[];
}

/**
 * Reads a signed webhook body: UTF-8 JSON, an array of at most 100 elements.
 * @param raw the bytes received (the signature already passed)
 * @returns every element, checked on its own
 * @throws AppError invalid_body when the body is not a JSON array, or holds more than 100 elements
 */
export function readBatch(raw: Buffer): ReadBatch {
  let text: string;
  let parsed: unknown;
  try {
    text = UTF8.decode(raw);
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_body', 'Request body is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new AppError('invalid_body', 'Request body is invalid', { details: [{ path: '', message: 'must be a JSON array of events' }] });
  // The schema only for its refusal (its details), as any array within the limit passes it.
  if (parsed.length > WEBHOOK_MAX_BATCH) {
    const batch = webhookBatchSchema.safeParse(parsed);
    if (!batch.success) throw new AppError('invalid_body', 'Request body is invalid', { details: zodDetails(batch.error) });
  }
  const { texts, plain } = splitElements(text);
  // The splitter reads only what JSON.parse accepted; should it ever disagree, the re-serialised form
  // is kept, and every element gets the full storable-text walk.
  const agree = texts.length === parsed.length;
  const events = new Array<ReadBatch['events'][number]>(parsed.length);
  for (let i = 0; i < parsed.length; i++) {
    const value: unknown = parsed[i];
    const checked = checkEvent(value, agree && plain[i] === true);
    const elementText = agree ? (texts[i] as string) : (JSON.stringify(value) ?? 'null');
    events[i] = checked.ok ? { ok: true, event: checked.event, raw: value, text: elementText } : { ok: false, reason: checked.reason, raw: value, text: elementText };
  }
  return { events };
}

/**
 * The text of each element of a JSON array, exactly as written (no re-serialisation).
 * @param json text that JSON.parse accepted as an array
 */
export function splitJsonArray(json: string): string[] {
  return splitElements(json).texts;
}

/**
 * {@link splitJsonArray}, and for each element whether it is storable by its text alone: no `\u`
 * escape in any of its strings (keys included) and nested no deeper than MAX_STORED_DEPTH. A NUL
 * or an unpaired surrogate can only be written as a `\u` escape in text that decoded as strict
 * UTF-8 and that JSON.parse accepted (which refuses raw control characters), so such an element
 * needs no storable-text walk after parsing; any other element gets the walk.
 * @param json text that JSON.parse accepted as an array
 */
export function splitElements(json: string): { texts: string[]; plain: boolean[] } {
  // Character codes, not one-character strings: this walks every character of every request.
  const isSpace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;
  const n = json.length;
  let i = 0;
  while (isSpace(json.charCodeAt(i))) i++;
  if (json.charCodeAt(i) !== OPEN_ARRAY) return { texts: [], plain: [] };
  i++;
  while (isSpace(json.charCodeAt(i))) i++;
  const out: string[] = [];
  const plain: boolean[] = [];
  if (json.charCodeAt(i) === CLOSE_ARRAY) return { texts: out, plain };
  while (i < n) {
    const start = i;
    let depth = 0;
    let deepest = 0;
    let escaped = false;
    let inString = false;
    for (; i < n; i++) {
      const c = json.charCodeAt(i);
      if (inString) {
        if (c === BACKSLASH) escaped = json.charCodeAt(++i) === LOWER_U || escaped;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) deepest = Math.max(deepest, ++depth);
      else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && depth-- === 0) break;
      else if (c === COMMA && depth === 0) break;
    }
    let end = i;
    while (end > start && isSpace(json.charCodeAt(end - 1))) end--;
    out.push(json.slice(start, end));
    plain.push(!escaped && deepest <= MAX_STORED_DEPTH);
    if (json.charCodeAt(i) !== COMMA) break;
    i++;
    while (isSpace(json.charCodeAt(i))) i++;
  }
  return { texts: out, plain };
}

// ' ' '\t' '\n' '\r' '"' '\\' ',' 'u' '[' ']' '{' '}'
const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, LOWER_U = 0x75;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

/** Result of an intake. */
export interface IntakeResult {
  received: number;
  /** Valid events newly stored. */
  stored: number;
  /** Events refused at intake, newly stored as dead rows. */
  refused: number;
  duplicates: number;
}

/**
 * Stores a batch, atomically: each valid event (duplicates skipped), each refused event as a dead
 * row with its reason and text; then wakes the processors. Takeovers of active conversations are
 * processed at once, after the answer (takeover-fast-path.ts).
 * @param deps.inbox the process's writer, which shares one insert among concurrent requests and wakes the processors after it
 * @throws AppError service_unavailable when they could not be stored (HubSpot will retry)
 */
export async function acceptBatch(deps: ProcessingDeps & { inbox: InboxWriter }, batch: ReadBatch): Promise<IntakeResult> {
  const accepted: Extract<ReadBatch['events'][number], { ok: true }>[] = [];
  const refused: Extract<ReadBatch['events'][number], { ok: false }>[] = [];
  for (const c of batch.events) {
    if (c.ok) accepted.push(c);
    else refused.push(c);
  }
  if (batch.events.length === 0) return { received: 0, stored: 0, refused: 0, duplicates: 0 };
  let ids: number[];
  let refusedIds: number[];
  try {
    // A refused event is filed under its portal's organization when it names one, so the
    // organization sees it where it sees its other dead events. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-18
    const organizations = new Map<number, string | null>();
    for (const portalId of new Set(refused.flatMap((r) => portalOf(r.raw) ?? []))) {
      organizations.set(portalId, (await organizationOf(deps, portalId)) ?? null);
    }
    const rows = accepted.map((c) => acceptedRow(c.event, c.raw));
    // The usual batch goes through the shared insert (which wakes the processors after it); refused
    // events join their batch in a transaction of its own.
    [ids, refusedIds] =
      refused.length === 0
        ? [await deps.inbox.insert(rows), []]
        : await deps.db.transaction().execute(async (trx) => [
            await queue.insertAccepted(trx, rows),
            await queue.insertRefused(trx, refused.map((r) => refusedRow(r, organizations.get(portalOf(r.raw) ?? 0) ?? null))),
          ]);
  } catch (err) {
    // Never 200 for something not stored: HubSpot retries non-2xx answers.
    throw new AppError('service_unavailable', 'Webhook events could not be stored; retry later', { cause: err });
  }
  if (refusedIds.length > 0) {
    deps.metrics.webhookDeadEvents.inc(refusedIds.length);
    // Reasons name fields, never values (a value may be personal data).
    deps.log.warn({ refused: refusedIds.length, reasons: refused.map((r) => r.reason.slice(0, 200)) }, 'webhook events refused at intake; kept as dead inbox rows');
  }
  if (ids.length > 0) {
    if (refused.length > 0) wakeProcessors(deps);
    void processTakeoversNow(deps, accepted.map((c) => c.event));
  }
  return { received: batch.events.length, stored: ids.length, refused: refusedIds.length, duplicates: batch.events.length - ids.length - refusedIds.length };
}
