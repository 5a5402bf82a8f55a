import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { composeBackend } from '../../backend/src/composition.js';
import { createTokenCipher, keyIdFor } from '../../backend/src/platform/crypto/token-cipher.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { captureLogs } from '../support/capture-logs.js';
import { callback, connectWithOAuth, createOrganization, issuedSecrets, leakedSecrets, startHubSpotHarness, TEST_PUBLIC_BASE_URL, type HubSpotHarness } from '../support/hubspot-harness.js';
import { spawnTs } from '../support/spawn.js';
import { buildTestConfig } from '../support/test-config.js';

let h: HubSpotHarness;
const newKey = crypto.randomBytes(32).toString('base64');

/** Key ids of every sealed value in the columns we know about. */
async function keyIds(): Promise<Record<string, string[]>> {
  const db = h.backend.tdb.pool;
  const ids = async (q: string) => (await db.query<{ v: Buffer }>(q)).rows.map((r) => r.v.subarray(1, 9).toString('hex'));
  return {
    access: await ids('select access_token as v from hubspot_tokens'),
    refresh: await ids('select refresh_token as v from hubspot_tokens where refresh_token is not null'),
    pendingAccess: await ids('select access_token as v from pending_installs'),
    pendingRefresh: await ids('select refresh_token as v from pending_installs'),
    destinations: await ids('select secret_sealed as v from event_destinations'),
  };
}
const runRotation = (env: Record<string, string>) => spawnTs('backend/src/scripts/rotate-key.ts', { ...h.env, LOG_LEVEL: 'info', ...env });

beforeAll(async () => {
  h = await startHubSpotHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('npm run rotate-key', () => {
  it('when a new key becomes current, then every sealed value is re-sealed with it, the new key alone opens them, and a second run has nothing to do', async () => {
    const oauthOrg = await createOrganization(h);
    const { portal } = await h.client.createPortal();
    await connectWithOAuth(h, oauthOrg, portal.id);
    const patOrg = await createOrganization(h);
    const pat = await h.client.createPrivateAppToken((await h.client.createPortal()).portal.id, { scopes: ['tickets'] });
    expect((await request(h.backend.app).put('/api/v1/connection/private-app-token').set('Authorization', `Bearer ${patOrg.apiKey}`).send({ token: pat.token })).status).toBe(200);
    const marketplace = await h.client.authorize({ redirectUri: `${TEST_PUBLIC_BASE_URL}/oauth/callback`, portalId: (await h.client.createPortal()).portal.id });
    expect((await callback(h, new URL(marketplace.location))).status).toBe(200);
    await h.backend.services.events.setDestination(oauthOrg.id, 'http://127.0.0.1:9/events');
    const oldKeyId = keyIdFor(Buffer.from(h.env.TOKEN_ENCRYPTION_KEY!, 'base64'));
    const newKeyId = keyIdFor(Buffer.from(newKey, 'base64'));
    const accessBefore = await h.backend.services.tokens.getAccessToken(oauthOrg.id);
    expect(new Set(Object.values(await keyIds()).flat())).toStrictEqual(new Set([oldKeyId]));

    const run = runRotation({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_PREVIOUS_KEYS: h.env.TOKEN_ENCRYPTION_KEY! });

    expect(await run.exited).toBe(0);
    const summary = run.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.msg === 'rotation complete')!;
    expect(summary.resealed).toMatchObject({
      'hubspot_tokens.access_token': 2,
      'hubspot_tokens.refresh_token': 1,
      'pending_installs.access_token': 1,
      'pending_installs.refresh_token': 1,
      'event_destinations.secret_sealed': 1,
    });
    expect(summary.unknownKey).toStrictEqual({});
    expect(new Set(Object.values(await keyIds()).flat())).toStrictEqual(new Set([newKeyId]));
    expect(leakedSecrets(run.stdout() + run.stderr(), await issuedSecrets(h))).toStrictEqual([]);

    // A process that only knows the new key reads the same tokens.
    const config = buildTestConfig({ ...h.env, TOKEN_ENCRYPTION_KEY: newKey });
    const logs = captureLogs();
    const services = composeBackend({ config, db: h.backend.tdb.db, log: logs.log, clock: systemClock, jobs: createJobs({ connectionString: h.backend.tdb.url, log: logs.log }) }).services;
    expect(await services.tokens.getAccessToken(oauthOrg.id)).toBe(accessBefore);
    expect(await services.tokens.getAccessToken(patOrg.id)).toBe(pat.token);

    const again = runRotation({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_PREVIOUS_KEYS: h.env.TOKEN_ENCRYPTION_KEY! });
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toContain('"resealed":{}');
  }, 60_000);

  it('when a value was sealed with a key the process does not know, then it is left alone and the run exits 2', async () => {
    const org = await createOrganization(h);
    const stranger = createTokenCipher(crypto.randomBytes(32));
    await h.backend.tdb.db
      .insertInto('hubspot_tokens')
      .values({ organization_id: org.id, kind: 'private_app', portal_id: 999, access_token: stranger.seal('pat-na1-stranger'), created_at: new Date(), updated_at: new Date() })
      .execute();

    const run = runRotation({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_PREVIOUS_KEYS: h.env.TOKEN_ENCRYPTION_KEY! });

    expect(await run.exited).toBe(2);
    expect(run.stdout()).toContain('rotation incomplete');
    expect(run.stdout()).toContain('"unknownKey":{"hubspot_tokens.access_token":1}');
  }, 60_000);
});
