import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../../backend/src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../backend/src/db/embedded.js';
import { migrateToLatest } from '../../backend/src/db/migrate.js';

/** The Postgres server of a bench run: DATABASE_URL's server, or embedded in a temp folder. */
export interface BenchPostgres {
  serverUrl: string;
  version: string;
  /** A fresh, migrated database; its URL and a Kysely handle for seeding and checks. */
  freshDatabase(label: string): Promise<{ url: string; db: Db; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

function withDb(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: withDb(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts (or connects to) the bench's Postgres server. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  let embedded: EmbeddedPg | undefined;
  let tmp: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-pg-'));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data') });
    serverUrl = embedded.url;
  }
  const version = String((await admin(serverUrl, 'show server_version')).rows[0]?.server_version ?? 'unknown');
  const created: string[] = [];
  return {
    serverUrl,
    version,
    async freshDatabase(label) {
      const name = `bench_${label}_${crypto.randomBytes(3).toString('hex')}`;
      await admin(serverUrl, `create database ${name}`);
      created.push(name);
      const url = withDb(serverUrl, name);
      const { db } = createDb(url, { max: 4, applicationName: 'bench' });
      await migrateToLatest(db);
      return {
        url,
        db,
        drop: async () => {
          await db.destroy().catch(() => undefined);
          await admin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
        },
      };
    },
    async stop() {
      if (!embedded) {
        for (const name of created) await admin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
        return;
      }
      await embedded.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
