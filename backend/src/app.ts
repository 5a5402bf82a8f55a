import express, { type Express } from 'express';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { createHealthRouter } from './modules/health/health.routes.js';
import type { Clock } from './platform/clock.js';
import type { Jobs } from './platform/jobs.js';
import { createErrorMiddleware, notFoundHandler } from './platform/http/error-middleware.js';
import { createRequestContext } from './platform/http/request-context.js';
import { moduleLogger, type Logger } from './platform/logger.js';
import { createServices, type Services } from './services.js';

/** Everything the HTTP app needs, passed in so tests can build it with a literal config. */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  jobs: Jobs;
  /** Prebuilt services (the server shares them with its workers); built from the deps when absent. */
  services?: Services;
}

/**
 * Builds the Express app: routers per module, then the 404 and error funnel. Never listens and
 * touches no database while being built (supertest and the project check construct it offline).
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const httpLog = moduleLogger(deps.log, 'http');
  const services = deps.services ?? createServices(deps);
  void services;
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(createRequestContext(httpLog));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.use(createHealthRouter({ db: deps.db }));

  app.use(notFoundHandler);
  app.use(createErrorMiddleware(httpLog));
  return app;
}
