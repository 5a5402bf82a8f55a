// Set-based work of a batch, so its events do not each make their own round trips:
// - before the transaction, the conversations linked to the records whose handler reads them first
//   (a record created, a reply) are read in one statement, and `findByRecord` answers from it;
// - in the transaction, before the first event is applied, the conversations linked to the records
//   of the property changes are locked in one statement, and the watermarks of the whole batch are
//   locked and advanced in two. Each event's handler then decides from memory: a stale event or a
//   record with no linked conversation (most of a portal's traffic) costs no statement at all.
// The result equals applying the events one by one in id order: the watermark rows and the linked
// conversations are locked before anything is decided from them, and nothing in a batch links a
// conversation to a record (its handlers only pause, record statuses and unlink).
import type { Conversation, RecordSet } from '../conversations/conversations.service.js';
import { normalisedType } from './handle-event.js';
import type { BatchView, HandlerDeps } from './handler.js';
import { watermarkOf } from './property-change.js';
import { webhooksRepository as repo, watermarkId, type InboxEvent, type WatermarkKey } from './webhooks.repository.js';
import type { Trx } from './webhooks.ports.js';

/** An event of the batch with the organization it is routed to. */
export interface Routed {
  event: InboxEvent;
  organizationId: string;
}

/** Thrown when the pre-pass cannot decide (a watermark row appeared meanwhile): the batch goes event by event. */
export class UndecidedBatch extends Error {
  constructor() {
    super('a watermark of the batch was written by another transaction meanwhile');
  }
}

// Types whose `read` looks up the record's linked conversations before any HubSpot call.
const READS_LINKS: Record<string, 'ticketId' | 'threadId'> = { 'ticket.creation': 'ticketId', 'conversation.creation': 'threadId', 'conversation.newMessage': 'threadId' };

/**
 * Handler dependencies whose `findByRecord` answers, for the batch's records created and replied
 * to, from one statement made now. A failed read leaves the handlers to read one by one.
 */
export async function withLinksRead(deps: HandlerDeps, routed: readonly Routed[]): Promise<HandlerDeps> {
  const sets = recordSets(routed, (type) => READS_LINKS[type]);
  if (sets.length === 0) return deps;
  let found: Conversation[];
  try {
    found = await deps.conversations.findByRecords(sets);
  } catch {
    return deps;
  }
  const index = indexLinks(sets, found);
  const findByRecord: HandlerDeps['conversations']['findByRecord'] = async (organizationId, filter, opts = {}) => {
    const keys = Object.keys(filter);
    const kind = keys.length === 1 && (keys[0] === 'ticketId' || keys[0] === 'threadId') ? keys[0] : undefined;
    const list = kind && !opts.trx ? index.get(linkId(organizationId, kind, filter[kind]!)) : undefined;
    if (!list) return deps.conversations.findByRecord(organizationId, filter, opts);
    // As the repository orders and limits them.
    const sorted = [...list].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return sorted.slice(0, opts.limit ?? 100);
  };
  return { ...deps, conversations: { ...deps.conversations, findByRecord } };
}

/**
 * The pre-pass of a batch's first try, in its transaction: locks the conversations linked to the
 * records of its property changes, then locks and advances the watermarks of all its events.
 * @param routed the events that will be applied, in id order
 * @throws UndecidedBatch when a watermark row appeared between the two statements
 */
export async function prepareBatchView(trx: Trx, deps: HandlerDeps, routed: readonly Routed[]): Promise<BatchView> {
  const marked = routed.flatMap((r) => {
    const mark = r.event.objectId === null ? undefined : watermarkOf(normalisedType(r.event), { ...r.event, objectId: r.event.objectId });
    return mark ? [{ ...r, ...mark, id: watermarkId(mark.key) }] : [];
  });
  const sets = recordSets(marked, (type) => (type === 'ticket.propertyChange' ? 'ticketId' : type === 'conversation.propertyChange' ? 'threadId' : undefined));
  const links = indexLinks(sets, sets.length > 0 ? await deps.conversations.findByRecords(sets, { trx, lock: true }) : []);
  const fresh = await decideWatermarks(trx, marked);
  return {
    fresh: (inboxId) => fresh.get(inboxId),
    linked: (organizationId, filter) => {
      const key = 'ticketId' in filter ? linkId(organizationId, 'ticketId', filter.ticketId) : linkId(organizationId, 'threadId', filter.threadId);
      const list = links.get(key);
      return list ? list.length > 0 : undefined;
    },
  };
}

// Each event's staleness, as if each had advanced its watermark in turn (a change is applied when
// it is newer than the last one applied): the stored rows are locked and read, then one row per key
// (the newest change of the batch, the first of equals) is written.
async function decideWatermarks(trx: Trx, marked: readonly { event: InboxEvent; key: WatermarkKey; value: string | null; id: string }[]): Promise<Map<number, boolean>> {
  const byKey = new Map<string, typeof marked>();
  for (const m of marked) byKey.set(m.id, [...(byKey.get(m.id) ?? []), m]);
  const keys = [...byKey.values()].map((list) => list[0]!.key);
  const stored = await repo.lockWatermarks(trx, keys);
  // In key order, as they were locked: two batches inserting the same new keys never deadlock.
  const newest = [...byKey.values()].map((list) => list.reduce((a, b) => (b.event.occurredAt > a.event.occurredAt ? b : a))).sort((a, b) => compareKeys(a.key, b.key));
  const written = await repo.advanceWatermarks(trx, newest.map((m) => ({ ...m.key, occurredAt: m.event.occurredAt, value: m.value })));
  const fresh = new Map<number, boolean>();
  for (const [id, list] of byKey) {
    const before = stored.get(id);
    const write = written.get(id);
    // A row neither locked nor inserted by this statement was inserted by another transaction since
    // the lock: its previous value is unknown, so the batch is applied event by event instead.
    if (!before && write && !write.inserted) throw new UndecidedBatch();
    // Not written although no row was seen: another transaction's row holds a change at least as new as all of these.
    let last = before ? before.getTime() : write ? -Infinity : Infinity;
    for (const m of list) {
      const at = m.event.occurredAt.getTime();
      fresh.set(m.event.id, at > last);
      if (at > last) last = at;
    }
  }
  return fresh;
}

function compareKeys(a: WatermarkKey, b: WatermarkKey): number {
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return a.portalId - b.portalId || text(a.objectType, b.objectType) || a.objectId - b.objectId || text(a.propertyName, b.propertyName);
}

function linkId(organizationId: string, kind: 'ticketId' | 'threadId', recordId: number): string {
  return `${organizationId}:${kind}:${recordId}`;
}

// The records to look up, per organization.
function recordSets(routed: readonly Routed[], kindOf: (type: string) => 'ticketId' | 'threadId' | undefined): RecordSet[] {
  const byOrg = new Map<string, { ticketIds: Set<number>; threadIds: Set<number> }>();
  for (const { event, organizationId } of routed) {
    const kind = kindOf(normalisedType(event));
    if (!kind || event.objectId === null) continue;
    const set = byOrg.get(organizationId) ?? { ticketIds: new Set(), threadIds: new Set() };
    (kind === 'ticketId' ? set.ticketIds : set.threadIds).add(event.objectId);
    byOrg.set(organizationId, set);
  }
  return [...byOrg].map(([organizationId, s]) => ({ organizationId, ticketIds: [...s.ticketIds], threadIds: [...s.threadIds] }));
}

// The conversations found, by record looked up (a record with none maps to an empty list).
function indexLinks(sets: readonly RecordSet[], found: readonly Conversation[]): Map<string, Conversation[]> {
  const index = new Map<string, Conversation[]>();
  for (const s of sets) {
    for (const id of s.ticketIds) index.set(linkId(s.organizationId, 'ticketId', id), []);
    for (const id of s.threadIds) index.set(linkId(s.organizationId, 'threadId', id), []);
  }
  for (const c of found) {
    if (c.ticketId !== null) index.get(linkId(c.organizationId, 'ticketId', c.ticketId))?.push(c);
    if (c.threadId !== null) index.get(linkId(c.organizationId, 'threadId', c.threadId))?.push(c);
  }
  return index;
}
