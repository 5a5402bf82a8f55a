// Claiming a marketplace (HubSpot-initiated) install. The callback of such an install has no state, so
// anyone can plant one in a victim's browser (login CSRF): the claim must be confirmed by HubSpot for
// the same portal, in the same browser, before anything is connected.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { mergeCookies, openConnectPage } from '../../../../test/support/connect-page.js';
import { createInstallLink, createOrganization, startHubSpotHarness, TEST_PUBLIC_BASE_URL, type HubSpotHarness } from '../../../../test/support/hubspot-harness.js';
import { OPTIONAL_SCOPES } from '../../hubspot/scopes.js';

let h: HubSpotHarness;
beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  await h.stop();
});

const redirectUri = `${TEST_PUBLIC_BASE_URL}/oauth/callback`;
const app = () => request(h.backend.app);
const connectionOf = async (apiKey: string) => (await app().get('/api/v1/connection').set('Authorization', `Bearer ${apiKey}`)).body as { status: string; portalId?: number; portalDomain?: string };
const holderOf = async (portalId: number) => h.backend.tdb.db.selectFrom('connections').select(['organization_id', 'status']).where('portal_id', '=', portalId).execute();

/** A browser: a cookie jar over supertest, following nothing by itself. */
function browser() {
  let jar = '';
  return {
    get cookie() {
      return jar;
    },
    async get(pathAndQuery: string): Promise<request.Response> {
      const res = await app().get(pathAndQuery).set('Accept', 'text/html').set('Cookie', jar);
      jar = mergeCookies(jar, res.headers['set-cookie']);
      return res;
    },
    async post(pathAndQuery: string, form: Record<string, string>): Promise<request.Response> {
      const res = await app().post(pathAndQuery).set('Accept', 'text/html').set('Cookie', jar).type('form').send(form);
      jar = mergeCookies(jar, res.headers['set-cookie']);
      return res;
    },
  };
}
type Browser = ReturnType<typeof browser>;

/**
 * Presses the page's claim control as a person would: a form is submitted, a link is followed.
 * @returns our answer (a redirect to HubSpot, or back to the page)
 */
async function pressClaim(b: Browser, linkToken: string): Promise<request.Response> {
  const page = await b.get(`/connect/${linkToken}`);
  const claimPath = `/connect/${linkToken}/claim`;
  if (page.text.includes(`action="${claimPath}"`)) return b.post(claimPath, { csrf: /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' });
  expect(page.text).toContain(`href="${claimPath}"`);
  return b.get(claimPath);
}

/** The consent page's form, posted for `portalId` as `userId` (HubSpot's own answer to the browser). */
async function approveAtHubSpot(authorize: URL, opts: { portalId: number; userId: number; path?: string }): Promise<Response> {
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('action', 'approve');
  form.set('portal_id', String(opts.portalId));
  form.set('user_id', String(opts.userId));
  return fetch(new URL(opts.path ?? authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
}

describe('marketplace install claim', () => {
  it('when an attacker plants their portal’s stateless callback in a victim’s browser, then the victim’s connection link never wires the victim’s organization to the attacker’s portal', async () => {
    // The attacker installs the app in their own portal from the marketplace and keeps the redirect.
    const attacker = await h.client.createPortal({ id: 666001, name: 'Totally Your Company', domain: 'your-company.example.com' });
    const attackerGrant = await h.client.authorize({ redirectUri, optionalScopes: [...OPTIONAL_SCOPES], portalId: attacker.portal.id });
    expect(attackerGrant.state).toBeUndefined();
    // The victim administers their own portal and has Org B's connection link.
    const victimPortal = await h.client.createPortal({ name: 'Org B Inc', domain: 'org-b.example.com' });
    const orgB = await createOrganization(h, { name: 'Org B' });
    const link = await createInstallLink(h, orgB.apiKey);
    const victim = browser();

    // 1. The victim's browser is made to open the attacker's callback.
    const planted = await victim.get(new URL(attackerGrant.location).pathname + new URL(attackerGrant.location).search);
    expect(planted.status).toBe(200);

    // 2. The victim opens their own connection link (checked at the end: what it says about the portal).
    const page = await openConnectPage(h.backend.app, link.token, victim.cookie);

    // 3. The victim presses the claim control: it must lead to HubSpot, locked to the attacker's portal.
    const pressed = await pressClaim(victim, link.token);
    expect(await connectionOf(orgB.apiKey)).toMatchObject({ status: 'not_connected' });
    expect(pressed.status).toBe(302);
    const authorize = new URL(String(pressed.headers.location));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.emulator.url}/oauth/${attacker.portal.id}/authorize`);
    expect(authorize.searchParams.get('state')).toMatch(/^sb_state/);

    // 4a. HubSpot will not let the victim approve a portal they are no user of.
    const refused = await approveAtHubSpot(authorize, { portalId: attacker.portal.id, userId: victimPortal.superAdmin.id });
    expect(refused.status).toBe(400);

    // 4b. Even if HubSpot answered that round-trip for the victim's own portal, nothing is connected.
    const ownPortal = await approveAtHubSpot(authorize, { portalId: victimPortal.portal.id, userId: victimPortal.superAdmin.id, path: '/oauth/authorize' });
    const back = new URL(String(ownPortal.headers.get('location')));
    expect(back.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const callback = await victim.get(back.pathname + back.search);
    expect(callback.status).toBe(403);
    expect(callback.text).toContain(`the installation waiting in this browser is for portal ${attacker.portal.id}`);

    expect(await connectionOf(orgB.apiKey)).toMatchObject({ status: 'not_connected' });
    expect(await holderOf(attacker.portal.id)).toStrictEqual([]);
    expect(await holderOf(victimPortal.portal.id)).toStrictEqual([]);
    // The grant the victim's HubSpot handed back for their own portal is not kept anywhere.
    expect((await h.client.tokens(victimPortal.portal.id)).refreshTokens.every((t) => t.revoked)).toBe(true);

    // What the attacker chose (the portal's domain) is labelled as HubSpot's word, never as ours.
    expect(planted.text).toContain('domain as reported by HubSpot: your-company.example.com');
    expect(planted.text).toContain('nothing is connected');
    expect(page.res.text).toContain(`portal <strong>${attacker.portal.id}</strong>`);
    expect(page.res.text).toContain('domain as reported by HubSpot: <code>your-company.example.com</code>');
    expect(page.res.text).not.toMatch(/Connect portal 666001[^<]*<\/button>/);
  });

  it('when an admin installs from the marketplace and then confirms the portal in HubSpot from the connection link, then the organization is connected to that portal once', async () => {
    const { portal, superAdmin } = await h.client.createPortal({ domain: 'marketplace.example.com' });
    const org = await createOrganization(h, { name: 'Claimer' });
    const link = await createInstallLink(h, org.apiKey);
    const admin = browser();
    const installed = await h.client.authorize({ redirectUri, optionalScopes: [...OPTIONAL_SCOPES], portalId: portal.id, userId: superAdmin.id });
    const first = await admin.get(new URL(installed.location).pathname + new URL(installed.location).search);
    expect(first.status).toBe(200);
    const claimCookie = admin.cookie.split('; ').find((c) => c.startsWith('sb_install_claim='));
    expect(claimCookie).toBeDefined();

    const page = await openConnectPage(h.backend.app, link.token, admin.cookie);
    expect(page.res.text).toContain(`Confirm portal ${portal.id} in HubSpot`);
    const pressed = await pressClaim(admin, link.token);
    expect(pressed.status).toBe(302);
    const authorize = new URL(String(pressed.headers.location));
    expect(authorize.pathname).toBe(`/oauth/${portal.id}/authorize`);
    const approved = await approveAtHubSpot(authorize, { portalId: portal.id, userId: superAdmin.id });
    const back = new URL(String(approved.headers.get('location')));
    const done = await admin.get(back.pathname + back.search);

    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/connect/${link.token}?connected=1`);
    expect(admin.cookie).not.toContain('sb_install_claim=');
    expect(await connectionOf(org.apiKey)).toMatchObject({ status: 'connected', portalId: portal.id, portalDomain: 'marketplace.example.com' });
    expect(await h.backend.tdb.db.selectFrom('pending_installs').select('id').where('portal_id', '=', portal.id).execute()).toStrictEqual([]);
    // The grant kept from the marketplace redirect is superseded by the confirmed one and revoked.
    const refreshTokens = (await h.client.tokens(portal.id)).refreshTokens;
    expect(refreshTokens.filter((t) => !t.revoked)).toHaveLength(1);

    // The claim cannot be replayed: the cookie is gone and the stored install with it.
    const replay = await app().get(`/connect/${link.token}/claim`).set('Cookie', claimCookie!);
    expect(replay.status).toBe(404);
  });
});
