// /docs/api in headless Chromium: Swagger UI, served from node_modules under the page's strict CSP,
// renders every operation and every event of the document with no console error (CSP violations
// and failed loads are console errors).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { createApp } from '../../backend/src/app.js';
import { buildOfflineAppDeps } from '../../backend/src/testing/offline-deps.js';
import { createSwitchboardClient } from '../../client/index.js';
import { launchChromium, watchProblems } from '../support/browser.js';

const deps = buildOfflineAppDeps();
let server: http.Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  server = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.db.destroy();
});

describe('GET /docs/api', () => {
  test('when opened in Chromium, then every operation and event renders, and expanding some logs no console error, under a CSP without inline script or eval', async () => {
    const document = (await createSwitchboardClient({ baseUrl }).getOpenApiDocument()) as { paths: Record<string, object>; webhooks: Record<string, object> };
    const operationCount = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0) + Object.keys(document.webhooks).length;
    const page = await browser.newPage();
    const problems = watchProblems(page);
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));

    const res = await page.goto(`${baseUrl}/docs/api`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    expect(res?.headers()['content-security-policy']).not.toMatch(/unsafe-(inline|eval)/);
    await page.locator('.opblock').nth(operationCount - 1).waitFor();
    expect(await page.locator('.opblock').count()).toBe(operationCount);
    // Expanding renders parameters, request and response schemas and markdown, where a CSP problem
    // would show: a body, a query, the proxy's catch-all and two events.
    for (const id of ['upsertConversation', 'listConversations', 'hubspotProxyPost', 'event_ai_paused', 'event_record_sent_to_ai']) {
      await page.locator(`[id$="-${id}"] .opblock-summary-control`).click();
    }
    await page.locator('.opblock-body').nth(4).waitFor();
    expect(await page.locator('.opblock-body').count()).toBe(5);
    await expect(page.getByText('X-Switchboard-Signature').first().isVisible()).resolves.toBe(true);
    await page.close();

    expect(problems).toStrictEqual([]);
  }, 120_000);

  test('when an asset outside the renderer’s two files is asked for, then it is not served', async () => {
    const res = await fetch(`${baseUrl}/docs/api/assets/index.html`);
    expect(res.status).toBe(404);
  });
});
