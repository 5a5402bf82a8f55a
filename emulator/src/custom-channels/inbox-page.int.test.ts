// Drives the help desk page in headless Chromium as an agent: open the portal's inbox, read the
// customer's and the AI's messages in order, reply (the channel's webhook receives the reply), assign
// the thread, close it; and start HubSpot's "connect channel" flow from the page as an admin.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, watchProblems } from '../../../test/support/browser.js';
import { eventually, startReceiver, type Receiver } from '../outbound/__support__/receiver.js';
import { http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
let receiver: Receiver;
let browser: Browser;
let page: Page;
let problems: string[];
let channelId: string;
let accountId: string;
let threadId: number;
let agentId: number;
const portal = 62515;
const base = () => `${f.emu.url}/conversations/custom-channels/2026-03`;
const soon = <T>(check: () => T | undefined | false) => eventually(check, 30_000);

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Connect</title><p>Connect</p>' }));
  f = await startEmulator({ now: Date.now });
  const token = (await f.client.install(portal, { scopes: ['oauth', 'conversations.custom_channels.read', 'conversations.custom_channels.write'] })).access_token;
  agentId = (await f.client.createUser(portal, { email: 'ada@example.com', firstName: 'Ada', lastName: '<Agent>' })).user.id;
  const channel = await http(`${base()}?hapikey=${f.emu.app.developerApiKey}&appId=${f.emu.app.appId}`, {
    body: { name: 'Acme AI', webhookUrl: `${receiver.url}/hooks/channel`, channelAccountConnectionRedirectUrl: `${receiver.url}/connect`, capabilities: { threadingModel: 'INTEGRATION_THREAD_ID', allowOutgoingMessages: true } },
  });
  channelId = (channel.body as { id: string }).id;
  accountId = ((await http(`${base()}/${channelId}/channel-accounts`, { token, body: { inboxId: '147959634', name: 'Support', authorized: true } })).body as { id: string }).id;
  const publish = (body: Record<string, unknown>) => http(`${base()}/${channelId}/messages`, { token, body: { channelAccountId: accountId, integrationThreadId: 'conv-9', recipients: [], ...body } });
  const first = await publish({ integrationIdempotencyId: '1', messageDirection: 'INCOMING', text: 'My <b>parcel</b> is lost', senders: [{ name: 'Carla', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'c9' } }] });
  threadId = Number((first.body as { conversationsThreadId: string }).conversationsThreadId);
  await publish({ integrationIdempotencyId: '2', messageDirection: 'OUTGOING', text: 'Sorry to hear that.', senders: [{ name: 'Acme AI', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme' } }] });
  browser = await launchChromium();
  page = await browser.newPage();
  problems = watchProblems(page);
});
afterAll(async () => {
  await browser?.close();
  await f?.emu.stop();
  await receiver?.close();
});

const texts = (p: Page) => p.locator('ol.messages li .text').allTextContents();

describe('help desk page in a browser', () => {
  it('when the agent opens the thread, then the messages show in order, escaped', async () => {
    await page.goto(`${f.emu.url}/_emulator/ui/inbox?portalId=${portal}`);
    await page.getByRole('link', { name: `Thread ${threadId}` }).click();
    expect(await texts(page)).toStrictEqual(['My <b>parcel</b> is lost', 'Sorry to hear that.']);
    expect(await page.locator('ol.messages b').count()).toBe(0);
  });

  it('when the agent replies through the page, then the reply shows and reaches the channel webhook', async () => {
    await page.getByLabel('Reply as').selectOption(String(agentId));
    await page.getByLabel('Reply text').fill('I will find it for you.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    // The form answers with a 303 back to the page: wait for the new page's content, not a time.
    await page.locator('ol.messages li .text', { hasText: 'I will find it for you.' }).waitFor();
    expect(await texts(page)).toStrictEqual(['My <b>parcel</b> is lost', 'Sorry to hear that.', 'I will find it for you.']);
    const event = await soon(() => receiver.requests.map((r) => JSON.parse(r.rawBody.toString() || '{}') as { type?: string; message?: { text: string; senders: { actorId: string }[] } }).find((b) => b.type === 'OUTGOING_CHANNEL_MESSAGE_CREATED'));
    expect(event.message).toMatchObject({ text: 'I will find it for you.', senders: [{ actorId: `A-${agentId}` }] });
  });

  it('when the agent assigns the thread and closes it, then the page and the emulator show both', async () => {
    await page.getByLabel('Assignee').selectOption(String(agentId));
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.locator('#thread-assignee', { hasText: 'Ada <Agent>' }).waitFor();
    await page.getByRole('button', { name: 'Close thread' }).click();
    await page.locator('#thread-status', { hasText: 'CLOSED' }).waitFor();
    expect((await f.client.inboxThreads(portal)).find((t) => t.id === threadId)).toMatchObject({ assignee: agentId, status: 'CLOSED' });
  });

  it('when the admin connects the channel from the page, then the browser lands on the channel\'s connection URL with an account token', async () => {
    await page.getByLabel('Inbox').selectOption('147959635');
    await page.getByRole('button', { name: 'Connect Acme AI' }).click();
    await page.waitForURL(`${receiver.url}/connect?**`);
    const url = new URL(page.url());
    expect(url.searchParams.get('portalId')).toBe(String(portal));
    expect(url.searchParams.get('inboxId')).toBe('147959635');
    expect(f.emu.state.ctx.data.customChannels.stagingTokens.has(url.searchParams.get('accountToken') ?? '')).toBe(true);
    expect(problems).toStrictEqual([]);
  });
  it('when the app comments on the thread, then the page shows it apart from the messages, as the integration\'s internal comment', async () => {
    const writer = (await f.client.install(portal, { scopes: ['oauth', 'conversations.write'] })).access_token;
    const posted = await http(`${f.emu.url}/conversations/v3/conversations/threads/${threadId}/messages`, { token: writer, body: { type: 'COMMENT', text: 'Handoff requested: refund <over> limit', attachments: [] } });
    expect(posted.status).toBe(201);
    await page.goto(`${f.emu.url}/_emulator/ui/inbox?portalId=${portal}&threadId=${threadId}`);
    const comment = page.locator('ol.messages li.COMMENT');
    expect(await comment.count()).toBe(1);
    expect(await comment.locator('.text').textContent()).toBe('Handoff requested: refund <over> limit');
    expect(await comment.locator('.meta').textContent()).toMatch(/\(integrator\) · internal comment/);
    expect(await page.locator('ol.messages li:not(.COMMENT)').count()).toBe(3);
    expect(problems).toStrictEqual([]);
  });
});
