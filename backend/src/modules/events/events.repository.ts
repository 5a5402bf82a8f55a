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

function rowToEvent(row: Pick<EventRow, 'id' | 'organization_id' | 'type' | 'data' | 'created_at'>): OutboxEvent {
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
 * Inserts an event, and tells whether the organization has a push destination (one statement).
 *
 * No lock: ids come from one global identity and transactions commit in any order, so the feed does
 * not read in id order. Each row keeps the id of the transaction that wrote it (`xid`, the column's
 * default pg_current_xact_id()), and the feed reads in (xid, id) order only the rows whose
 * transaction is older than every transaction still running (see findEventsAfter).
 */
async function insertEvent(trx: Transaction<Database>, input: { organizationId: string; type: string; data: Record<string, unknown> }): Promise<OutboxEvent & { pushed: boolean }> {
  const row = await trx
    .insertInto('events')
    .values({ organization_id: input.organizationId, type: input.type, data: JSON.stringify(input.data) })
    .returning(['id', 'organization_id', 'type', 'data', 'created_at'])
    .returning((eb) => eb.exists(eb.selectFrom('event_destinations').select('organization_id').where('organization_id', '=', input.organizationId)).as('pushed'))
    .executeTakeFirstOrThrow();
  return { ...rowToEvent(row), pushed: Boolean(row.pushed) };
}

// The feed's horizon: the lowest transaction id in the reader's snapshot that was still running and
// may belong to this database, else the snapshot's xmax (every id below it has ended). Transactions
// of other databases on the same server (other applications, other test databases) cannot write this
// table, so they are left out: with pg_snapshot_xmin alone, one long transaction anywhere on the
// server held every organization's feed back. An id is left out only when pg_stat_activity shows it
// running in another database; one that ended in between stays in, which only delays a row until the
// next read. (backend_xid is a 32-bit xid; the snapshot holds 64-bit xid8: compared modulo 2^32.)
const FEED_HORIZON = sql`coalesce(
  (select min(x) from pg_snapshot_xip(pg_current_snapshot()) as x
    where (x::text::bigint % 4294967296) not in (
      select a.backend_xid::text::bigint from pg_stat_activity a
      where a.backend_xid is not null and a.datname is distinct from current_database())),
  pg_snapshot_xmax(pg_current_snapshot()))`;

/**
 * One page of an organization's feed after the event `afterId` (0: from the start).
 *
 * Order is (xid, id), and a row is returned only once its transaction id is below the horizon
 * (FEED_HORIZON): the oldest transaction of this database still running at the reader's snapshot.
 * Every transaction below it has ended, so all its committed rows are visible now, and any row that
 * commits later belongs to a transaction at or above it, which sorts after every row returned. A
 * reader therefore never moves its cursor past an event that becomes visible later; events of this
 * database's transactions still running are held back until they end. The cursor is the id of the last event read; its place
 * in (xid, id) order is looked up (for an id that is not the organization's, the nearest earlier one).
 */
async function findEventsAfter(db: Db, organizationId: string, afterId: number, limit: number): Promise<OutboxEvent[]> {
  const cursorXid =
    afterId > 0
      ? sql<string>`coalesce(
          (select c.xid from events c where c.id = ${afterId} and c.organization_id = ${organizationId}),
          (select c.xid from events c where c.organization_id = ${organizationId} and c.id < ${afterId} order by c.id desc limit 1),
          '0'::xid8)`
      : sql<string>`'0'::xid8`;
  const rows = await db
    .selectFrom('events')
    .select(['id', 'organization_id', 'type', 'data', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where(sql<boolean>`(xid, id) > (${cursorXid}, ${afterId}::bigint)`)
    .where(sql<boolean>`xid < ${FEED_HORIZON}`)
    .orderBy('xid')
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
