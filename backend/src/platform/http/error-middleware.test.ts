import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
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
