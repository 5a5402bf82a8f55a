import { sql, type Kysely } from 'kysely';

/**
 * Autovacuum for the inbox as a queue (docs/SCALING.md, targets not met, item 6). Every event is
 * inserted, then updated once when finished, so the table carries one dead row per event until a
 * vacuum; with Postgres's default scale factor (20 % of the table) a 660k-row inbox waits for 130k
 * dead rows, and the soak's slower minutes were the ones where they had piled up. A vacuum every
 * 2 % (and after 5 % new rows, which keeps the visibility map fresh for the index-only scan of the
 * pending gauge) does the same work in smaller, more frequent passes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_events set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02)`.execute(db);
}

/** Back to the server's autovacuum defaults. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table webhook_events reset (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`.execute(db);
}
