// The OpenAPI document against the real app: every /api/v1 route Express registers is documented (and
// nothing else), every event type the backend records is under `webhooks`, HubSpot-independent
// tooling (Redocly's OpenAPI linter) loads it with no error, and the response check names a drift.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../app.js';
import { buildOfflineAppDeps } from '../testing/offline-deps.js';
import { API_OPERATIONS, openApiPath } from './api-operations.js';
import { VENDOR_EVENT_TYPES } from './event-catalogue.js';
import { listRegisteredRoutes } from './registered-routes.js';
import { responseMismatch } from './response-check.js';

const deps = buildOfflineAppDeps();
let app: Express;
let document: { openapi: string; paths: Record<string, Record<string, unknown>>; webhooks: Record<string, unknown> };

beforeAll(async () => {
  app = createApp(deps);
  const res = await request(app).get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  document = res.body;
});
afterAll(async () => {
  await deps.db.destroy();
});

describe('GET /api/v1/openapi.json', () => {
  test('when fetched, then it is an OpenAPI 3.1 document served as JSON without credentials', async () => {
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(document.openapi).toBe('3.1.0');
  });

  test('when every route Express registers under /api/v1 is listed, then each is in the document, and each documented path is a registered route', () => {
    const { routes, mounts } = listRegisteredRoutes(app);
    const registered = routes.filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${openApiPath(r.path)}`);
    const documented = Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    // Prefix mounts (`router.use('/api/v1/…')`) are middleware for documented routes, or a documented catch-all.
    const catchAll = documented.filter((d) => d.includes('{hubspotPath}'));
    const registeredWithCatchAll = [...registered, ...catchAll.filter(() => mounts.includes('/api/v1/hubspot'))];

    expect(registered.filter((r) => !documented.includes(r))).toStrictEqual([]);
    expect(documented.filter((d) => !registeredWithCatchAll.includes(d))).toStrictEqual([]);
    const undocumentedMounts = mounts.filter((m) => m.startsWith('/api/v1/') && !Object.keys(document.paths).some((p) => p.startsWith(`${m}/`) || p === m));
    expect(undocumentedMounts).toStrictEqual([]);
  });

  test('when the backend source is searched for recorded event types, then each is a webhooks entry with a payload schema', () => {
    const modules = path.resolve(import.meta.dirname, '../modules');
    // HubSpot's webhook subscription types (`contact.deletion`, …) live in the webhooks module and are not ours.
    const files = fs.readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('webhooks'));
    const recorded = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(path.join(modules, file), 'utf8');
      for (const m of text.matchAll(/'((?:ai|record|conversation|contact|connection)\.[a-z_]+)'/g)) recorded.add(m[1]!);
    }

    expect(recorded.size).toBeGreaterThanOrEqual(9);
    expect([...recorded].filter((t) => !VENDOR_EVENT_TYPES.includes(t as never))).toStrictEqual([]);
    for (const type of VENDOR_EVENT_TYPES) {
      const post = (document.webhooks[type] as { post: { requestBody: { content: Record<string, { schema: { properties: { type: { const: string }; data: object } } }> } } }).post;
      const schema = post.requestBody.content['application/json']!.schema;
      expect(schema.properties.type.const).toBe(type);
      expect(schema.properties.data).toHaveProperty('properties');
    }
  });

  test('when Redocly’s OpenAPI linter loads it with the recommended rules, then it reports no problem', async () => {
    const config = await createConfig({ extends: ['recommended'], rules: { 'no-server-example.com': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });

    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toStrictEqual([]);
  });

  test('when the push signature scheme is looked up, then the document states the header, the HMAC input and the timestamp', () => {
    const text = JSON.stringify(document.webhooks['ai.paused']);
    expect(text).toContain('X-Switchboard-Signature');
    expect(text).toContain('HMAC-SHA256');
    expect(text).toContain('<X-Switchboard-Timestamp>.<raw body>');
  });
});

describe('responseMismatch (the test-mode check of every /api/v1 answer)', () => {
  const route = (routePath: string, method = 'GET') => ({ method, path: routePath.replace(':id', '7c9e6679-7425-40de-944b-e07fc1f90ae7'), route: { path: routePath } });

  test('when an answer lacks a documented field, then the mismatch names the operation and the field', () => {
    const problem = responseMismatch(route('/api/v1/settings'), 200, { pauseOnOwnerChange: true });
    expect(problem).toMatch(/^getSettings 200: .*updatedAt/s);
  });

  test('when an answer has an undocumented field, then it is a mismatch', () => {
    expect(responseMismatch(route('/api/v1/settings'), 200, { pauseOnOwnerChange: true, updatedAt: null, extra: 1 })).toMatch(/extra/);
  });

  test('when a status is not documented for the route, then it is a mismatch', () => {
    expect(responseMismatch(route('/api/v1/settings'), 201, { pauseOnOwnerChange: true, updatedAt: null })).toBe('status 201 is not documented for getSettings');
  });

  test('when an error answer is not the error body, then it is a mismatch; when it is, none', () => {
    expect(responseMismatch(route('/api/v1/settings'), 400, { message: 'bad' })).toMatch(/^error body/);
    expect(responseMismatch(route('/api/v1/settings'), 400, { error: { code: 'invalid_body', message: 'bad', details: [{ path: 'x', message: 'y' }] } })).toBeUndefined();
  });

  test('when a feed holds an event whose data does not match its type, then it is a mismatch', () => {
    const event = { id: '1', organizationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', type: 'connection.disconnected', createdAt: new Date().toISOString(), data: { portalId: '1', auth: 'oauth' } };
    expect(responseMismatch(route('/api/v1/events'), 200, { events: [event], nextCursor: '1' })).toBeUndefined();
    expect(responseMismatch(route('/api/v1/events'), 200, { events: [{ ...event, data: { portalId: 1 } }], nextCursor: '1' })).toMatch(/^event connection\.disconnected/);
    expect(responseMismatch(route("/api/v1/events"), 200, { events: [{ ...event, type: "test.made_up" }], nextCursor: "1" })).toBeUndefined();
  });

  test('when every operation of the table is checked, then each has a unique operationId', () => {
    const ids = API_OPERATIONS.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
