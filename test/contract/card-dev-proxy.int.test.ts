// The card path through HubSpot's own code: the cards' and the settings page's API modules build each
// request; HubSpot's local fetch proxy (`AppProxyService` of @hubspot/ui-extensions-dev-server, what
// `hs project dev` runs, with src/app/local.json's mapping) maps, signs and sends it; the real backend
// answers. The proxy adds no query parameters and signs the URI as sent, so this passes only if the
// card sends its identity and the backend verifies the raw form. The identity's email needs escaping.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCardsApi, type CardIdentity, type Fetcher } from '../../src/app/cards/utils/api.js';
import { DEFAULT_BACKEND_ORIGIN } from '../../src/app/cards/utils/config.js';
import { createSettingsApi } from '../../src/app/settings/utils/api.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';
import { spawnTs, type Spawned } from '../support/spawn.js';

const PROXY_PATH = '/api/crm-extensibility/execution/internal/v3/proxy';
// `+`, `'` and `@` all need escaping in a query; `'` is re-escaped by the proxy's URL handling.
const IDENTITY: CardIdentity = { portalId: DEMO_PORTAL_ID, userId: 864745280, userEmail: "ada.o'neil+cards@switchboard-demo.example.com" };

let stack: HubSpotStack;
let org: ConnectedOrganization;
let proxy: Spawned;
let proxyUrl: string;
let mapping: Record<string, string>;
let localJson: Record<string, string>;

/** What the dev proxy answered, besides the Response handed to the card. */
const proxyAnswers: { httpStatus: number; body: Record<string, unknown> }[] = [];

/**
 * `hubspot.fetch` under `hs project dev`: HubSpot's page posts the call to the dev server's proxy as a
 * `ProxyRequest` (dist/lib/proxy/types.d.ts); the card gets the app server's status and body.
 */
const devServerFetcher: Fetcher = async (url, options) => {
  const res = await fetch(`${proxyUrl}${PROXY_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      requestUri: url,
      method: options?.method ?? 'GET',
      requestTimeoutMillis: options?.timeout ?? 15_000,
      requestBody: options?.body,
      ...(options?.headers ? { requestHeaders: options.headers } : {}),
    }),
  });
  const body = (await res.json()) as { status: string; responseBody?: unknown; context?: { appServerStatusCode?: string[] } };
  proxyAnswers.push({ httpStatus: res.status, body: body as Record<string, unknown> });
  const status = Number(body.context?.appServerStatusCode?.[0] ?? res.status);
  return new Response(JSON.stringify(body.responseBody ?? null), { status, headers: { 'Content-Type': 'application/json' } });
};

beforeAll(async () => {
  stack = await startHubSpotStack({ workers: false });
  org = await connectOrganization(stack, DEMO_PORTAL_ID, 'Org A');
  proxy = spawnTs('test/contract/helpers/hubspot-dev-proxy.ts', {
    CLIENT_SECRET: stack.emulator.app.clientSecret,
    LOCAL_TARGET: stack.backendUrl,
    ACCOUNT_ID: String(DEMO_PORTAL_ID),
    ALLOWED_URLS: JSON.stringify([DEFAULT_BACKEND_ORIGIN]),
  });
  const ready = await new Promise<{ listening: string; mapping: Record<string, string>; localJson: Record<string, string> }>((resolve, reject) => {
    const onData = () => {
      const line = proxy.stdout().split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) resolve(JSON.parse(line) as { listening: string; mapping: Record<string, string>; localJson: Record<string, string> });
    };
    proxy.child.stdout?.on('data', onData);
    void proxy.exited.then((code) => reject(new Error(`dev proxy exited (${code}): ${proxy.stderr()}`)));
  });
  ({ listening: proxyUrl, mapping, localJson } = ready);
  // A database, the emulator and a tsx child process: slow on a loaded machine, so a wide setup deadline.
}, 120_000);

afterAll(async () => {
  proxy?.child.kill('SIGTERM');
  await proxy?.exited;
  await stack?.stop();
});

describe("the cards' requests through HubSpot's dev-server proxy", () => {
  it('when local.json is read by HubSpot, then it maps the origin the cards call by default to the local backend', () => {
    expect(Object.keys(localJson)).toStrictEqual([DEFAULT_BACKEND_ORIGIN]);
    expect(new URL(localJson[DEFAULT_BACKEND_ORIGIN]!).hostname).toBe('localhost');
    // Same mapping, pointed at this test's backend port.
    expect(mapping).toStrictEqual({ [DEFAULT_BACKEND_ORIGIN]: stack.backendUrl });
  });

  it("when the card loads a ticket, then HubSpot's proxy gets 200 from the backend and the card gets the record", async () => {
    const c = (await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'dev-proxy-1', ticketId: 4242 })).conversation;
    const api = createCardsApi(devServerFetcher, DEFAULT_BACKEND_ORIGIN, IDENTITY);

    const record = await api.getRecord('tickets', 4242);

    expect(record).toMatchObject({ connection: { status: 'connected', auth: 'oauth' }, conversations: [{ id: c.id, aiState: 'active', ticketId: '4242' }] });
    const answer = proxyAnswers.at(-1)!;
    expect(answer.httpStatus).toBe(200);
    expect(answer.body).toMatchObject({ status: 'success', context: { appServerStatusCode: ['200'], portalId: [String(DEMO_PORTAL_ID)] } });
    // The card's own URL, identity included, is what HubSpot's proxy was given.
    expect((answer.body.context as { requestUri: string[] }).requestUri[0]).toBe(
      `${DEFAULT_BACKEND_ORIGIN}/hubspot/ui/records/tickets/4242?portalId=${DEMO_PORTAL_ID}&userId=864745280&userEmail=ada.o'neil%2Bcards%40switchboard-demo.example.com`,
    );
  });

  it('when the card pauses a conversation (POST with a JSON body), then it is paused by exactly the user in the context', async () => {
    const c = (await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'dev-proxy-2', ticketId: 4243 })).conversation;
    const api = createCardsApi(devServerFetcher, DEFAULT_BACKEND_ORIGIN, IDENTITY);

    const paused = await api.transition(c.id, 'pause', { reason: 'Taking over' });

    expect(paused).toMatchObject({ id: c.id, aiState: 'paused', lastTransition: { source: 'card', actor: IDENTITY.userEmail, reason: 'Taking over' } });
    const { transitions } = await stack.backend.services.conversations.getHistory(org.id, c.id);
    expect(transitions.map((t) => [t.toState, t.actor, t.details])).toStrictEqual([['paused', IDENTITY.userEmail, { hubspotUserId: IDENTITY.userId }]]);
  });

  it('when the settings page reads and changes its settings, then both calls answer 200 and the change is stored', async () => {
    const api = createSettingsApi(devServerFetcher, DEFAULT_BACKEND_ORIGIN, IDENTITY);

    expect(await api.getSettings()).toMatchObject({ connection: { status: 'connected', portalId: DEMO_PORTAL_ID }, settings: { pauseOnOwnerChange: true } });
    expect(proxyAnswers.at(-1)!.body).toMatchObject({ status: 'success', context: { appServerStatusCode: ['200'] } });
    expect(await api.updateSettings({ pauseOnOwnerChange: false })).toMatchObject({ settings: { pauseOnOwnerChange: false } });
    expect(proxyAnswers.at(-1)!.body).toMatchObject({ status: 'success', context: { appServerStatusCode: ['200'] } });
    expect((await stack.backend.services.settings.getSettings(org.id)).pauseOnOwnerChange).toBe(false);
  });

  it('when a request leaves out the identity (as the cards did before), then the backend refuses it with 400 and the proxy reports it', async () => {
    const res = await devServerFetcher(`${DEFAULT_BACKEND_ORIGIN}/hubspot/ui/settings`, { method: 'GET' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_query' } });
    expect(proxyAnswers.at(-1)!.body).toMatchObject({ status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['400'] } });
  });
});
