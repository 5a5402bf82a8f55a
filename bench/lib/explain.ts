// The setup of the EXPLAIN scripts (bench/explain-*.ts): a fresh migrated database on the bench's
// Postgres, a Kysely handle that records every statement it sends (so a script explains exactly what
// the repositories send), and a client of its own to run EXPLAIN on.
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../../backend/src/db/database.js';
import { startBenchPostgres } from './db.js';

/** A database for an EXPLAIN script. */
export interface ExplainDatabase {
  pool: pg.Pool;
  /** Records each statement it sends in `captured`. */
  db: Kysely<Database>;
  /** The statements `db` sent, oldest first (empty it with `captured.length = 0`). */
  captured: CompiledQuery[];
  /** A connection of its own, for EXPLAIN and seeding. */
  client: pg.Client;
  /** Closes the connections, drops the database and stops the server. */
  close(): Promise<void>;
}

/** Opens a fresh database named after `label` whose Kysely handle uses a pool of `poolMax` connections. */
export async function openExplainDatabase(label: string, poolMax: number): Promise<ExplainDatabase> {
  const server = await startBenchPostgres();
  const database = await server.freshDatabase(label);
  const pool = new pg.Pool({ connectionString: database.url, max: poolMax });
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => void (e.level === 'query' && captured.push(e.query)) });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    pool,
    db,
    captured,
    client,
    async close() {
      await client.end();
      await db.destroy();
      await database.drop();
      await server.stop();
    },
  };
}
