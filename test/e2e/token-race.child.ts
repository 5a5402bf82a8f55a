// A second (and third) backend process for the refresh-race test: builds the real services against
// the test database and, on "go" from stdin, fires COUNT concurrent getAccessToken calls for ORG_ID.
// Prints "ready" when warmed up, then one JSON line with the results. Logs go to stderr.
import readline from 'node:readline';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../../backend/src/config.js';
import { createDb } from '../../backend/src/db/database.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { createLogger } from '../../backend/src/platform/logger.js';
import { composeBackend } from '../../backend/src/composition.js';

const organizationId = process.env.ORG_ID!;
const count = Number(process.env.COUNT ?? '100');
const config = loadConfig(process.env);
const log = createLogger({ level: 'debug', destination: pino.destination({ fd: 2, sync: true }) });
const { db } = createDb(config.databaseUrl!, { max: 10, applicationName: `race-${process.pid}` });
const jobs = createJobs({ connectionString: config.databaseUrl!, log });
const services = composeBackend({ config, db, log, clock: systemClock, jobs }).services;

// Open the pool's connections before the start signal, so both processes race from a warm start.
await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.01)`.execute(db)));
process.stdout.write('ready\n');
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;

const settled = await Promise.allSettled(Array.from({ length: count }, () => services.tokens.getAccessToken(organizationId)));
const tokens = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
const errors = settled.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { code?: string }).code ?? r.reason)] : []));
process.stdout.write(`${JSON.stringify({ tokens, errors })}\n`);
await db.destroy();
process.exit(0);
