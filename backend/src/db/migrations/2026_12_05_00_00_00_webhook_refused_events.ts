import { sql, type Kysely } from 'kysely';

/**
 * Events refused at intake are kept in the inbox as dead rows (with their text as received) instead
 * of failing their whole batch: the key columns may be null on those rows, and only on those.
 * Events about no single record (associations) have no object id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_events
    alter column portal_id drop not null,
    alter column subscription_type drop not null,
    alter column object_id drop not null,
    alter column event_id drop not null,
    alter column occurred_at drop not null,
    alter column payload drop not null,
    add column raw_event text,
    add constraint webhook_events_complete_check check (
      status = 'dead' or (portal_id is not null and subscription_type is not null and event_id is not null and occurred_at is not null and payload is not null)
    )`.execute(db);
}

/** Drops the refused rows and restores the constraints. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from webhook_events where payload is null or portal_id is null or subscription_type is null or object_id is null or event_id is null or occurred_at is null`.execute(db);
  await sql`alter table webhook_events
    drop constraint webhook_events_complete_check,
    drop column raw_event,
    alter column portal_id set not null,
    alter column subscription_type set not null,
    alter column object_id set not null,
    alter column event_id set not null,
    alter column occurred_at set not null,
    alter column payload set not null`.execute(db);
}
