// The install URL and consent form over HTTP (the browser-driven test is consent-page.int.test.ts):
// every refusal is an HTML error page with no redirect; approve and cancel redirect with code/state or
// error/state.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { http, localRedirectUri, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startEmulator();
});
afterAll(async () => {
  await f.emu.stop();
});

const authorizeUrl = (params: Record<string, string>, path = '/oauth/authorize') => {
  const all = { client_id: f.emu.app.clientId, redirect_uri: localRedirectUri, scope: f.emu.app.requiredScopes.join(' '), ...params };
  return `${f.emu.url}${path}?${new URLSearchParams(all).toString()}`;
};
const refusal = async (params: Record<string, string>) => {
  const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
};

describe('GET /oauth/authorize', () => {
  it('when the client id is unknown, then it shows an error page and does not redirect', async () => {
    const res = await refusal({ client_id: 'not-our-app' });
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.html).toContain('Invalid client ID');
  });

  it('when redirect_uri is not an exact registered URL, then it shows the mismatch error page', async () => {
    const res = await refusal({ redirect_uri: `${localRedirectUri}/` });
    expect(res.status).toBe(400);
    expect(res.html).toContain('Redirect URL mismatch');
  });

  it('when scope lacks a required scope, then it shows a scope mismatch naming it', async () => {
    const res = await refusal({ scope: 'oauth tickets' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('missing scopes the app requires: crm.objects.contacts.read');
  });

  it('when scope names a scope the app does not declare, then it is refused', async () => {
    const res = await refusal({ scope: `${f.emu.app.requiredScopes.join(' ')} crm.objects.unicorns.read` });
    expect(res.status).toBe(400);
    expect(res.html).toContain('does not declare: crm.objects.unicorns.read');
  });

  it('when optional_scope names an undeclared scope, then it is refused', async () => {
    const res = await refusal({ optional_scope: 'crm.objects.deals.write' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('crm.objects.deals.write');
  });

  it('when the URL is valid, then the page lists the accounts, required and optional scopes, Connect and Cancel', async () => {
    const res = await fetch(authorizeUrl({ optional_scope: 'conversations.write', state: 'abc' }));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<legend>Choose an account</legend>');
    expect(html).toContain('<label for="portal-62515">Switchboard Demo (Hub ID 62515');
    expect(html).toContain('<code>tickets</code>');
    expect(html).toContain('<h2 id="optional-scopes">Optional access</h2><ul><li><code>conversations.write</code>');
    expect(html).toContain('name="state" value="abc"');
    expect(html).toMatch(/<button type="submit" name="action" value="approve">Connect app<\/button>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/);
  });

  it('when only one account can be chosen, then it is preselected; with two, none is', async () => {
    const one = await (await fetch(authorizeUrl({}))).text();
    expect(one.match(/type="radio"/g)).toHaveLength(1);
    expect(one).toContain('value="62515" required checked>');
    await f.client.createPortal({ name: 'Second Portal' });
    const two = await (await fetch(authorizeUrl({}))).text();
    expect(two.match(/type="radio"/g)).toHaveLength(2);
    expect(two).not.toContain(' checked>');
  });

  it('when the hub id is in the path, then there is no picker and an unknown hub id is refused', async () => {
    const fixed = await (await fetch(authorizeUrl({}, '/oauth/62515/authorize'))).text();
    expect(fixed).not.toContain('Choose an account');
    expect(fixed).toContain('<input type="hidden" name="portal_id" value="62515">');
    const unknown = await fetch(authorizeUrl({}, '/oauth/999/authorize'));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Account not found');
  });
});

describe('POST /oauth/authorize', () => {
  it('when no account is chosen, then it shows an error page instead of issuing a code', async () => {
    const body = new URLSearchParams({ client_id: f.emu.app.clientId, redirect_uri: localRedirectUri, scope: f.emu.app.requiredScopes.join(' '), action: 'approve' });
    const res = await fetch(`${f.emu.url}/oauth/authorize`, { method: 'POST', body, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Choose an account');
  });

  it('when the form is tampered to add a scope, then it is validated again and refused', async () => {
    const body = new URLSearchParams({ client_id: f.emu.app.clientId, redirect_uri: localRedirectUri, scope: `${f.emu.app.requiredScopes.join(' ')} crm.schemas.custom.write`, action: 'approve', portal_id: '62515' });
    const res = await fetch(`${f.emu.url}/oauth/authorize`, { method: 'POST', body, redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('when the user cancels, then it redirects with error=access_denied and the state', async () => {
    const result = await f.client.authorize({ redirectUri: localRedirectUri, state: 'csrf-1', cancel: true });
    expect(result.code).toBeUndefined();
    expect(result.error).toBe('access_denied');
    expect(result.state).toBe('csrf-1');
    expect(result.location.startsWith(`${localRedirectUri}?`)).toBe(true);
  });

  it('when the user connects, then it redirects with code and state, grants optional scopes and records the install', async () => {
    const result = await f.client.authorize({ redirectUri: localRedirectUri, state: 'csrf-2', optionalScopes: ['conversations.write'], hubIdInPath: true });
    expect(result.code).toEqual(expect.any(String));
    expect(result.state).toBe('csrf-2');
    const tokens = await f.client.exchangeCode(result.code ?? '', localRedirectUri);
    expect(tokens.scopes).toContain('conversations.write');
    expect((await f.client.portal(62515)).portal.installed).toBe(true);
    expect(await f.client.installs()).toContainEqual(expect.objectContaining({ portalId: 62515, userId: 1_000_001 }));
  });

  it('when another portal and user are chosen, then the tokens belong to them', async () => {
    const { portal } = await f.client.createPortal({ name: 'Second Co' });
    const { user } = await f.client.createUser(portal.id, { email: 'agent@second.example.com' });
    const tokens = await f.client.installViaOAuth({ redirectUri: localRedirectUri, portalId: portal.id, userId: user.id });
    expect(tokens).toMatchObject({ hub_id: portal.id, user_id: user.id });
    const details = await http(`${f.emu.url}/account-info/v3/details`, { token: tokens.access_token });
    expect(details.body).toMatchObject({ portalId: portal.id });
  });
});
