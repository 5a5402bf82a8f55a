import crypto from 'node:crypto';
import pino from 'pino';
import type { AppDeps } from '../app.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/database.js';
import { systemClock } from '../platform/clock.js';
import { createJobs } from '../platform/jobs.js';

/**
 * Deps good enough to construct the app with no database: the pool points at an address that is
 * never connected to unless a route runs a query. Used by the project-file check to probe routes.
 */
export function buildOfflineAppDeps(): AppDeps {
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'offline-client',
    HUBSPOT_CLIENT_SECRET: crypto.randomUUID(),
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: crypto.randomBytes(24).toString('base64url'),
    PUBLIC_BASE_URL: 'http://localhost:3000',
    DATABASE_URL: 'postgres://offline:offline@127.0.0.1:1/offline',
    LOG_LEVEL: 'silent',
  });
  const log = pino({ level: 'silent' });
  // pg-boss connects only on start(), which nothing here calls.
  const jobs = createJobs({ connectionString: config.databaseUrl!, log });
  return { config, db: createDb(config.databaseUrl!, { max: 1 }).db, log, clock: systemClock, jobs };
}
