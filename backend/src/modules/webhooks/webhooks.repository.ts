import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { InboxStatus, WebhookEventRow } from './webhooks.table.js';

type Executor = Db | Transaction<Database>;

/** One inbox row as listed for troubleshooting: an event refused at intake may lack any key field. */
export interface InboxEntry {
  id: number;
  portalId: number | null;
  subscriptionType: string | null;
  objectId: number | null;
  eventId: number | null;
  occurredAt: Date | null;
  propertyName: string | null;
  propertyValue: string | null;
  /** A refused event's text as received; null for every event that was accepted. */
  rawEvent: string | null;
  organizationId: string | null;
  status: InboxStatus;
  outcome: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** One accepted webhook event, as processing reads it (the database guarantees its key fields). */
export interface InboxEvent extends InboxEntry {
  portalId: number;
  subscriptionType: string;
  eventId: number;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

function rowToEntry(row: WebhookEventRow): InboxEntry {
  return {
    id: row.id,
    portalId: row.portal_id,
    subscriptionType: row.subscription_type,
    objectId: row.object_id,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    propertyName: row.property_name,
    propertyValue: row.property_value,
    rawEvent: row.raw_event,
    organizationId: row.organization_id,
    status: row.status,
    outcome: row.outcome,
    attempts: row.attempts,
    lastError: row.last_error,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}

/** An accepted inbox row as processing reads it. @throws when the row was refused at intake */
export function rowToEvent(row: WebhookEventRow): InboxEvent {
  const { portal_id: portalId, subscription_type: subscriptionType, event_id: eventId, occurred_at: occurredAt, payload } = row;
  // Only rows refused at intake (never pending, never processed) lack these (webhook_events_complete_check).
  if (portalId === null || subscriptionType === null || eventId === null || occurredAt === null || payload === null) throw new Error(`inbox row ${row.id} was refused at intake and cannot be processed`);
  return { ...rowToEntry(row), portalId, subscriptionType, eventId, occurredAt, payload };
}

async function findEventById(db: Executor, id: number): Promise<InboxEvent | undefined> {
  const row = await db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToEvent(row) : undefined;
}

/**
 * Marks a pending event done (processed / ignored / unroutable / dead) with what happened. Only a
 * pending event changes, so a late failure of a duplicate job can never overwrite a finished one.
 */
async function updateEventOutcome(db: Executor, id: number, patch: { status: InboxStatus; outcome: string | null; organizationId?: string | null; lastError?: string | null; processed: boolean }): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      status: patch.status,
      outcome: patch.outcome,
      ...(patch.organizationId !== undefined ? { organization_id: patch.organizationId } : {}),
      ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
      ...(patch.processed ? { processed_at: sql`now()` } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

async function findEventsByOrganization(db: Executor, organizationId: string, opts: { status?: InboxStatus; afterId?: number; limit: number }): Promise<InboxEntry[]> {
  const rows = await db
    .selectFrom('webhook_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .$if(opts.status !== undefined, (q) => q.where('status', '=', opts.status as InboxStatus))
    .$if(opts.afterId !== undefined, (q) => q.where('id', '>', opts.afterId as number))
    .orderBy('id')
    .limit(opts.limit)
    .execute();
  return rows.map(rowToEntry);
}

/** An organization's newest inbox events, newest first (the connection page's troubleshooting panel). */
async function findRecentEventsByOrganization(db: Executor, organizationId: string, limit: number): Promise<InboxEntry[]> {
  const rows = await db.selectFrom('webhook_events').selectAll().where('organization_id', '=', organizationId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(rowToEntry);
}

/**
 * Applies an event to the stale-event guard: stores its `occurredAt` as the object's latest for that
 * property, unless a newer (or equally old) one was already applied.
 * @returns true when the event is the newest seen (apply it), false when stale (ignore it)
 */
async function advanceWatermark(
  trx: Transaction<Database>,
  key: { portalId: number; objectType: string; objectId: number; propertyName: string },
  occurredAt: Date,
  value: string | null,
): Promise<boolean> {
  const row = await trx
    .insertInto('webhook_watermarks')
    .values({ portal_id: key.portalId, object_type: key.objectType, object_id: key.objectId, property_name: key.propertyName, last_occurred_at: occurredAt, last_value: value })
    .onConflict((oc) =>
      oc
        .columns(['portal_id', 'object_type', 'object_id', 'property_name'])
        .doUpdateSet({ last_occurred_at: occurredAt, last_value: value })
        .where('webhook_watermarks.last_occurred_at', '<', occurredAt),
    )
    .returning('object_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The stale-event guard's key of one object's property. */
export interface WatermarkKey {
  portalId: number;
  objectType: string;
  objectId: number;
  propertyName: string;
}

/** One string per watermark key (for maps). */
export const watermarkId = (k: WatermarkKey) => `${k.portalId}:${k.objectType}:${k.objectId}:${k.propertyName}`;

/**
 * Locks the stored watermarks of these keys (in key order, so two batches never deadlock) and
 * returns each one's latest `occurredAt`, by {@link watermarkId}; a key with no row is absent.
 */
async function lockWatermarks(trx: Transaction<Database>, keys: readonly WatermarkKey[]): Promise<Map<string, Date>> {
  if (keys.length === 0) return new Map();
  const result = await sql<{ portal_id: string; object_type: string; object_id: string; property_name: string; last_occurred_at: Date }>`
    select w.portal_id, w.object_type, w.object_id, w.property_name, w.last_occurred_at from webhook_watermarks w
    join unnest(${keys.map((k) => k.portalId)}::bigint[], ${keys.map((k) => k.objectType)}::text[], ${keys.map((k) => k.objectId)}::bigint[], ${keys.map((k) => k.propertyName)}::text[])
      as k(portal_id, object_type, object_id, property_name) using (portal_id, object_type, object_id, property_name)
    order by w.portal_id, w.object_type, w.object_id, w.property_name
    for update of w`.execute(trx);
  return new Map(result.rows.map((r) => [watermarkId({ portalId: Number(r.portal_id), objectType: r.object_type, objectId: Number(r.object_id), propertyName: r.property_name }), r.last_occurred_at]));
}

/**
 * {@link advanceWatermark} for many keys in one statement (one row per key: the newest change of the
 * batch). @returns by {@link watermarkId}, the keys written: `inserted` true when the row is new
 */
async function advanceWatermarks(trx: Transaction<Database>, rows: readonly (WatermarkKey & { occurredAt: Date; value: string | null })[]): Promise<Map<string, { inserted: boolean }>> {
  if (rows.length === 0) return new Map();
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const result = await sql<{ portal_id: string; object_type: string; object_id: string; property_name: string; inserted: boolean }>`
    insert into webhook_watermarks as w (portal_id, object_type, object_id, property_name, last_occurred_at, last_value)
    select * from unnest(${col((r) => r.portalId)}::bigint[], ${col((r) => r.objectType)}::text[], ${col((r) => r.objectId)}::bigint[], ${col((r) => r.propertyName)}::text[],
      ${col((r) => r.occurredAt.toISOString())}::timestamptz[], ${col((r) => r.value)}::text[])
    on conflict (portal_id, object_type, object_id, property_name)
      do update set last_occurred_at = excluded.last_occurred_at, last_value = excluded.last_value where w.last_occurred_at < excluded.last_occurred_at
    returning w.portal_id, w.object_type, w.object_id, w.property_name, (w.xmax = 0) as inserted`.execute(trx);
  return new Map(result.rows.map((r) => [watermarkId({ portalId: Number(r.portal_id), objectType: r.object_type, objectId: Number(r.object_id), propertyName: r.property_name }), { inserted: r.inserted }]));
}

/**
 * Privacy erasure: drops property values stored with a contact's events, and the text of the contact's
 * events refused at intake (the ids stay, as evidence).
 */
async function scrubContactEvents(trx: Transaction<Database>, portalId: number, contactId: number): Promise<number> {
  const result = await trx
    .updateTable('webhook_events')
    .set({ property_value: null, payload: sql`payload - 'propertyValue'`, raw_event: null })
    .where('portal_id', '=', portalId)
    .where('object_id', '=', contactId)
    .where((eb) => eb.or([eb('subscription_type', 'like', 'contact.%'), eb(sql`payload ->> 'objectTypeId'`, '=', '0-1')]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Inbox statistics for the metrics gauges (both queries use partial indexes). The oldest pending
 * event is the one due longest ago: an event waiting for its retry's backoff is not lagging.
 */
async function inboxStats(db: Db): Promise<{ oldestPendingAt: Date | null; pending: number; dead: number }> {
  const pending = await db
    .selectFrom('webhook_events')
    .select([sql<Date | null>`min(next_attempt_at)`.as('oldest'), sql<number>`count(*)::int`.as('count')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const dead = await db.selectFrom('webhook_events').select(sql<number>`count(*)::int`.as('count')).where('status', '=', 'dead').executeTakeFirstOrThrow();
  return { oldestPendingAt: pending.oldest, pending: pending.count, dead: dead.count };
}

/** Retention: deletes finished events (not dead ones) received before `before`. */
async function deleteFinishedBefore(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_events')
    .where('status', 'in', ['processed', 'ignored', 'unroutable'])
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export const webhooksRepository = Object.freeze({
  findEventById,
  updateEventOutcome,
  findEventsByOrganization,
  findRecentEventsByOrganization,
  advanceWatermark,
  lockWatermarks,
  advanceWatermarks,
  scrubContactEvents,
  inboxStats,
  deleteFinishedBefore,
});
