// The inbox as a queue: the statements of intake (one multi-row insert), of the claim (due events,
// whole portals at a time), and of a batch's transaction (lock its rows, record failures).
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { rowToEvent, type InboxEvent } from './webhooks.repository.js';
import type { InboxStatus, NewWebhookEventRow, WebhookEventRow } from './webhooks.table.js';

type Executor = Db | Transaction<Database>;

/**
 * Stores accepted events in one statement (one array per column, whatever the batch size); events
 * already stored (same dedupe key, earlier or in this same statement) are skipped.
 * @returns the id and dedupe key of each newly stored event only
 */
async function insertAcceptedKeyed(db: Executor, rows: readonly NewWebhookEventRow[]): Promise<{ id: number; dedupeKey: string }[]> {
  if (rows.length === 0) return [];
  const col = <T>(f: (r: NewWebhookEventRow) => T) => rows.map(f);
  const result = await sql<{ id: number; dedupe_key: string }>`
    insert into webhook_events (dedupe_key, portal_id, subscription_type, object_id, event_id, occurred_at, property_name, property_value, payload)
    select * from unnest(
      ${col((r) => r.dedupe_key)}::text[], ${col((r) => r.portal_id)}::bigint[], ${col((r) => r.subscription_type)}::text[],
      ${col((r) => r.object_id)}::bigint[], ${col((r) => r.event_id)}::bigint[], ${col((r) => (r.occurred_at instanceof Date ? r.occurred_at.toISOString() : r.occurred_at))}::timestamptz[],
      ${col((r) => r.property_name ?? null)}::text[], ${col((r) => r.property_value ?? null)}::text[], ${col((r) => r.payload ?? null)}::jsonb[])
    on conflict (dedupe_key) do nothing
    returning id, dedupe_key`.execute(db);
  return result.rows.map((r) => ({ id: Number(r.id), dedupeKey: r.dedupe_key }));
}

/** {@link insertAcceptedKeyed}, returning the ids of the newly stored events only. */
async function insertAccepted(db: Executor, rows: readonly NewWebhookEventRow[]): Promise<number[]> {
  return (await insertAcceptedKeyed(db, rows)).map((r) => r.id);
}

/** Stores events refused at intake (dead rows, rare) in one statement; a duplicate is skipped. */
async function insertRefused(db: Executor, rows: readonly NewWebhookEventRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('webhook_events').values([...rows]).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** The advisory-lock key of a portal's place in the queue (one namespace, hashed to a bigint). */
export const portalLockKey = (portalIdSql: ReturnType<typeof sql>) => sql`hashtextextended('switchboard.webhook-portal:' || ${portalIdSql}::text, 0)`;

/**
 * Claims up to `maxPortals` portals that have due events: among the portals of the oldest due
 * events, those whose advisory lock this session gets (another process holding one is skipped).
 * The locks are session locks on `session`: they outlive no connection, so a killed process frees
 * its portals at once. Each drain has its own session, so two drains of one process exclude each other too.
 */
async function claimPortals(session: Executor, opts: { maxPortals: number; window: number }): Promise<number[]> {
  const result = await sql<{ portal_id: string }>`
    select c.portal_id from (
      select distinct portal_id from (
        select portal_id from webhook_events where status = 'pending' and next_attempt_at <= now() order by next_attempt_at, id limit ${opts.window}
      ) oldest
    ) c
    where pg_try_advisory_lock(${portalLockKey(sql`c.portal_id`)})
    limit ${opts.maxPortals}`.execute(session);
  return result.rows.map((r) => Number(r.portal_id));
}

/** Releases this session's portal locks. */
async function releasePortals(session: Executor, portalIds: readonly number[]): Promise<void> {
  if (portalIds.length === 0) return;
  await sql`select pg_advisory_unlock(${portalLockKey(sql`p`)}) from unnest(${portalIds}::bigint[]) as p`.execute(session);
}

/** The backend pid of a session (whose locks a batch's transaction checks it still holds). */
async function sessionPid(session: Executor): Promise<number> {
  const result = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(session);
  return Number(result.rows[0]!.pid);
}

/**
 * Of `portalIds`, those whose advisory lock session `pid` still holds. A session that lost its
 * connection (a database restart) lost its locks too, and another process may have claimed them.
 */
async function portalsStillHeld(db: Executor, pid: number, portalIds: readonly number[]): Promise<Set<number>> {
  const result = await sql<{ portal_id: string }>`
    select p as portal_id from unnest(${portalIds}::bigint[]) as p
    where exists (
      select 1 from pg_locks l where l.locktype = 'advisory' and l.pid = ${pid} and l.granted and l.objsubid = 1
        and ((l.classid::bigint << 32) | l.objid::bigint) = ${portalLockKey(sql`p`)})`.execute(db);
  return new Set(result.rows.map((r) => Number(r.portal_id)));
}

/** The oldest `perPortal` due events of each portal, in id order. */
async function dueEventsOf(db: Executor, portalIds: readonly number[], perPortal: number): Promise<InboxEvent[]> {
  if (portalIds.length === 0) return [];
  const result = await sql<WebhookEventRow>`
    select e.* from unnest(${portalIds}::bigint[]) as p(portal_id)
    cross join lateral (
      select * from webhook_events w where w.portal_id = p.portal_id and w.status = 'pending' and w.next_attempt_at <= now() order by w.id limit ${perPortal}
    ) e
    order by e.id`.execute(db);
  return result.rows.map(rowToEvent);
}

/**
 * Locks a batch's rows (in id order, so two batches never deadlock) and returns those still pending,
 * with their attempts as stored now (the rest of an accepted event never changes, so it is not read again).
 */
async function lockPending(trx: Transaction<Database>, events: readonly InboxEvent[]): Promise<Map<number, InboxEvent>> {
  if (events.length === 0) return new Map();
  const byId = new Map(events.map((e) => [e.id, e]));
  const result = await sql<{ id: string; attempts: number }>`
    select id, attempts from webhook_events where id = any(${[...byId.keys()]}::bigint[]) and status = 'pending' order by id for update`.execute(trx);
  return new Map(result.rows.map((r) => [Number(r.id), { ...byId.get(Number(r.id))!, attempts: r.attempts }]));
}

/**
 * Marks a batch's finished events done in one statement, each with its status and outcome (an
 * organization when it was routed, which also clears the last attempt's error). Only pending events change.
 */
async function finishMany(trx: Transaction<Database>, done: readonly { id: number; status: InboxStatus; outcome: string; organizationId: string | undefined }[]): Promise<void> {
  if (done.length === 0) return;
  await sql`
    update webhook_events w
    set status = o.status, outcome = o.outcome, organization_id = coalesce(o.organization_id, w.organization_id),
      last_error = case when o.organization_id is null then w.last_error end, processed_at = now()
    from unnest(${done.map((d) => d.id)}::bigint[], ${done.map((d) => d.status)}::text[], ${done.map((d) => d.outcome)}::text[], ${done.map((d) => d.organizationId ?? null)}::uuid[])
      as o(id, status, outcome, organization_id)
    where w.id = o.id and w.status = 'pending'`.execute(trx);
}

/** Counts a failed attempt on a still-pending event and sets when it is next due. */
async function scheduleRetry(db: Executor, id: number, failure: { error: string; organizationId?: string | undefined; delayMs: number }): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      attempts: sql<number>`attempts + 1`,
      last_error: failure.error,
      next_attempt_at: sql`now() + make_interval(secs => ${failure.delayMs / 1000})`,
      ...(failure.organizationId ? { organization_id: failure.organizationId } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** The still-pending events with these dedupe keys, oldest first (the takeover fast path). */
async function pendingByDedupeKeys(db: Executor, keys: readonly string[]): Promise<InboxEvent[]> {
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('webhook_events').selectAll().where('dedupe_key', 'in', keys).where('status', '=', 'pending').orderBy('id').execute();
  return rows.map(rowToEvent);
}

/** Whether any pending event is due now (the sweep's check before waking the processors). */
async function anyDue(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('webhook_events').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', sql<Date>`now()`).limit(1).executeTakeFirst();
  return row !== undefined;
}

export const inboxQueueRepository = Object.freeze({ insertAccepted, insertAcceptedKeyed, insertRefused, claimPortals, releasePortals, sessionPid, portalsStillHeld, dueEventsOf, lockPending, finishMany, scheduleRetry, pendingByDedupeKeys, anyDue });
