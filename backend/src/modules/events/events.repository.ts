import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { EventDeliveryRow, EventDestinationRow, EventRow, NewEventDeliveryRow } from './events.table.js';

/** One outbox event. */
export interface OutboxEvent {
  id: number;
  organizationId: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** An organization's push destination (the secret stays sealed here). */
export interface EventDestination {
  organizationId: string;
  url: string;
  secretSealed: Buffer;
  createdAt: Date;
  updatedAt: Date;
}

/** One push attempt. */
export interface EventDelivery {
  id: number;
  eventId: number;
  url: string;
  attempt: number;
  status: 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

// Advisory-lock namespace of the outbox (first key of pg_advisory_xact_lock(int, int)).
const OUTBOX_LOCK_CLASS = 5_001;

function rowToEvent(row: EventRow): OutboxEvent {
  return { id: row.id, organizationId: row.organization_id, type: row.type, data: row.data, createdAt: row.created_at };
}

function rowToDestination(row: EventDestinationRow): EventDestination {
  return { organizationId: row.organization_id, url: row.url, secretSealed: row.secret_sealed, createdAt: row.created_at, updatedAt: row.updated_at };
}

function rowToDelivery(row: EventDeliveryRow): EventDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    url: row.url,
    attempt: row.attempt,
    status: row.status,
    responseStatus: row.response_status,
    error: row.error,
    durationMs: row.duration_ms,
    createdAt: row.created_at,
  };
}

/**
 * Inserts an event. Ids come from one global identity, and a transaction may commit after another
 * that took a later id, so a feed reading "after id N" could skip an event committed late. The
 * per-organization advisory lock, held until commit, makes ids follow commit order within an
 * organization (the feed's scope): the next writer for the organization only gets its id after this
 * transaction ends. Call it as the last write of a transaction to keep the lock short.
 */
async function insertEvent(trx: Transaction<Database>, input: { organizationId: string; type: string; data: Record<string, unknown> }): Promise<OutboxEvent> {
  await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_CLASS}, hashtext(${input.organizationId}))`.execute(trx);
  const row = await trx
    .insertInto('events')
    .values({ organization_id: input.organizationId, type: input.type, data: JSON.stringify(input.data) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToEvent(row);
}

async function findEventsAfter(db: Db, organizationId: string, afterId: number, limit: number): Promise<OutboxEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(rowToEvent);
}

async function findEventById(db: Db, id: number): Promise<OutboxEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToEvent(row) : undefined;
}

async function findDestination(db: Db | Transaction<Database>, organizationId: string): Promise<EventDestination | undefined> {
  const row = await db.selectFrom('event_destinations').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  return row ? rowToDestination(row) : undefined;
}

async function upsertDestination(db: Db, input: { organizationId: string; url: string; secretSealed: Buffer }): Promise<EventDestination> {
  const row = await db
    .insertInto('event_destinations')
    .values({ organization_id: input.organizationId, url: input.url, secret_sealed: input.secretSealed })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ url: input.url, secret_sealed: input.secretSealed, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToDestination(row);
}

async function deleteDestination(db: Db, organizationId: string): Promise<boolean> {
  const result = await db.deleteFrom('event_destinations').where('organization_id', '=', organizationId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function insertDelivery(db: Db, row: NewEventDeliveryRow): Promise<void> {
  await db.insertInto('event_deliveries').values(row).execute();
}

async function findDeliveries(db: Db, organizationId: string, opts: { eventId?: number; limit: number }): Promise<EventDelivery[]> {
  let q = db.selectFrom('event_deliveries').selectAll().where('organization_id', '=', organizationId);
  if (opts.eventId !== undefined) q = q.where('event_id', '=', opts.eventId);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map(rowToDelivery);
}

/**
 * Rewrites stored event data in place (privacy erasure). `scrub` returns the new data, or undefined
 * to leave an event as it is.
 */
async function scrubEvents(
  trx: Transaction<Database>,
  organizationId: string,
  match: { key: string; value: string | number },
  scrub: (data: Record<string, unknown>) => Record<string, unknown>,
): Promise<number> {
  const rows = await trx
    .selectFrom('events')
    .select(['id', 'data'])
    .where('organization_id', '=', organizationId)
    .where(sql<boolean>`data ->> ${match.key} = ${String(match.value)}`)
    .forUpdate()
    .execute();
  for (const row of rows) {
    await trx.updateTable('events').set({ data: JSON.stringify(scrub(row.data)) }).where('id', '=', row.id).execute();
  }
  return rows.length;
}

export const eventsRepository = Object.freeze({
  insertEvent,
  findEventsAfter,
  findEventById,
  findDestination,
  upsertDestination,
  deleteDestination,
  insertDelivery,
  findDeliveries,
  scrubEvents,
});
