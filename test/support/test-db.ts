import crypto from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../backend/src/db/database.js';
import { TEMPLATE_DB, serverUrlWithDb } from './pg-urls.js';

/** A fresh, migrated database for one test file. */
export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/** The test run's Postgres server URL (set by global-setup). */
export function testServerUrl(): string {
  const url = process.env.SWITCHBOARD_TEST_PG_URL;
  if (!url) throw new Error('SWITCHBOARD_TEST_PG_URL is not set: run tests through jest (global-setup starts Postgres)');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrlWithDb(testServerUrl(), 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Clones the migrated template into a new database (fast: a file copy inside Postgres). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  // Two files cloning at the same moment make Postgres refuse ("source database is being
  // accessed by other users") for an instant; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  const url = serverUrlWithDb(testServerUrl(), name);
  const { db, pool } = createDb(url, { max: 20 });
  return {
    url,
    name,
    db,
    pool,
    destroy: async () => {
      await db.destroy().catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
