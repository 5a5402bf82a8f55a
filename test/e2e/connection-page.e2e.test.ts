// The hosted connection page in headless Chromium, against a listening backend and the emulator over
// real ports: a fresh install link through the emulator's consent page back to the "HubSpot connected"
// toast and the Connected card; the Needs reconnect state after the emulator revokes the portal's
// tokens; the legacy Private App banner and the migration to OAuth. Each state is saved as a screenshot
// under test/artifacts/ (git-ignored); with UPDATE_DOCS_SCREENSHOTS=1 the one picked for each state is
// also copied to docs/images/ for the README (never on a plain run, so CI leaves the tree clean).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, watchProblems } from '../support/browser.js';
import { expectEventually } from '../support/expect-eventually.js';
import { connectOrganization, createOrganization, DEMO_PORTAL_ID, startHubSpotStack, type HubSpotStack } from '../support/hubspot-stack.js';
import { repoRoot } from '../support/spawn.js';

const ARTIFACTS = path.join(repoRoot, 'test/artifacts');
const DOCS_IMAGES = path.join(repoRoot, 'docs/images');
const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

let stack: HubSpotStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Console errors and failed same-origin requests (a CSP violation shows up here). */
let problems: string[];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startHubSpotStack();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
beforeEach(async () => {
  // A fresh browser profile per test: no cookies carried between scenarios.
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  page = await context.newPage();
  problems = watchProblems(page);
});
afterEach(async () => {
  await context?.close();
});

// ---- helpers ----

async function screenshot(name: string, opts: { docs?: boolean } = {}): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (updateDocs && opts.docs) {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `${name}.png`));
  }
}

async function installLink(organizationId: string): Promise<string> {
  return (await stack.backend.services.installs.createInstallLink(organizationId)).url;
}

/** On the emulator's consent page: pick the portal and press Connect app; resolves back on the connection page. */
async function approveOnConsentPage(portalId: number, opts: { screenshot?: string } = {}): Promise<void> {
  await page.waitForURL((url) => url.toString().startsWith(`${stack.emulator.url}/oauth/authorize`));
  await expect(page.title()).resolves.toBe('Connect Switchboard to HubSpot');
  await page.getByLabel(new RegExp(`Hub ID ${portalId},`)).check();
  if (opts.screenshot) await screenshot(opts.screenshot, { docs: true });
  await page.getByRole('button', { name: 'Connect app' }).click();
  await page.waitForURL((url) => url.toString().startsWith(`${stack.backendUrl}/connect/`));
}

const card = () => page.locator('section.integration');

/** Waits (bounded) until the element is visible; fails the test otherwise. */
async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
}

/** The toast is put into its live region by the page script just after load, so it is awaited. */
async function expectToast(title: string): Promise<void> {
  await visible(page.getByRole('status').getByText(title, { exact: true }));
}

async function newPortal(name: string): Promise<number> {
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  return (await stack.hub.createPortal({ name, domain: `${slug}.example.com` })).portal.id;
}

// ---- scenarios ----

describe('connection page in a browser', () => {
  it('when an admin opens a fresh install link and approves on the consent page, then the page shows the toast and the Connected card with its activity', async () => {
    const org = await createOrganization(stack.backend, 'Acme Support');
    const conversation = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'chat-1001', ticketId: 1001, contactId: 101 });
    const link = await installLink(org.id);

    await page.goto(link);
    await expect(page.title()).resolves.toBe('HubSpot integration – Acme Support');
    await visible(page.getByRole('heading', { level: 1, name: 'HubSpot integration' }));
    await expect(card().getAttribute('data-status')).resolves.toBe('not_connected');
    await visible(card().getByText('Not connected', { exact: true }));
    await screenshot('connect-not-connected', { docs: true });
    // Keyboard first: the first Tab reaches the skip link (the Connect button is found by role and name below).
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Skip to main content');

    await page.getByRole('link', { name: 'Connect with HubSpot' }).click();
    await approveOnConsentPage(DEMO_PORTAL_ID, { screenshot: 'emulator-consent' });

    await expectToast('HubSpot connected');
    await expect(card().getAttribute('data-status')).resolves.toBe('connected');
    await visible(card().getByText(String(DEMO_PORTAL_ID), { exact: true }));
    await visible(card().getByText('switchboard-demo.example.com', { exact: true }));
    // The one-time notice is dropped from the address bar, so a reload does not repeat it.
    expect(new URL(page.url()).search).toBe('');
    await screenshot('connect-connected-toast');

    // Activity for the troubleshooting panel: an owner change (webhook → AI paused), a workflow action, a refresh.
    await stack.hub.setTicketOwner(DEMO_PORTAL_ID, 1001, 51000001);
    await stack.hub.request('POST', '/_emulator/workflows/execute', { portalId: DEMO_PORTAL_ID, actionUid: 'resume-ai', objectType: 'TICKET', objectId: 1001, workflowId: 5000123 });
    await stack.backend.services.tokens.refreshIfOlderThan(org.id, 0);
    await expectEventually(async () => {
      expect((await stack.backend.services.webhooks.listRecentEvents(org.id, 10)).some((e) => e.status === 'processed')).toBe(true);
    });
    expect((await stack.backend.services.conversations.getHistory(org.id, conversation.conversation.id)).transitions.map((t) => t.source)).toContain('owner_change');

    await page.goto(`${link}?connected=1`);
    await expectToast('HubSpot connected');
    const webhooks = page.locator('table[data-table="webhooks"]');
    await visible(webhooks.getByText('Processed').first());
    await visible(page.locator('table[data-table="executions"]').getByText('Resume AI'));
    await visible(page.locator('table[data-table="refreshes"]').getByText('Refreshed', { exact: true }));
    await screenshot('connect-connected', { docs: true });

    // Responsive: on a phone-sized screen nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).resolves.toBe(true);
    await screenshot('connect-connected-mobile');
    await page.setViewportSize({ width: 1200, height: 900 });

    // Disconnect asks for confirmation first.
    await page.getByText('Disconnect HubSpot…').click();
    await page.getByRole('button', { name: 'Yes, disconnect HubSpot' }).click();
    await expectToast('HubSpot disconnected');
    await expect(card().getAttribute('data-status')).resolves.toBe('disconnected');
    await visible(page.getByRole('link', { name: 'Connect with HubSpot' }));
    expect(problems).toStrictEqual([]);
  }, 60_000);

  it('when the emulator revokes the portal\'s tokens and a refresh fails, then the page shows Needs reconnect with the reason, and Reconnect restores Connected', async () => {
    const portalId = await newPortal('Needs Reconnect Portal');
    const org = await connectOrganization(stack, portalId, 'Globex Helpdesk');
    const link = await installLink(org.id);
    await stack.hub.revokePortalTokens(portalId);
    await expect(stack.backend.services.tokens.refreshIfOlderThan(org.id, 0)).rejects.toMatchObject({ code: 'reinstall_required' });

    await page.goto(link);
    await expect(card().getAttribute('data-status')).resolves.toBe('needs_reauth');
    await visible(card().getByText('Needs reconnect', { exact: true }));
    await visible(card().getByText(/HubSpot refused the refresh token \(invalid_grant\)/));
    await visible(page.locator('table[data-table="refreshes"]').getByText('Refused', { exact: true }));
    await screenshot('connect-needs-reconnect', { docs: true });

    await card().getByRole('link', { name: 'Reconnect with HubSpot' }).click();
    await approveOnConsentPage(portalId);
    await expectToast('HubSpot connected');
    await expect(card().getAttribute('data-status')).resolves.toBe('connected');
    expect(await stack.backend.services.connections.getStatus(org.id)).toMatchObject({ status: 'connected', auth: 'oauth', portalId });
    expect(problems).toStrictEqual([]);
  }, 60_000);

  it('when an organization pastes a legacy Private App token, then the Action recommended banner shows, and Migrate to OAuth keeps its history', async () => {
    const portalId = await newPortal('Legacy Portal');
    const pat = await stack.hub.createPrivateAppToken(portalId, { scopes: ['tickets', 'crm.objects.contacts.read', 'crm.objects.owners.read', 'conversations.read'] });
    const org = await createOrganization(stack.backend, 'Initech Care');
    const { conversation } = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'legacy-chat-1', ticketId: 1001 });
    const link = await installLink(org.id);

    await page.goto(link);
    await page.getByText('Use a Private App token instead (legacy)').click();
    await page.getByLabel('Private App access token').fill(pat.token);
    await page.getByRole('button', { name: 'Save token' }).click();
    await expectToast('Private App token saved');
    await expect(card().getAttribute('data-state')).resolves.toBe('private_app');
    await visible(page.getByRole('heading', { name: 'Action recommended' }));
    await expect(page.content()).resolves.not.toContain(pat.token);

    // Settings changed on the page before the migration must survive it.
    await page.getByLabel('Pause the AI when an agent takes over').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectToast('Settings saved');
    await page.goto(link);
    await screenshot('connect-private-app', { docs: true });

    await page.getByRole('link', { name: 'Migrate to OAuth' }).first().click();
    await approveOnConsentPage(portalId);
    await expectToast('HubSpot connected');
    await expect(card().getAttribute('data-state')).resolves.toBe('connected');
    await expect(page.getByRole('heading', { name: 'Action recommended' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Pause the AI when an agent takes over').isChecked()).resolves.toBe(false);

    expect(await stack.backend.services.connections.getStatus(org.id)).toMatchObject({ status: 'connected', auth: 'oauth', portalId });
    expect((await stack.backend.services.conversations.getConversation(org.id, conversation.id)).externalId).toBe('legacy-chat-1');
    expect((await stack.backend.services.connections.listHistory(org.id)).map((e) => e.event)).toStrictEqual(['private_app_connected', 'migrated_to_oauth']);
    expect(stack.backend.logs.text()).not.toContain(pat.token);
    expect(problems).toStrictEqual([]);
  }, 60_000);
});
