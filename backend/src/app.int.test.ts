import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { createApp } from './app.js';
import { createDb } from './db/database.js';
import { systemClock } from './platform/clock.js';
import { createJobs } from './platform/jobs.js';
import { AppError } from './platform/errors.js';
import { createErrorMiddleware } from './platform/http/error-middleware.js';
import { captureLogs } from '../../test/support/capture-logs.js';
import { buildTestConfig } from '../../test/support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.js';

describe('health endpoints', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.destroy();
  });

  it('when the database answers, then GET /readyz is 200 and GET /healthz is 200, each with a request id', async () => {
    const logs = captureLogs();
    const app = createApp({ config: buildTestConfig(), db: tdb.db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: tdb.url, log: captureLogs().log }) });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toStrictEqual({ status: 'ok', database: 'ok' });
    const health = await request(app).get('/healthz').set('X-Request-Id', 'req-123');
    expect(health.status).toBe(200);
    expect(health.headers['x-request-id']).toBe('req-123');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
  });

  it('when the database is unreachable, then GET /readyz is 503 service_unavailable while /healthz stays 200', async () => {
    const dead = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
    const app = createApp({ config: buildTestConfig(), db: dead.db, log: captureLogs().log, clock: systemClock, jobs: createJobs({ connectionString: tdb.url, log: captureLogs().log }) });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toStrictEqual({ error: { code: 'service_unavailable', message: 'Database is not reachable' } });
    expect((await request(app).get('/healthz')).status).toBe(200);
    await dead.db.destroy();
  });
});

describe('error funnel', () => {
  const build = () => {
    const logs = captureLogs();
    const app = express();
    app.use(express.json({ limit: '1kb' }));
    app.post('/app-error', () => {
      throw new AppError('invalid_body', 'Request body is invalid', { details: [{ path: 'name', message: 'Required' }] });
    });
    app.post('/echo', (req, res) => {
      res.json(req.body);
    });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    app.use(createErrorMiddleware(logs.log));
    return { app, logs };
  };

  it('when a handler throws an AppError, then the status comes from its code and the body has details', async () => {
    const res = await request(build().app).post('/app-error').send({});
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({ error: { code: 'invalid_body', message: 'Request body is invalid', details: [{ path: 'name', message: 'Required' }] } });
  });

  it('when an unknown error escapes, then the caller gets a generic 500 without its message, and it is logged once', async () => {
    const { app, logs } = build();
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toStrictEqual({ error: { code: 'server_error', message: 'Internal server error' } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(logs.records().filter((r) => r.msg === 'unhandled error')).toHaveLength(1);
  });

  it('when the JSON is malformed or too large, then it is a 4xx in the standard shape', async () => {
    const { app } = build();
    const bad = await request(app).post('/echo').set('Content-Type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body).toStrictEqual({ error: { code: 'invalid_body', message: 'Request body is not valid JSON' } });
    const big = await request(app).post('/echo').send({ a: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body).toStrictEqual({ error: { code: 'payload_too_large', message: 'Request body is too large' } });
  });
});

describe('malformed percent-escapes in route parameters', () => {
  it('when a :param holds a malformed escape, then it is a 400 invalid_params, not a 500', async () => {
    const app = express();
    app.get('/things/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.use(createErrorMiddleware(captureLogs().log));
    const res = await request(app).get('/things/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({ error: { code: 'invalid_params', message: 'Path contains a malformed percent-escape' } });
  });
});
