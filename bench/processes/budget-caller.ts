// One of the two backend processes of the budget benchmark: the real services (token vault, HubSpot
// client, budget in Postgres) making BULK_CALLS bulk calls for one organization with BULK_LANES in
// flight, plus one interactive call every INTERACTIVE_EVERY_MS until the bulk calls are done. Starts
// at START_AT (epoch ms) so both processes begin together. Env: the backend's, plus ORG_ID,
// BULK_CALLS, BULK_LANES, INTERACTIVE_EVERY_MS, START_AT. Prints {"result":{…}}.
import { loadConfig } from '../../backend/src/config.js';
import { createDb } from '../../backend/src/db/database.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { createLogger } from '../../backend/src/platform/logger.js';
import { composeBackend } from '../../backend/src/composition.js';

const config = loadConfig(process.env);
const log = createLogger({ level: 'warn' });
const { db } = createDb(config.databaseUrl!, { max: config.databasePool.max, applicationName: `budget-bench-${process.pid}` });
const budgetDb = createDb(config.databaseUrl!, { max: 2, applicationName: `budget-bench-budget-${process.pid}` }).db;
const jobs = createJobs({ connectionString: config.databaseUrl!, log });
const services = composeBackend({ config, db, log, clock: systemClock, jobs, budgetDb }).services;
const organizationId = process.env.ORG_ID!;
const bulkCalls = Number(process.env.BULK_CALLS ?? 1000);
const lanes = Number(process.env.BULK_LANES ?? 20);
const every = Number(process.env.INTERACTIVE_EVERY_MS ?? 200);
const call = (lane: 'bulk' | 'interactive') => services.hubspot.request(organizationId, { method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: 1 }, lane });

// Warm the token cache and the pools before the start, so the clock measures the budget only.
await services.tokens.getAccessToken(organizationId);
await new Promise((r) => setTimeout(r, Math.max(0, Number(process.env.START_AT) - Date.now())));

const statuses: Record<string, number> = {};
const interactiveMs: number[] = [];
let issued = 0;
let bulkDone = false;
const bulk = Promise.all(
  Array.from({ length: lanes }, async () => {
    while (issued < bulkCalls) {
      issued++;
      const res = await call('bulk');
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  }),
).then(() => {
  bulkDone = true;
  return Date.now();
});
const interactive = (async () => {
  const pending: Promise<void>[] = [];
  while (!bulkDone) {
    const started = Date.now();
    pending.push(
      call('interactive').then((res) => {
        interactiveMs.push(Date.now() - started);
        statuses[`interactive-${res.status}`] = (statuses[`interactive-${res.status}`] ?? 0) + 1;
      }),
    );
    await new Promise((r) => setTimeout(r, every));
  }
  await Promise.all(pending);
})();
const bulkDoneAt = await bulk;
await interactive;
await db.destroy();
await budgetDb.destroy();
process.stdout.write(`${JSON.stringify({ result: { bulkDoneAt, statuses, interactiveMs } })}\n`, () => process.exit(0));
