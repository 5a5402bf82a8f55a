// Drives the consent page in headless Chromium, as an installing user would: open the install URL,
// pick the account, press Connect, land on the redirect URL (a throwaway local server) with code and
// state, then exchange the code.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { eventually, startReceiver, type Receiver } from '../outbound/__support__/receiver.js';
import { startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
let receiver: Receiver;
let browser: Browser;
let redirectUri: string;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Installed</title><p>Installed</p>' }));
  redirectUri = `${receiver.url}/oauth/callback`;
  f = await startEmulator({ redirectUrls: [redirectUri] });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await f?.emu.stop();
  await receiver?.close();
});

describe('consent page in a browser', () => {
  it('when the user picks the account and presses Connect, then the redirect carries code and state and the code exchanges', async () => {
    const page = await browser.newPage();
    const params = new URLSearchParams({
      client_id: f.emu.app.clientId,
      redirect_uri: redirectUri,
      scope: f.emu.app.requiredScopes.join(' '),
      optional_scope: 'conversations.write',
      state: 'browser-state-42',
    });
    await page.goto(`${f.emu.url}/oauth/authorize?${params.toString()}`);
    expect(await page.title()).toBe('Connect Switchboard to HubSpot');
    await expect(page.getByRole('heading', { name: 'Required access' }).isVisible()).resolves.toBe(true);

    await page.getByLabel(/Switchboard Demo \(Hub ID 62515/).check();
    await page.getByRole('button', { name: 'Connect app' }).click();
    await page.waitForURL((url) => url.toString().startsWith(redirectUri));

    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe('browser-state-42');
    const code = landed.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    const hit = await eventually(() => receiver.requests.find((r) => r.path.startsWith('/oauth/callback')));
    expect(hit.path).toContain(`code=${encodeURIComponent(code ?? '')}`);

    const tokens = await f.client.exchangeCode(code ?? '', redirectUri);
    expect(tokens).toMatchObject({ hub_id: 62515, token_type: 'bearer', scopes: expect.arrayContaining(['tickets', 'conversations.write']) });
    await page.close();
  });

  it('when the user presses Cancel, then the redirect carries error=access_denied and the state', async () => {
    const page = await browser.newPage();
    const params = new URLSearchParams({ client_id: f.emu.app.clientId, redirect_uri: redirectUri, scope: f.emu.app.requiredScopes.join(' '), state: 'nope' });
    await page.goto(`${f.emu.url}/oauth/62515/authorize?${params.toString()}`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.toString().startsWith(redirectUri));
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe('nope');
    expect(landed.searchParams.get('code')).toBeNull();
    await page.close();
  });
});
