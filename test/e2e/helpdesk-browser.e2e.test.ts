// The help-desk story in headless Chromium against the emulator's help desk page, over real ports: the
// backend (with its workers) and the emulator, HubSpot's custom channel in between. The admin connects
// the channel from the page through HubSpot's own connect flow; the vendor posts a customer turn and an
// AI answer, which the page shows in order as the right senders; the agent assigns the thread to
// themselves on the page (ai.paused), replies on the page (message.agent_reply in the feed and a signed
// push), the vendor reports delivery (the page shows SENT), and the agent closes the thread on the page
// (the conversation is closed). And an admin connects the channel through the hosted connection
// page's inbox picker instead.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium, watchProblems } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { signatureValid, startVendorEndpoint } from '../support/vendor-endpoint.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';

const DEVELOPER_KEY = 'devkey-helpdesk-browser-0123456789abcdef';

describe('help desk story in a browser (emulator inbox page)', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  let vendor: Awaited<ReturnType<typeof startVendorEndpoint>>;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  beforeAll(async () => {
    stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
    vendor = await startVendorEndpoint();
    browser = await launchChromium();
    page = await browser.newPage();
    problems = watchProblems(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await vendor?.close();
    await stack?.stop();
  });
  const api = () => request(stack.backend.app);
  const feed = async () => ((await api().get('/api/v1/events?limit=500').set('authorization', org.auth)).body as { events: { type: string; data: Record<string, unknown> }[] }).events;
  const eventOf = async (type: string, conversationId: string) => (await eventually(async () => (await feed()).find((e) => e.type === type && e.data.conversationId === conversationId), { timeoutMs: 30_000 }))!;
  const inboxPage = (threadId?: string) => `${stack.emulator.url}/_emulator/ui/inbox?portalId=${org.portalId}${threadId ? `&threadId=${threadId}` : ''}`;
  // Each message on the page: its direction (the item's class), its sender line and its text.
  const shown = async () => {
    const items = await page.locator('ol.messages li').all();
    return Promise.all(items.map(async (li) => [await li.getAttribute('class'), await li.locator('.meta').textContent(), await li.locator('.text').textContent()]));
  };

  it('runs the whole story through the page: connect, mirror in order, takeover pauses, reply reaches the vendor, SENT shows, closing closes', async () => {
    // 1. Connect with the channel scopes, register the channel, and connect it to the help desk from
    //    the page: HubSpot's "connect channel" button sends the browser to the backend's redirect URL.
    org = await connectOrganization(stack, DEMO_PORTAL_ID, 'Help Desk Co');
    await stack.backend.services.helpdesk.registerChannel({});
    await page.goto(inboxPage());
    await page.getByLabel('Inbox').selectOption({ label: 'Help Desk' });
    await page.getByRole('button', { name: /^Connect / }).click();
    await page.waitForURL(`${stack.backendUrl}/hubspot/channel/connect?**`);
    await page.getByRole('heading', { name: 'Channel connected' }).waitFor();
    await eventually(async () => (await api().get('/api/v1/helpdesk').set('authorization', org.auth)).body.state === 'connected', { timeoutMs: 30_000 });
    const destination = await api().put('/api/v1/event-destination').set('authorization', org.auth).send({ url: vendor.url });
    const secret = destination.body.secret as string;

    // 2. The vendor posts a customer turn and the AI's answer: the page shows both, in order, as the
    //    visitor and the integration.
    const conversation = (await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'chat-browser-1' })).body as { id: string };
    expect((await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'Where is my <b>parcel</b>?', customer: { email: 'robin@example.com', name: 'Robin Park' } })).status).toBe(202);
    expect((await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'ai', text: 'It left the depot this morning.' })).status).toBe(202);
    const threadId = (await eventually(async () => {
      const list = (await api().get(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth)).body as { threadId: string | null; messages: { status: string }[] };
      return list.messages.every((m) => m.status === 'sent') ? list.threadId : null;
    }, { timeoutMs: 30_000 }))!;
    await page.goto(inboxPage());
    await page.getByRole('link', { name: `Thread ${threadId}` }).click();
    expect(await shown()).toStrictEqual([
      ['INCOMING', expect.stringMatching(/^Robin Park \(visitor\)/), 'Where is my <b>parcel</b>?'],
      ['OUTGOING', expect.stringMatching(/\(integrator\)/), 'It left the depot this morning.'],
    ]);

    // 3. The agent assigns the thread to themselves on the page: the AI is paused by the thread's assignee.
    const agent = (await stack.hub.users(org.portalId))[0]!;
    await page.getByLabel('Assignee').selectOption(String(agent.id));
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.locator('#thread-assignee', { hasNotText: 'Unassigned' }).waitFor();
    const paused = await eventOf('ai.paused', conversation.id);
    expect(paused.data).toMatchObject({ source: 'hubspot-thread-assignee', actor: `hubspot-user:${agent.id}`, threadId });

    // 4. The agent replies on the page: `message.agent_reply` in the feed and as a signed push.
    await page.getByLabel('Reply as').selectOption(String(agent.id));
    await page.getByLabel('Reply text').fill('Hi Robin, I have it from here.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const replyItem = page.locator('ol.messages li', { hasText: 'Hi Robin, I have it from here.' });
    await replyItem.waitFor();
    const replyId = (await replyItem.getAttribute('data-message-id'))!;
    const replied = await eventOf('message.agent_reply', conversation.id);
    expect(replied.data).toMatchObject({ conversationId: conversation.id, threadId, messageId: replyId, text: 'Hi Robin, I have it from here.', agent: { userId: String(agent.id) } });
    const pushed = (await eventually(() => vendor.received.find((p) => p.headers['x-switchboard-event-type'] === 'message.agent_reply'), { timeoutMs: 30_000 }))!;
    expect(signatureValid(secret, pushed)).toBe(true);
    expect(JSON.parse(pushed.body)).toMatchObject({ type: 'message.agent_reply', data: { messageId: replyId } });

    // 5. The vendor delivered it to the customer: the page shows SENT on the agent's message.
    expect((await api().post(`/api/v1/conversations/${conversation.id}/messages/${replyId}/delivery`).set('authorization', org.auth).send({ status: 'sent' })).status).toBe(200);
    await page.reload();
    expect(await replyItem.locator('.status').textContent()).toBe('SENT');

    // 6. The agent closes the thread on the page: the conversation is closed.
    await page.getByRole('button', { name: 'Close thread' }).click();
    await page.locator('#thread-status', { hasText: 'CLOSED' }).waitFor();
    const closed = await eventOf('conversation.closed', conversation.id);
    expect(closed.data).toMatchObject({ conversationId: conversation.id, threadId });
    expect((await api().get(`/api/v1/conversations/${conversation.id}`).set('authorization', org.auth)).body.threadStatus).toBe('CLOSED');
    expect(problems).toStrictEqual([]);
  }, 180_000);

  it('connects the channel through the hosted connection page\'s inbox picker', async () => {
    const portal = (await stack.hub.createPortal({ domain: 'picker-browser.example.com' })).portal;
    const picker = await connectOrganization(stack, portal.id, 'Picker Co');
    await page.goto((await stack.backend.services.installs.createInstallLink(picker.id)).url);
    const helpdesk = page.locator('#helpdesk');
    await helpdesk.getByLabel('Inbox or help desk').selectOption({ label: 'Help Desk' });
    await helpdesk.getByRole('button', { name: 'Connect the channel' }).click();
    await page.getByText('Help desk channel connected').waitFor();
    expect(await helpdesk.getAttribute('data-helpdesk-state')).toBe('connected');
    expect(await helpdesk.textContent()).toContain('Connected to inbox Help Desk');
    const status = (await api().get('/api/v1/helpdesk').set('authorization', picker.auth)).body as { state: string; account: { inboxId: string; connectedVia: string } };
    expect(status).toMatchObject({ state: 'connected', account: { connectedVia: 'api' } });
    const accounts = (await (await fetch(`${stack.emulator.url}/_emulator/custom-channels`)).json()) as { accounts: { id: string; portalId: number; inboxId: string }[] };
    expect(accounts.accounts.filter((a) => a.portalId === portal.id).map((a) => a.inboxId)).toStrictEqual([status.account.inboxId]);
    expect(problems).toStrictEqual([]);
  }, 60_000);
});
