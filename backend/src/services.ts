import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Clock } from './platform/clock.js';
import type { JobDefinition, Jobs } from './platform/jobs.js';
import type { Logger } from './platform/logger.js';

/** Infrastructure every service may receive. */
export interface Infra {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  jobs: Jobs;
}

/**
 * Every service of the backend, built once per process from the infrastructure, shared by the HTTP
 * routes and the job handlers (so both run the same logic). Modules add themselves here.
 */
export interface Services {
  infra: Infra;
}

/** Builds all services. */
export function createServices(infra: Infra): Services {
  return { infra };
}

/** Every job type the workers run (each module's *.jobs.ts contributes its definitions). */
export function jobDefinitions(_services: Services): JobDefinition<never>[] {
  return [];
}
