// The CRM API as @hubspot/api-client sees it (basePath → emulator, one attempt), and as a careless
// caller sees it: missing Bearer, unknown/expired/revoked tokens, missing scopes, bad bodies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@hubspot/api-client';
import { startReceiver, type Receiver } from '../outbound/__support__/receiver.js';
import { anyCorrelationId, http, startEmulator, type Fixture } from '../__support__/emulator-fixture.js';
import type { TokenResponse } from '../../client.js';

let f: Fixture;
let actions: Receiver;
let tokens: TokenResponse;
const portal = 62515;

beforeAll(async () => {
  // The workflow engine calls the project's actionUrl (`${BACKEND_URL}/hubspot/actions/...`): point it here.
  actions = await startReceiver(() => ({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1D' } } }));
  f = await startEmulator({ backendUrl: actions.url });
  tokens = await f.client.install(portal);
});
afterAll(async () => {
  await f.emu.stop();
  await actions.close();
});

const sdk = (accessToken = tokens.access_token) => new Client({ accessToken, basePath: f.emu.url, numberOfApiCallRetries: 1 });
const api = (path: string) => `${f.emu.url}${path}`;

describe('Bearer authentication', () => {
  it('when the Authorization header is missing, then it answers 401 INVALID_AUTHENTICATION without rate-limit headers', async () => {
    const res = await http(api('/crm/v3/objects/tickets/1001'));
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({
      status: 'error',
      message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      correlationId: anyCorrelationId,
      category: 'INVALID_AUTHENTICATION',
    });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('when the token is unknown, then it answers 401', async () => {
    const res = await http(api('/crm/v3/owners'), { token: 'not-a-token' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
  });

  it('when the token has expired (injected clock), then it answers 401 EXPIRED_AUTHENTICATION with the minutes', async () => {
    const mine = await f.client.install(portal);
    f.clock.now += 1800_000 + 3 * 60_000;
    const res = await http(api('/crm/v3/owners'), { token: mine.access_token });
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({
      status: 'error',
      message: 'The OAuth token used to make this call expired 3 minute(s) ago.',
      correlationId: anyCorrelationId,
      category: 'EXPIRED_AUTHENTICATION',
    });
    tokens = await f.client.install(portal);
  });

  it('when a token lacks the scope, then it answers 403 MISSING_SCOPES naming the scope', async () => {
    const narrow = await f.client.install(portal, { scopes: ['oauth', 'crm.objects.contacts.read'] });
    const res = await http(api('/crm/v3/objects/tickets/1001'), { token: narrow.access_token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      status: 'error',
      category: 'MISSING_SCOPES',
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['tickets'] } }],
    });
    expect((await http(api('/crm/v3/objects/contacts/101'), { token: narrow.access_token })).status).toBe(200);
  });

  it('when a private-app token is used, then CRM and account-info accept it but the app-only endpoints do not', async () => {
    const pat = await f.client.createPrivateAppToken(portal, { scopes: ['tickets', 'crm.objects.owners.read'] });
    expect(pat.token).toMatch(/^pat-na1-/);
    const ticket = await http(api('/crm/v3/objects/tickets/1001'), { token: pat.token });
    expect(ticket.status).toBe(200);
    expect(ticket.headers.get('x-hubspot-ratelimit-daily')).toBe('500000');
    expect((await http(api('/account-info/v3/details'), { token: pat.token })).status).toBe(200);
    expect((await http(api('/automation/v4/actions/callbacks/x/complete'), { token: pat.token, body: { outputFields: {} } })).status).toBe(401);
    await f.client.revokePrivateAppToken(pat.token);
    expect((await http(api('/crm/v3/objects/tickets/1001'), { token: pat.token })).status).toBe(401);
  });
});

describe('/crm/v3/objects/tickets with @hubspot/api-client', () => {
  it('when a ticket is created, read and updated through the SDK, then the SDK parses every answer', async () => {
    const created = await sdk().crm.tickets.basicApi.create({
      properties: { subject: 'Screen is blank', hs_pipeline_stage: '1', hubspot_owner_id: '51000002' },
      associations: [{ to: { id: '101' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 16 }] }],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.properties).toMatchObject({ subject: 'Screen is blank', hs_pipeline_stage: '1', hubspot_owner_id: '51000002' });

    const read = await sdk().crm.tickets.basicApi.getById(created.id, ['subject', 'hubspot_owner_id', 'content'], undefined, ['contacts']);
    expect(read.properties).toStrictEqual({
      subject: 'Screen is blank',
      hubspot_owner_id: '51000002',
      content: null,
      createdate: expect.any(String),
      hs_lastmodifieddate: expect.any(String),
      hs_object_id: created.id,
    });
    expect(read.associations?.contacts?.results).toEqual([{ id: '101', type: 'ticket_to_contact' }]);

    const updated = await sdk().crm.tickets.basicApi.update(created.id, { properties: { hubspot_owner_id: '51000001' } });
    expect(updated.properties.hubspot_owner_id).toBe('51000001');
  });

  it('when a ticket is missing or a property invalid, then the SDK rejects with HubSpot\'s status and body', async () => {
    await expect(sdk().crm.tickets.basicApi.getById('999999')).rejects.toMatchObject({ code: 404, body: { category: 'OBJECT_NOT_FOUND' } });
    const bad = await http(api('/crm/v3/objects/tickets/1001'), { method: 'PATCH', token: tokens.access_token, body: { properties: { hubspot_owner_id: '42' } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ category: 'VALIDATION_ERROR', errors: [{ code: 'INVALID_OWNER_ID', context: { propertyName: ['hubspot_owner_id'] } }] });
    const missingStage = await http(api('/crm/v3/objects/tickets'), { token: tokens.access_token, body: { properties: { subject: 'x' } } });
    expect(missingStage.status).toBe(400);
    const notJson = await http(api('/crm/v3/objects/tickets'), { token: tokens.access_token, body: undefined, method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    const broken = await fetch(api('/crm/v3/objects/tickets'), { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: '{"properties":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('when tickets are batch read and batch updated, then found ones come back and missing ones are 207 errors', async () => {
    const read = await http(api('/crm/v3/objects/tickets/batch/read'), { token: tokens.access_token, body: { inputs: [{ id: '1001' }, { id: '424242' }], properties: ['subject'] } });
    expect(read.status).toBe(207);
    expect(read.body).toMatchObject({ status: 'COMPLETE', results: [{ id: '1001', properties: { subject: 'Printer is on fire' } }], numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }] });
    const update = await sdk().crm.tickets.batchApi.update({ inputs: [{ id: '1002', properties: { hs_ticket_priority: 'HIGH' } }] });
    expect(update.results[0]?.properties.hs_ticket_priority).toBe('HIGH');
    const tooMany = await http(api('/crm/v3/objects/tickets/batch/read'), { token: tokens.access_token, body: { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })) } });
    expect(tooMany.status).toBe(400);
  });

  it('when tickets are searched with EQ, NEQ, IN and HAS_PROPERTY, then the SDK gets total, results and paging', async () => {
    const byOwner = await sdk().crm.tickets.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ' as never, value: '51000002' }] }],
      properties: ['subject'],
      limit: 10,
    });
    expect(byOwner.results.map((t) => t.properties.subject)).toContain('Printer is on fire');
    const open = await http(api('/crm/objects/2026-03/tickets/search'), {
      token: tokens.access_token,
      body: { filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'IN', values: ['1', '2'] }, { propertyName: 'hubspot_owner_id', operator: 'HAS_PROPERTY' }] }], limit: 1 },
    });
    expect(open.body).toMatchObject({ total: expect.any(Number), results: [expect.objectContaining({ id: expect.any(String) })] });
    const unsupported = await http(api('/crm/v3/objects/tickets/search'), { token: tokens.access_token, body: { filterGroups: [{ filters: [{ propertyName: 'subject', operator: 'CONTAINS_TOKEN', value: 'x' }] }] } });
    expect(unsupported.status).toBe(400);
  });

  it('when a ticket is archived, then it is gone and the deletion is published', async () => {
    const created = await sdk().crm.tickets.basicApi.create({ properties: { subject: 'temp', hs_pipeline_stage: '1' }, associations: [] });
    await sdk().crm.tickets.basicApi.archive(created.id);
    await expect(sdk().crm.tickets.basicApi.getById(created.id)).rejects.toMatchObject({ code: 404 });
    const changes = await f.client.changes(portal);
    expect(changes.map((c) => c.change)).toContainEqual(expect.objectContaining({ subscriptionType: 'ticket.deletion', objectId: Number(created.id), changeSource: 'API' }));
  });
});

describe('contacts and notes', () => {
  it('when a contact email already exists, then create answers 409 CONFLICT', async () => {
    const res = await http(api('/crm/v3/objects/contacts'), { token: tokens.access_token, body: { properties: { email: 'JANE.DOE@example.com' } } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ category: 'CONFLICT', message: 'Contact already exists. Existing ID: 101' });
  });

  it('when a note is created with associations, then the ticket lists it and an unknown target is refused', async () => {
    const note = await http(api('/crm/v3/objects/notes'), {
      token: tokens.access_token,
      body: { properties: { hs_note_body: 'AI paused', hs_timestamp: '2026-11-02T09:00:00Z' }, associations: [{ to: { id: 1001 }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 }] }] },
    });
    expect(note.status).toBe(201);
    const noteId = (note.body as { id: string }).id;
    const ticket = await http(api('/crm/v3/objects/tickets/1001?associations=notes'), { token: tokens.access_token });
    expect(ticket.body).toMatchObject({ associations: { notes: { results: [{ id: noteId, type: 'ticket_to_note' }] } } });
    const bad = await http(api('/crm/v3/objects/notes'), {
      token: tokens.access_token,
      body: { properties: { hs_note_body: 'x', hs_timestamp: '2026-11-02T09:00:00Z' }, associations: [{ to: { id: 777 }, types: [{ associationTypeId: 228 }] }] },
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /crm/v3/owners', () => {
  it('when the SDK pages owners, then it gets owner ids with their user ids', async () => {
    const page = await sdk().crm.owners.ownersApi.getPage(undefined, undefined, 100);
    expect(page.results.map((o) => [o.id, o.userId])).toStrictEqual([
      ['51000001', 1_000_001],
      ['51000002', 1_000_002],
    ]);
    expect(page.results[1]).toMatchObject({ email: 'sam.agent@switchboard-demo.example.com', type: 'PERSON', archived: false });
    const byUser = await http(api('/crm/v3/owners/1000002?idProperty=userId'), { token: tokens.access_token });
    expect(byUser.body).toMatchObject({ id: '51000002' });
    const byEmail = await sdk().crm.owners.ownersApi.getPage('ada.admin@switchboard-demo.example.com');
    expect(byEmail.results).toHaveLength(1);
  });
});

describe('requested properties', () => {
  it('when a requested property is defined but unset, then it is null; when the portal does not define it, then it is left out', async () => {
    const res = await http(api('/crm/objects/2026-03/tickets/1001?properties=subject,hubspot_owner_id,no_such_property'), { token: tokens.access_token });
    expect(res.status).toBe(200);
    const properties = (res.body as { properties: Record<string, unknown> }).properties;
    expect(properties.subject).toEqual(expect.any(String));
    expect(properties).toHaveProperty('hubspot_owner_id');
    expect(properties).not.toHaveProperty('no_such_property');
  });
});

describe('associations v4 and 2026-03', () => {
  it('when a note is associated with a ticket (labelled, then default), listed, and the association removed, then each answer has HubSpot\'s shape', async () => {
    const note = await http(api('/crm/objects/2026-03/notes'), { token: tokens.access_token, body: { properties: { hs_timestamp: '2026-12-01T00:00:00Z', hs_note_body: 'hi' } } });
    expect(note.status).toBe(201);
    const noteId = (note.body as { id: string }).id;

    const labelled = await http(api(`/crm/v4/objects/notes/${noteId}/associations/tickets/1001`), { method: 'PUT', token: tokens.access_token, body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 }] });
    expect(labelled).toMatchObject({ status: 201, body: { fromObjectTypeId: '0-46', fromObjectId: Number(noteId), toObjectTypeId: '0-5', toObjectId: 1001, labels: [] } });
    const list = await http(api(`/crm/objects/2026-03/notes/${noteId}/associations/tickets`), { token: tokens.access_token });
    expect(list.body).toStrictEqual({ results: [{ toObjectId: 1001, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 228, label: null }] }] });
    const inverse = await http(api('/crm/v4/objects/tickets/1001/associations/notes'), { token: tokens.access_token });
    expect((inverse.body as { results: { toObjectId: number }[] }).results.map((r) => r.toObjectId)).toContain(Number(noteId));

    expect((await http(api(`/crm/v4/objects/notes/${noteId}/associations/tickets/1001`), { method: 'DELETE', token: tokens.access_token })).status).toBe(204);
    expect((await http(api(`/crm/v4/objects/notes/${noteId}/associations/tickets`), { token: tokens.access_token })).body).toStrictEqual({ results: [] });

    const byDefault = await http(api(`/crm/objects/2026-03/notes/${noteId}/associations/default/tickets/1001`), { method: 'PUT', token: tokens.access_token });
    expect(byDefault).toMatchObject({ status: 200, body: { status: 'COMPLETE', results: [{ from: { id: noteId }, to: { id: '1001' }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 } }] } });
  });

  it('when the association type does not fit the pair or a record is missing, then it is a 400 or 404', async () => {
    const wrong = await http(api('/crm/v4/objects/tickets/1001/associations/contacts/1'), { method: 'PUT', token: tokens.access_token, body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 }] });
    expect(wrong).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    const missing = await http(api('/crm/v4/objects/tickets/424242/associations/notes'), { token: tokens.access_token });
    expect(missing).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND' } });
  });
});

describe('automation callbacks', () => {
  const blockRun = () =>
    f.client.request<{ callbackId: string; state: string }>('POST', '/_emulator/workflows/execute', {
      portalId: portal,
      actionUid: 'switchboard_pause_ai',
      objectType: 'TICKET',
      objectId: 1001,
      inputFields: { reason: 'agent took over' },
    });

  it('when a BLOCKed execution is completed with outputFields and typedOutputs, then it answers 204 and the engine records the completion; a second completion is a 400', async () => {
    const run = await blockRun();
    expect(run.state).toBe('BLOCKED');
    const outputFields = { hs_execution_state: 'SUCCESS', ai_state: 'paused' };
    const done = await http(api(`/automation/actions/callbacks/2026-03/${run.callbackId}/complete`), { token: tokens.access_token, body: { outputFields, typedOutputs: outputFields } });
    expect(done.status).toBe(204);
    const execution = f.emu.engine.executions({ portalId: portal }).find((e) => e.callbackId === run.callbackId);
    expect(execution).toMatchObject({ completion: { outputFields: { hs_execution_state: 'SUCCESS' } } });
    const again = await http(api(`/automation/actions/callbacks/2026-03/${run.callbackId}/complete`), { token: tokens.access_token, body: { outputFields, typedOutputs: {} } });
    expect(again.status).toBe(400);
  });

  it('when a completion lacks typedOutputs (all that @hubspot/api-client 13.5 can send), then it is refused with a 400 naming the field, and the execution stays blocked', async () => {
    const run = await blockRun();
    await expect(sdk().automation.actions.callbacksApi.complete(run.callbackId, { outputFields: { hs_execution_state: 'SUCCESS' } })).rejects.toMatchObject({
      code: 400,
      body: { category: 'VALIDATION_ERROR', errors: [{ in: 'typedOutputs' }] },
    });
    expect(f.emu.engine.executions({ portalId: portal }).find((e) => e.callbackId === run.callbackId)).toMatchObject({ state: 'BLOCKED' });
  });

  it('when the callback id is unknown or the body has no outputFields, then it is a HubSpot 404 or 400', async () => {
    const unknown = await http(api('/automation/v4/actions/callbacks/nope/complete'), { token: tokens.access_token, body: { outputFields: {}, typedOutputs: {} } });
    expect(unknown).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND' } });
    const noFields = await http(api('/automation/v4/actions/callbacks/nope/complete'), { token: tokens.access_token, body: { typedOutputs: {} } });
    expect(noFields).toMatchObject({ status: 400, body: { errors: [{ in: 'outputFields' }] } });
  });

  it('when a batch holds a callback that cannot be completed, then the answer is an error (never a 207) and none of the batch is completed; a clean batch is a 204', async () => {
    const [a, b] = [await blockRun(), await blockRun()];
    const body = (ids: string[]) => ({ inputs: ids.map((callbackId) => ({ callbackId, outputFields: { hs_execution_state: 'SUCCESS' }, typedOutputs: {} })) });
    const mixed = await http(api('/automation/actions/callbacks/2026-03/complete'), { token: tokens.access_token, body: body([a.callbackId, 'nope']) });
    expect(mixed).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND', errors: [{ context: { callbackId: ['nope'] } }] } });
    expect(f.emu.engine.executions({ portalId: portal }).find((e) => e.callbackId === a.callbackId)).toMatchObject({ state: 'BLOCKED' });
    const clean = await http(api('/automation/actions/callbacks/2026-03/complete'), { token: tokens.access_token, body: body([a.callbackId, b.callbackId]) });
    expect(clean.status).toBe(204);
    expect(f.emu.engine.executions({ portalId: portal }).filter((e) => [a.callbackId, b.callbackId].includes(e.callbackId)).map((e) => e.state)).toEqual(['SUCCESS', 'SUCCESS']);
  });
});

describe('account info and uninstall', () => {
  it('when account details are read, then they carry the portal id, time zone and data hosting location', async () => {
    const res = await http(api('/account-info/v3/details'), { token: tokens.access_token });
    expect(res.body).toStrictEqual({
      portalId: portal,
      accountType: 'STANDARD',
      timeZone: 'US/Eastern',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '-05:00',
      utcOffsetMilliseconds: -18_000_000,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });

  it('when an unknown HubSpot route is called, then it answers a HubSpot-shaped 404', async () => {
    const res = await http(api('/crm/v3/objects/deals/1'), { token: tokens.access_token });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'EMULATOR_UNKNOWN_ROUTE' });
  });

  it('when the app uninstalls itself, then it answers 204, every token of the portal dies and the uninstall is recorded', async () => {
    const mine = await f.client.install(portal);
    const res = await http(api('/appinstalls/2026-03/external-install'), { method: 'DELETE', token: mine.access_token });
    expect(res.status).toBe(204);
    expect((await http(api('/crm/v3/owners'), { token: mine.access_token })).status).toBe(401);
    await expect(f.client.refresh(mine.refresh_token)).rejects.toMatchObject({ body: { status: 'BAD_REFRESH_TOKEN' } });
    expect(await f.client.uninstalls()).toContainEqual(expect.objectContaining({ portalId: portal, via: 'api' }));
    expect((await f.client.portal(portal)).portal.installed).toBe(false);
  });
});
