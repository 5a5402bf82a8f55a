// The suite-level conformance check (test/support/conformance-check.ts) catches what it claims to:
// requests the backend's own HTTP layer sends that HubSpot's API reference does not allow are
// recorded by the emulator, named in the check's failure, and refused by the emulator where HubSpot
// would refuse them. The file clears the deliberate violations at the end so its own run stays green.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator } from '../../emulator/src/emulator.js';
import { createHubSpotHttp, type HubSpotHttp } from '../../backend/src/hubspot/http.js';
import { createHubSpotCallbacksApi } from '../../backend/src/hubspot/callbacks-api.js';
import { captureLogs } from '../support/capture-logs.js';
import { assertConformance, conformanceFailures } from '../support/conformance-check.js';
import { registerSecretSource } from '../support/secret-registry.js';

const REDIRECT = 'http://127.0.0.1:1/oauth/callback';
let emulator: Emulator;
let http: HubSpotHttp;
let token: string;

beforeAll(async () => {
  emulator = await createEmulator({ webhooks: false, warn: () => undefined, redirectUrls: [REDIRECT] });
  registerSecretSource(() => [token]);
  token = (await createEmulatorClient(emulator.url).installViaOAuth({ redirectUri: REDIRECT })).access_token;
  http = createHubSpotHttp({ baseUrl: emulator.url, log: captureLogs().log });
});

afterAll(async () => {
  emulator.conformance.clear();
  await emulator.stop();
});

describe('the HubSpot conformance check', () => {
  it('when the backend completes a callback without typedOutputs, then the emulator answers HubSpot\'s 400 naming the field and the check reports it', async () => {
    const res = await http.request({ method: 'POST', path: '/automation/actions/callbacks/2026-03/ap-1-2-3-0/complete', bearer: token, json: { outputFields: { hs_execution_state: 'SUCCESS' } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', errors: [{ in: 'typedOutputs' }] });
    expect(conformanceFailures()).toEqual([expect.stringMatching(/^POST \/automation\/actions\/callbacks\/2026-03\/ap-1-2-3-0\/complete \(body\) typedOutputs: /)]);
    // What the hook after every test file runs: it fails the file, naming the request.
    expect(() => assertConformance()).toThrow(/HubSpot conformance check: 1 request\(s\)[^]*POST \/automation\/actions\/callbacks\/2026-03\/ap-1-2-3-0\/complete \(body\) typedOutputs/);
    emulator.conformance.clear();
    expect(() => assertConformance()).not.toThrow();
  });

  it('when the backend calls an endpoint HubSpot\'s reference does not have, then the check reports it as an unknown endpoint', async () => {
    const res = await http.request({ method: 'GET', path: '/crm/v3/objects/tickets/12/no-such-thing', bearer: token });
    expect(res.status).toBe(404);
    expect(conformanceFailures()).toEqual(['GET /crm/v3/objects/tickets/12/no-such-thing (unknown_endpoint) HubSpot\'s API reference has no such operation']);
    emulator.conformance.clear();
  });

  it('when the backend sends an undefined query parameter or body field, then the check reports each, though HubSpot would serve the request', async () => {
    const read = await http.request({ method: 'GET', path: '/crm/objects/2026-03/tickets', query: { propertys: 'subject' }, bearer: token });
    expect(read.status).toBe(200);
    const note = await http.request({ method: 'POST', path: '/crm/objects/2026-03/notes', bearer: token, json: { properties: { hs_timestamp: '2026-12-01T00:00:00Z' }, associations: [], colour: 'red' } });
    expect(note.status).toBe(201);
    expect(conformanceFailures()).toEqual([
      'GET /crm/objects/2026-03/tickets (query) query parameter "propertys" is not defined for this operation',
      expect.stringMatching(/^POST \/crm\/objects\/2026-03\/notes \(body\) \(body\): Unrecognized key: "colour"/),
    ]);
    emulator.conformance.clear();
  });

  it('when a request does not come from the backend, then it is not checked (tests and HubSpot\'s SDK may call the emulator wrong on purpose)', async () => {
    const res = await fetch(`${emulator.url}/crm/v3/objects/tickets/12/no-such-thing`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(conformanceFailures()).toEqual([]);
  });

  it('when the adapter completes callbacks, then its requests conform (typedOutputs and outputFields, single and batch)', async () => {
    const api = createHubSpotCallbacksApi({ client: { request: (_org, req) => http.request({ method: req.method, path: req.path, json: req.body, bearer: token }) } });
    expect(await api.completeCallback('org', { callbackId: 'ap-unknown-0', outputFields: { hs_execution_state: 'SUCCESS' } })).toEqual({ outcome: 'refused', status: 404 });
    expect(await api.completeCallbacks('org', [{ callbackId: 'ap-unknown-1', outputFields: { ai_result: 'x' } }, { callbackId: 'ap-unknown-2', outputFields: {} }])).toEqual({ outcome: 'failed', status: 404 });
    expect(conformanceFailures()).toEqual([]);
  });
});
