import { sql, type Kysely } from 'kysely';

// Every change to a connection row tells every process which portal changed, so their route caches
// (modules/connections/route-cache.ts) drop that portal. A trigger rather than a NOTIFY in each
// write path: no write path, present or future, can forget it. NOTIFY is delivered on commit only,
// and identical payloads of one transaction are delivered once.

/** NOTIFY switchboard_connections with the portal id on each insert, update and delete of connections; `*` on truncate. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function switchboard_connections_notify() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        perform pg_notify('switchboard_connections', '*');
        return null;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        perform pg_notify('switchboard_connections', old.portal_id::text);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        perform pg_notify('switchboard_connections', new.portal_id::text);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger connections_notify after insert or update or delete on connections for each row execute function switchboard_connections_notify()`.execute(db);
  await sql`create trigger connections_notify_truncate after truncate on connections for each statement execute function switchboard_connections_notify()`.execute(db);
}

/** Drops the triggers and their function. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists connections_notify_truncate on connections`.execute(db);
  await sql`drop trigger if exists connections_notify on connections`.execute(db);
  await sql`drop function if exists switchboard_connections_notify()`.execute(db);
}
