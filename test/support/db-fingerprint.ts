import { sql } from 'kysely';
import type { Db } from '../../backend/src/db/database.js';

/**
 * A fingerprint of everything stored: per table of the public schema its row count and a hash of its
 * content (so an UPDATE shows too), plus the number of queued jobs. Two equal fingerprints mean no
 * request changed any state.
 */
export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const { rows } = await sql<{ n: string; h: string | null }>`select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${sql.table(tablename)} t`.execute(db);
    out[tablename] = `${rows[0]!.n}:${rows[0]!.h ?? '-'}`;
  }
  const jobs = await sql<{ n: string }>`select count(*)::text as n from pgboss.job`.execute(db);
  out['pgboss.job'] = jobs.rows[0]!.n;
  return out;
}
