// The card ↔ backend wire contract has one source, src/app/cards/utils/contract.ts. This test reads
// that file with the TypeScript compiler and holds the real backend (listening, with the emulator) to
// it in both directions:
// - every answer the cards and the settings page get, through their own API modules and the
//   emulator's `hubspot.fetch` stand-in (signed like HubSpot), has every field the contract declares,
//   with the declared type, and no field it does not declare; every field is seen non-null once;
// - the backend's zod request schemas accept exactly the fields and values of the contract's request
//   types, so what the cards send is what the backend parses.
// Why a test and not a shared zod module: HubSpot builds src/app/cards as its own package, so the card
// bundle must not import backend code or carry zod; the backend imports the contract's types instead
// (type-only, see cards.routes.ts), and this test checks the part types cannot, the JSON on the wire.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARD_ACTIONS, helpdeskConnectSchema, recordParamsSchema, settingsPatchSchema, transitionBodySchema } from '../../backend/src/modules/cards/cards.schemas.js';
import { REQUIRED_SCOPES } from '../../backend/src/hubspot/scopes.js';
import { ApiError, createCardsApi, type CardIdentity, type Fetcher } from '../../src/app/cards/utils/api.js';
import type { HelpdeskConnectRequest, SettingsPatch, TransitionRequest } from '../../src/app/cards/utils/contract.js';
import { createSettingsApi } from '../../src/app/settings/utils/api.js';
import { connectWithTokens } from '../support/connect-with-tokens.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';
import { loadContractTypes, type ContractTypes } from './helpers/contract-types.js';

const CONTRACT_FILE = fileURLToPath(new URL('../../src/app/cards/utils/contract.ts', import.meta.url));
const USER = { userId: 5550001, userEmail: 'grace.agent+contract@switchboard-demo.example.com' };
const DEVELOPER_KEY = 'devkey-card-contract-int-0123456789';

let contract: ContractTypes;
let stack: HubSpotStack;
let org: ConnectedOrganization;

beforeAll(async () => {
  contract = loadContractTypes(CONTRACT_FILE);
  stack = await startHubSpotStack({
    workers: false,
    emulator: { developerApiKey: DEVELOPER_KEY },
    env: { VENDOR_DASHBOARD_URL: 'https://vendor.example.com/orgs/{organizationId}/ai', HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY },
  });
  // The help-desk channel is registered, so the settings page's help-desk section can list and connect.
  await stack.backend.services.helpdesk.registerChannel({});
  org = await connectOrganization(stack, DEMO_PORTAL_ID, 'Contract Org');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** `hubspot.fetch` as the emulator's stand-in performs it: signed v3 like HubSpot, the card's URL as given. */
function fetcherFor(portalId: number): Fetcher {
  return async (url, options) => {
    const answer = await stack.hub.request<{ status: number; body: unknown }>('POST', '/_emulator/fetch', {
      url,
      method: options?.method ?? 'GET',
      ...(options?.body === undefined ? {} : { body: options.body }),
      portalId,
      ...USER,
    });
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}

const identity = (portalId: number): CardIdentity => ({ portalId, ...USER });

/** The shape of a zod object's fields: each name with whether it may be left out. */
function schemaFields(shape: Record<string, { safeParse(v: unknown): { success: boolean } }>) {
  return Object.entries(shape)
    .map(([name, field]) => ({ name, optional: field.safeParse(undefined).success }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
const sorted = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

describe('the answers of /hubspot/ui/* against the card contract', () => {
  it('when the card reads a record, pauses and hands off a conversation, and the settings page reads and patches, then every answer is exactly the contract type', async () => {
    const { conversation } = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'contract-1', ticketId: 7301, contactId: 7302, threadId: 7303 });
    const cards = createCardsApi(fetcherFor(DEMO_PORTAL_ID), stack.backendUrl, identity(DEMO_PORTAL_ID));
    const settings = createSettingsApi(fetcherFor(DEMO_PORTAL_ID), stack.backendUrl, identity(DEMO_PORTAL_ID));
    const full: Required<TransitionRequest> = { reason: 'Taking over', note: 'Customer asked for a human' };

    const paused = await cards.transition(conversation.id, 'pause', full);
    const handedOff = await cards.transition(conversation.id, 'handoff', full);
    const record = await cards.getRecord('tickets', 7301);
    const patch: Required<SettingsPatch> = { pauseOnOwnerChange: false, handoffTeams: [{ id: '41', name: 'Tier 2 support' }] };
    const patched = await settings.updateSettings(patch);
    const read = await settings.getSettings();

    // The card API returns the conversation out of `{ conversation }`; check the wrapper too.
    expect(contract.mismatches('TransitionResponse', { conversation: paused })).toStrictEqual([]);
    expect(contract.mismatches('Conversation', handedOff)).toStrictEqual([]);
    expect(contract.mismatches('RecordResponse', record)).toStrictEqual([]);
    expect(contract.mismatches('SettingsResponse', patched)).toStrictEqual([]);
    expect(contract.mismatches('SettingsResponse', read)).toStrictEqual([]);
    expect(record.conversations.map((c) => [c.id, c.aiState, c.lastTransition?.to])).toStrictEqual([[conversation.id, 'handoff_requested', 'handoff_requested']]);
    expect(read.settings).toStrictEqual(patch);
  });

  it('when a portal needs re-authorization, then its settings answer carries lastError and still matches the contract', async () => {
    const portalId = (await stack.hub.createPortal({ name: 'Needs reauth portal' })).portal.id;
    const broken = await connectOrganization(stack, portalId, 'Broken Org');
    await stack.hub.uninstall(portalId);
    const err = await stack.backend.services.hubspot.request(broken.id, { method: 'GET', path: '/crm/v3/objects/contacts' }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('reinstall_required');

    const read = await createSettingsApi(fetcherFor(portalId), stack.backendUrl, identity(portalId)).getSettings();

    expect(read.connection).toMatchObject({ status: 'needs_reauth', lastError: expect.stringMatching(/invalid_grant/) });
    expect(contract.mismatches('SettingsResponse', read)).toStrictEqual([]);
  });

  it('when the backend refuses a request, then the error body is the contract ErrorResponse', async () => {
    const refused = await fetcherFor(DEMO_PORTAL_ID)(`${stack.backendUrl}/hubspot/ui/settings?portalId=${DEMO_PORTAL_ID}`, { method: 'PATCH', body: { pauseOnOwnerChange: 'yes' } });
    expect(refused.status).toBe(400);
    expect(contract.mismatches('ErrorResponse', await refused.json())).toStrictEqual([]);
    const cards = createCardsApi(fetcherFor(DEMO_PORTAL_ID), stack.backendUrl, identity(DEMO_PORTAL_ID));
    const missing = await cards.transition('00000000-0000-4000-8000-000000000000', 'pause').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe('not_found');
  });

  it('when the settings page reads the help-desk section, connects an inbox, and a portal lacks the channel scopes or HubSpot fails to list the inboxes, then every answer is exactly the contract type', async () => {
    const settings = createSettingsApi(fetcherFor(DEMO_PORTAL_ID), stack.backendUrl, identity(DEMO_PORTAL_ID));
    const ready = await settings.getHelpdesk();
    const inbox = ready.inboxes![0]!;
    const body: Required<HelpdeskConnectRequest> = { inboxId: inbox.id };
    const connected = await settings.connectHelpdesk(body);

    const scopeless = (await stack.hub.createPortal({ name: 'Scopeless portal' })).portal.id;
    await connectWithTokens(stack.backend.services, scopeless, await stack.hub.install(scopeless, { scopes: [...REQUIRED_SCOPES] }), 'Scopeless Org');
    const needsScopes = await createSettingsApi(fetcherFor(scopeless), stack.backendUrl, identity(scopeless)).getHelpdesk();

    // HubSpot fails every attempt to list a fresh portal's inboxes: the section still answers, saying why the list is missing.
    const fresh = (await stack.hub.createPortal({ name: 'Unlisted inboxes portal' })).portal.id;
    await connectOrganization(stack, fresh, 'Unlisted Org');
    await stack.hub.setFaults({ apiFailures: { remaining: stack.backend.config.hubspotCalls.maxAttempts, status: 503 } });
    const unlisted = await createSettingsApi(fetcherFor(fresh), stack.backendUrl, identity(fresh))
      .getHelpdesk()
      .finally(() => stack.hub.clearFaults());

    for (const answer of [ready, connected, needsScopes, unlisted]) expect(contract.mismatches('HelpdeskResponse', answer)).toStrictEqual([]);
    expect(connected).toMatchObject({ state: 'connected', account: { inboxId: inbox.id, inboxName: inbox.name } });
    expect(needsScopes).toMatchObject({ state: 'needs_scopes', reconnectUrl: expect.stringContaining(`/oauth/${scopeless}/authorize`) });
    expect(unlisted).toMatchObject({ state: 'ready_to_connect', inboxes: null, inboxesError: expect.any(String) });
  });

  // After the answers above: a field the contract declares but no answer ever filled is one the
  // backend may have stopped sending under that name (or never sends): the check above alone would
  // pass it when the contract marks it nullable.
  it('when all answers were checked, then every field the contract declares was seen with a value', () => {
    for (const type of ['RecordResponse', 'SettingsResponse', 'HelpdeskResponse', 'ErrorResponse']) {
      const unseen = contract.leafPaths(type).filter((path) => !contract.seenPaths(type).has(path));
      expect({ type, unseen }).toStrictEqual({ type, unseen: [] });
    }
  });

  it('when the check is given a drifted answer, then it names the renamed, missing and retyped fields', () => {
    const drifted = { connection: { status: 'connected', auth: 'oauth' }, conversations: [{ id: 'c', externalId: 'x', ticketId: 1, contactId: null, threadId: null, ai_state: 'active', updatedAt: 'now', lastTransition: null }] };
    expect(contract.mismatches('RecordResponse', drifted)).toStrictEqual([
      'RecordResponse.conversations[0].ai_state: sent, but the card contract (Conversation) declares no such field',
      'RecordResponse.conversations[0].ticketId: 1 is not string | null',
      'RecordResponse.conversations[0].aiState: missing (Conversation requires it)',
    ]);
  });
});

describe('what the cards send against the backend request schemas', () => {
  it('when the contract request types are compared with the zod schemas, then fields, optionality and values are the same', () => {
    expect(schemaFields(transitionBodySchema.shape)).toStrictEqual(sorted(contract.properties('TransitionRequest')));
    expect(schemaFields(settingsPatchSchema.shape)).toStrictEqual(sorted(contract.properties('SettingsPatch')));
    const teamSchema = settingsPatchSchema.shape.handoffTeams.unwrap().element;
    expect(schemaFields(teamSchema.shape)).toStrictEqual(sorted(contract.properties('HandoffTeam')));
    expect(schemaFields(helpdeskConnectSchema.shape)).toStrictEqual(sorted(contract.properties('HelpdeskConnectRequest')));
    expect([...CARD_ACTIONS].sort()).toStrictEqual(contract.stringLiterals('TransitionAction').sort());
    expect([...recordParamsSchema.shape.objectType.options].sort()).toStrictEqual(contract.stringLiterals('RecordObjectType').sort());
  });
});
