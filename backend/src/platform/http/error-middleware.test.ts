import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import net from 'node:net';
import pg from 'pg';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createErrorMiddleware } from './error-middleware.js';
import { createHtmlErrorHandler } from './html-page.js';

// A sink: these tests assert the answers, not the log lines.
const log = createLogger({ level: 'silent' });

function appThrowing(err: unknown) {
  const app = express();
  app.get('/x', () => {
    throw err;
  });
  app.use(createHtmlErrorHandler(log));
  app.use(createErrorMiddleware(log));
  return app;
}

describe('error middleware', () => {
  it('when a domain error carries a retry hint, then the JSON answer has Retry-After with it and the standard body', async () => {
    const res = await request(appThrowing(new AppError('hubspot_unavailable', 'HubSpot is unavailable; try again shortly', { retryAfterSeconds: 7 }))).get('/x').set('accept', 'application/json');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toStrictEqual({ error: { code: 'hubspot_unavailable', message: 'HubSpot is unavailable; try again shortly' } });
  });

  it('when a browser page fails with a retry hint, then the HTML error page has Retry-After too', async () => {
    const res = await request(appThrowing(new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds: 3 }))).get('/x').set('accept', 'text/html');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.text).toContain('Too many requests; try again later');
  });

  it('when an error has no retry hint, then no Retry-After is sent', async () => {
    const res = await request(appThrowing(new AppError('conflict', 'Already completed'))).get('/x').set('accept', 'application/json');
    expect(res.status).toBe(409);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});

describe('error middleware, when the database is busy or away', () => {
  // Real node-postgres pools against real sockets: one nobody listens on, and one that accepts and
  // never answers (the pool's acquire gives up after its timeout), as a starved or restarting
  // database does. No database server is needed.
  async function appQuerying(pool: pg.Pool) {
    const app = express();
    app.get('/x', async () => {
      await pool.query('select 1');
    });
    app.use(createHtmlErrorHandler(log));
    app.use(createErrorMiddleware(log));
    return app;
  }

  it('when the database refuses connections, then the answer is 503 service_unavailable with Retry-After', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    try {
      const res = await request(await appQuerying(pool)).get('/x').set('accept', 'application/json');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
    } finally {
      await pool.end();
    }
  });

  it('when the pool cannot get a connection in time, then a browser gets the 503 page and a JSON client the 503 body', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 200 });
    pool.on('error', () => undefined);
    try {
      const app = await appQuerying(pool);
      const json = await request(app).get('/x').set('accept', 'application/json');
      expect(json.status).toBe(503);
      expect(json.body.error.code).toBe('service_unavailable');
      const page = await request(app).get('/x').set('accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toBe('1');
      expect(page.text).not.toMatch(/timeout exceeded|Connection terminated/);
    } finally {
      for (const s of sockets) s.destroy();
      await pool.end();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('when a query fails for a reason a retry cannot fix, then it stays a 500 server_error', async () => {
    const err = Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' });
    const res = await request(appThrowing(err)).get('/x').set('accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('server_error');
  });
});
