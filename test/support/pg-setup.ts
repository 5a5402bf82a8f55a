import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../backend/src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../backend/src/db/embedded.js';
import { migrateToLatest } from '../../backend/src/db/migrate.js';
import { TEMPLATE_DB, serverUrlWithDb } from './pg-urls.js';

declare global {
  var __SWITCHBOARD_PG__: { embedded?: EmbeddedPg; tmpDir?: string } | undefined;
}

/**
 * One Postgres server per test run: embedded (in a temp folder) unless DATABASE_URL is set. A
 * template database is migrated once; each test file clones it (see test-db.ts).
 */
export async function startTestPostgres(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  const state: NonNullable<typeof globalThis.__SWITCHBOARD_PG__> = {};
  if (!serverUrl) {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-pg-'));
    fs.chmodSync(tmpDir, 0o755);
    state.tmpDir = tmpDir;
    // In the test run's process group: a Ctrl-C'd run takes its Postgres along.
    state.embedded = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, 'data'), ownSession: false });
    serverUrl = state.embedded.url;
  }
  globalThis.__SWITCHBOARD_PG__ = state;
  process.env.SWITCHBOARD_TEST_PG_URL = serverUrl;

  const admin = createDb(serverUrlWithDb(serverUrl, 'postgres'), { max: 1 });
  await admin.pool.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.pool.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.db.destroy();

  const template = createDb(serverUrlWithDb(serverUrl, TEMPLATE_DB), { max: 1 });
  await migrateToLatest(template.db);
  await template.db.destroy();
}
