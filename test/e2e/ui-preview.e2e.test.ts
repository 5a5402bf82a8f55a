// The emulator's preview of the project's real UI extensions in headless Chromium, against a listening
// backend over real ports: the ticket record page renders the AI state card; Pause, Resume and Request
// handoff on the card reach the backend through the emulator's signing proxy; an owner change through
// the emulator shows as a takeover after a reload; the settings page saves "pause on owner change" and
// connects the help-desk channel to an inbox the emulator lists.
// Every test fails on a console error. Screenshots go to test/artifacts/ (git-ignored); with
// UPDATE_DOCS_SCREENSHOTS=1 the README's ones are also copied to docs/images/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, watchProblems } from '../support/browser.js';
import { createEmulator } from '../../emulator/src/emulator.js';
import { expectEventually } from '../support/expect-eventually.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';
import { repoRoot } from '../support/spawn.js';

const ARTIFACTS = path.join(repoRoot, 'test/artifacts');
const DOCS_IMAGES = path.join(repoRoot, 'docs/images');
const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';
const SAM_AGENT_OWNER_ID = 51_000_002;
const DEVELOPER_KEY = 'devkey-ui-preview-e2e-0123456789';

let stack: HubSpotStack;
let org: ConnectedOrganization;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The emulator's developer key lets the backend register the help-desk channel, as at deploy time.
  stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
  await stack.backend.services.helpdesk.registerChannel({});
  org = await connectOrganization(stack, DEMO_PORTAL_ID, 'Acme Support');
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
  page = await context.newPage();
  problems = watchProblems(page);
});
afterEach(async () => {
  await context?.close();
});

// ---- helpers ----

const sidebarCard = () => page.locator('section.pv-card').first();

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
}

async function snap(name: string, target: Page | Locator, opts: { docs?: boolean } = {}): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await ('goto' in target ? target.screenshot({ path: file, fullPage: true }) : target.screenshot({ path: file }));
  if (updateDocs && opts.docs) {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `${name}.png`));
  }
}

async function vendor<T>(method: string, urlPath: string, auth: string, body?: object): Promise<T> {
  const res = await fetch(`${stack.backendUrl}${urlPath}`, {
    method,
    headers: { Authorization: auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

async function linkConversation(auth: string, externalId: string, ticketId: number): Promise<string> {
  return (await vendor<{ id: string }>('POST', '/api/v1/conversations', auth, { externalId, ticketId })).id;
}

const previewUrl = (objectType: string, objectId: number, portalId = DEMO_PORTAL_ID) => `${stack.emulator.url}/_emulator/ui/${objectType}/${objectId}?portalId=${portalId}`;

async function expectState(conversationId: string, label: string): Promise<void> {
  await visible(page.getByTestId(`state-${conversationId}`).getByText(label, { exact: true }));
}

// ---- scenarios ----

describe('UI extensions preview in a browser', () => {
  it('when a ticket with a linked conversation is previewed, then Pause and Resume on the card reach the backend through the signing proxy, and an owner change shows as a takeover after a reload', async () => {
    const id = await linkConversation(org.auth, 'chat-1002', 1002);
    await fetch(`${stack.emulator.url}/_emulator/fetch/requests`, { method: 'DELETE' });

    await page.goto(previewUrl('tickets', 1002));
    await expectState(id, 'AI active');
    await visible(page.getByRole('heading', { name: 'Cannot log in' }));
    await snap('preview-record-page', page, { docs: true });
    await snap('preview-card-active', sidebarCard(), { docs: true });

    await page.getByTestId(`pause-${id}`).click();
    await expectState(id, 'AI paused');
    await visible(page.getByTestId(`action-success-${id}`));
    await snap('preview-card-paused', sidebarCard(), { docs: true });
    expect(await vendor<{ aiState: string }>('GET', `/api/v1/conversations/${id}`, org.auth)).toMatchObject({ aiState: 'paused' });
    const transitions = await vendor<{ transitions: { source: string; to: string }[] }>('GET', `/api/v1/conversations/${id}/transitions`, org.auth);
    expect(transitions.transitions.at(-1)).toMatchObject({ source: 'card', to: 'paused' });

    // The card's requests went through the emulator's hubspot.fetch stand-in, signed, to the backend.
    const sent = (await (await fetch(`${stack.emulator.url}/_emulator/fetch/requests`)).json()) as { requests: { method: string; url: string; status?: number }[] };
    expect(sent.requests.map((r) => [r.method, new URL(r.url).origin + new URL(r.url).pathname, r.status])).toEqual(
      expect.arrayContaining([
        ['GET', `${stack.backendUrl}/hubspot/ui/records/tickets/1002`, 200],
        ['POST', `${stack.backendUrl}/hubspot/ui/conversations/${id}/pause`, 200],
      ]),
    );

    await page.getByTestId(`resume-${id}`).click();
    await expectState(id, 'AI active');
    expect(await vendor<{ aiState: string }>('GET', `/api/v1/conversations/${id}`, org.auth)).toMatchObject({ aiState: 'active' });

    // An agent takes the ticket in HubSpot: the webhook pauses the AI; the page shows it after a reload.
    await stack.hub.setTicketOwner(DEMO_PORTAL_ID, 1002, SAM_AGENT_OWNER_ID);
    await expectEventually(async () => {
      expect(await vendor<{ aiState: string }>('GET', `/api/v1/conversations/${id}`, org.auth)).toMatchObject({ aiState: 'paused' });
    });
    await page.reload();
    await expectState(id, 'AI paused');
    await visible(page.getByTestId(`last-transition-${id}`).getByText(/^Paused .*via an owner change/));
    await visible(page.getByTestId('record-owner').getByText('Sam Agent', { exact: true }));
    await snap('preview-card-owner-change', sidebarCard(), { docs: true });

    await page.getByTestId(`handoff-${id}`).click();
    await expectState(id, 'Handoff requested');
    expect(await vendor<{ aiState: string }>('GET', `/api/v1/conversations/${id}`, org.auth)).toMatchObject({ aiState: 'handoff_requested' });
    await snap('preview-card-handoff', sidebarCard(), { docs: true });
    expect(problems).toStrictEqual([]);
  }, 90_000);

  it('when a ticket has no linked conversation, then the card shows its empty state', async () => {
    await page.goto(previewUrl('tickets', 1003));
    await visible(page.getByTestId('card-empty'));
    await visible(page.getByText('No AI conversation', { exact: true }));
    await snap('preview-card-no-conversation', sidebarCard(), { docs: true });
    expect(problems).toStrictEqual([]);
  }, 60_000);

  it('when the portal\'s connection needs a reconnect, then the card shows the reconnect banner above the conversation', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Globex Helpdesk', domain: 'globex.example.com' });
    const ticket = await stack.hub.createTicket(portal.id, { properties: { subject: 'Where is my order?', hs_pipeline_stage: '1' } });
    const other = await connectOrganization(stack, portal.id, 'Globex Support');
    const id = await linkConversation(other.auth, 'chat-globex-1', ticket.id);
    await stack.hub.revokePortalTokens(portal.id);
    await expect(stack.backend.services.tokens.refreshIfOlderThan(other.id, 0)).rejects.toMatchObject({ code: 'reinstall_required' });

    await page.goto(previewUrl('tickets', ticket.id, portal.id));
    await visible(page.getByTestId('card-reconnect'));
    await expectState(id, 'AI active');
    await snap('preview-card-needs-reconnect', sidebarCard(), { docs: true });
    expect(problems).toStrictEqual([]);
  }, 60_000);

  it('when the settings preview toggles "pause on owner change", then the backend\'s settings say so', async () => {
    expect(await vendor<{ pauseOnOwnerChange: boolean }>('GET', '/api/v1/settings', org.auth)).toMatchObject({ pauseOnOwnerChange: true });
    await page.goto(`${stack.emulator.url}/_emulator/ui/settings?portalId=${DEMO_PORTAL_ID}`);
    const toggle = page.getByTestId('pause-on-owner-change').getByRole('switch');
    await visible(toggle);
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('true');
    await visible(page.getByTestId('connection-status').getByText('Connected', { exact: true }));
    await snap('preview-settings', page, { docs: true });

    await toggle.click();
    await visible(page.getByTestId('pause-on-owner-change-saved'));
    await expect(toggle.getAttribute('aria-checked')).resolves.toBe('false');
    expect(await vendor<{ pauseOnOwnerChange: boolean }>('GET', '/api/v1/settings', org.auth)).toMatchObject({ pauseOnOwnerChange: false });
    expect(problems).toStrictEqual([]);
  }, 60_000);
});

describe('UI extensions preview of the settings page’s help-desk section', () => {
  it('when an inbox is picked and connected on the settings preview, then the emulator holds the channel account for it and the section shows the inbox', async () => {
    await page.goto(`${stack.emulator.url}/_emulator/ui/settings?portalId=${DEMO_PORTAL_ID}`);
    const picker = page.getByTestId('helpdesk-inbox').locator('select');
    await visible(picker);
    await visible(page.getByTestId('helpdesk-status').getByText('Not connected', { exact: true }));
    const listed = (await picker.locator('option').allTextContents()).filter((label) => label !== 'Choose an inbox');
    expect(listed).toContain('Help Desk');

    await picker.selectOption({ label: 'Help Desk' });
    await page.getByTestId('helpdesk-connect').click();
    await visible(page.getByTestId('helpdesk-connected'));
    await visible(page.getByTestId('helpdesk-state').getByText('Connected to inbox Help Desk.', { exact: true }));
    await snap('preview-settings-helpdesk', page);

    const accounts = (await stack.hub.customChannels()).accounts.filter((a) => a.portalId === DEMO_PORTAL_ID);
    const inboxId = await picker.inputValue();
    expect(accounts.map((a) => a.inboxId)).toStrictEqual([inboxId]);
    expect(await vendor<{ state: string; account: { inboxId: string } }>('GET', '/api/v1/helpdesk', org.auth)).toMatchObject({ state: 'connected', account: { inboxId } });
    expect(problems).toStrictEqual([]);
  }, 60_000);
});

describe('UI extensions preview of a card that uses a component the preview lacks', () => {
  it('when the card renders Accordion, then the page shows a box naming it and renders the rest; after an edit of the card a reload shows the edit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-project-'));
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'app', 'cards'), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'src/app/app-hsmeta.json'), path.join(src, 'app', 'app-hsmeta.json'));
    fs.copyFileSync(path.join(repoRoot, 'src/hsprofile.local.json'), path.join(src, 'hsprofile.local.json'));
    fs.writeFileSync(
      path.join(src, 'app', 'cards', 'demo-hsmeta.json'),
      JSON.stringify({ uid: 'demo_card', type: 'card', config: { name: 'Demo', entrypoint: '/app/cards/Demo.tsx', location: 'crm.record.sidebar', objectTypes: ['tickets'] } }),
    );
    fs.writeFileSync(
      path.join(src, 'app', 'cards', 'Demo.tsx'),
      [
        "import { Accordion, Text, hubspot, useExtensionContext } from '@hubspot/ui-extensions';",
        'function Demo() {',
        '  const { crm } = useExtensionContext<"crm.record.sidebar">();',
        '  return <><Text testId="demo-text">Record {crm.objectId}</Text><Accordion title="More">hidden</Accordion></>;',
        '}',
        'hubspot.extend<"crm.record.sidebar">(() => <Demo />);',
      ].join('\n'),
    );
    const emulator = await createEmulator({ srcDir: src, backendUrl: 'http://127.0.0.1:9', warn: () => undefined });
    try {
      await page.goto(`${emulator.url}/_emulator/ui/tickets/1001`);
      await visible(page.getByTestId('demo-text').getByText('Record 1001'));
      await visible(page.locator('.hs-not-available[data-component="Accordion"]').getByText('is not available in the preview', { exact: false }));

      // A source change is picked up on the next page load (the bundle is rebuilt).
      const entry = path.join(src, 'app', 'cards', 'Demo.tsx');
      fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('Record {crm.objectId}', 'Edited {crm.objectId}'));
      await page.reload();
      await visible(page.getByTestId('demo-text').getByText('Edited 1001'));
      expect(problems).toStrictEqual([]);
    } finally {
      await emulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
