// Forged, replayed, expired and foreign-browser OAuth states, each sent with a code HubSpot (the
// emulator) would accept. A refusal here can only come from our state check: every probe asserts that
// the code was never exchanged and nothing was stored, and the last test spends the very codes the
// probes carried through a legitimate callback, proving they were good.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ManualClock } from '../../backend/src/platform/clock.js';
import { callback, consent, createInstallLink, createOrganization, startHubSpotHarness, startInstall, type HubSpotHarness, type StartedInstall } from '../support/hubspot-harness.js';

let h: HubSpotHarness;
let clock: ManualClock;
const PORTAL = 62515;

beforeAll(async () => {
  h = await startHubSpotHarness({ backend: { manualClockAt: Date.now() } });
  clock = h.backend.clock as ManualClock;
});
afterAll(async () => {
  await h.stop();
});

const codeExchanges = async () => (await h.client.portalCounters(PORTAL)).codeExchanges;
const storedFor = async (organizationId: string) =>
  Number((await h.backend.tdb.db.selectFrom('hubspot_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).n);

/** A started install and a valid, unused code for it (approved at the emulator, not yet sent to us). */
async function attempt(linkToken: string): Promise<StartedInstall & { code: string; redirect: URL }> {
  const started = await startInstall(h, linkToken);
  const redirect = await consent(started.authorizeUrl, { portalId: PORTAL });
  return { ...started, code: redirect.searchParams.get('code')!, redirect };
}
const callbackUrl = (code: string, state: string) => new URL(`http://localhost/oauth/callback?${new URLSearchParams({ code, state }).toString()}`);

describe('OAuth state check, with codes HubSpot would accept', () => {
  let org: { id: string; apiKey: string };
  let link: string;
  const spare: { code: string }[] = [];

  beforeAll(async () => {
    org = await createOrganization(h, { name: 'State Probe Org' });
    link = (await createInstallLink(h, org.apiKey)).token;
  });

  const probe = async (what: string, state: string, cookie: string | undefined, code: string) => {
    const before = await codeExchanges();
    const res = await callback(h, callbackUrl(code, state), cookie);
    expect([what, res.status, res.body.error?.code]).toStrictEqual([what, 400, 'install_state_invalid']);
    expect([what, await codeExchanges()]).toStrictEqual([what, before]);
    expect([what, await storedFor(org.id)]).toStrictEqual([what, 0]);
  };

  it('when the state is forged, tampered, missing its cookie, or sent from another browser or another link’s cookie, then the valid code is never exchanged', async () => {
    const a = await attempt(link);
    const b = await attempt(link);
    const otherLink = (await createInstallLink(h, org.apiKey)).token;
    const nonceOfA = a.cookie.split('=')[1]!.split('.')[0]!;
    await probe('forged state', `sb_state_${'A'.repeat(43)}`, a.cookie, a.code);
    await probe('tampered state', `${a.state.slice(0, -1)}${a.state.endsWith('A') ? 'B' : 'A'}`, a.cookie, a.code);
    await probe('no browser cookie', a.state, undefined, a.code);
    await probe('another browser’s cookie', a.state, b.cookie, a.code);
    await probe('same nonce, another link', a.state, `sb_oauth_binding=${nonceOfA}.${otherLink}`, a.code);
    await probe('state of another attempt with its code', b.state, a.cookie, a.code);
    spare.push({ code: a.code }, { code: b.code });
  });

  it('when a state was already used by a successful install, then replaying it with a fresh valid code is refused', async () => {
    const first = await attempt(link);
    const ok = await callback(h, first.redirect, first.cookie);
    expect(ok.status).toBe(303);
    await h.backend.services.connections.disconnect({ organizationId: org.id, uninstall: false });
    const fresh = await attempt(link);
    await probe('replayed state', first.state, first.cookie, fresh.code);
    spare.push({ code: fresh.code });
  });

  it('when the probes’ codes are then sent with a live state from the browser that started it, then HubSpot accepts each: the refusals above came from the state check', async () => {
    expect(spare).toHaveLength(3);
    for (const { code } of spare) {
      const live = await startInstall(h, link);
      const before = await codeExchanges();
      const res = await callback(h, callbackUrl(code, live.state), live.cookie);
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/\?connected=1$/);
      expect(await codeExchanges()).toBe(before + 1);
      expect(await storedFor(org.id)).toBe(1);
    }
  });

  it('when the state is older than 10 minutes, then it is refused with its own valid code', async () => {
    await h.backend.services.connections.disconnect({ organizationId: org.id, uninstall: false });
    const late = await attempt(link);
    clock.advance(10 * 60_000 + 1_000);
    await probe('expired state', late.state, late.cookie, late.code);
  });
});
