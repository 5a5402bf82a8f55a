import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { usePreparedStatements } from './prepared.js';
import type { Database } from './schema.js';

export type { Database };
export type Db = Kysely<Database>;
/** A transaction on the backend's database. */
export type Trx = Transaction<Database>;

// int8 (bigint) columns hold HubSpot ids and counters far below 2^53; read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** Options for the pool behind Kysely. */
export interface DbOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

/** Creates Kysely over a pg.Pool; connects lazily, so creating it touches no server. */
export function createDb(url: string, options: DbOptions = {}): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'switchboard',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (database restart) must not crash the process; the pool
  // discards it and the next query reconnects.
  pool.on('error', () => undefined);
  // The same for a client that is checked out (Kysely holds one per query or transaction): pg only
  // listens for errors on idle clients, so a server terminating the connection between two queries
  // of a transaction emitted an unhandled 'error' and killed the process. The query in progress
  // still fails (and the request answers 503); the broken client is dropped on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    usePreparedStatements(client);
  });
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
