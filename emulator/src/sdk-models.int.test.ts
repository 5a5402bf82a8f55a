// Every emulator answer that `@hubspot/api-client` models is read through the SDK itself (`basePath`
// pointed at the emulator), so the SDK's own ObjectSerializer deserialises it into its model classes.
// Then each field the model declares required (no `?` in the SDK's model declaration) is checked to be
// present with the model's type, recursively through nested models. The SDK drops unknown fields and
// fills nothing in, so a misnamed or missing field in the emulator shows up here as a missing one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { localRedirectUri, startEmulator, type Fixture } from './__support__/emulator-fixture.js';

const require = createRequire(import.meta.url);
const SDK_CODEGEN = path.join(path.dirname(require.resolve('@hubspot/api-client/package.json')), 'lib/codegen');

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}

/**
 * The problems of `value` as an instance of the SDK model `type` from `modelsDir` (under lib/codegen):
 * required fields missing or null, and fields whose value does not have the declared type.
 */
function modelProblems(modelsDir: string, type: string, value: unknown, at = type): string[] {
  const dir = path.join(SDK_CODEGEN, modelsDir, 'models');
  const declaration = readFileSync(path.join(dir, `${type}.d.ts`), 'utf8');
  const model = (require(path.join(dir, `${type}.js`)) as Record<string, { getAttributeTypeMap(): Attribute[] }>)[type]!;
  if (typeof value !== 'object' || value === null) return [`${at}: not an object`];
  const problems: string[] = [];
  for (const attribute of model.getAttributeTypeMap()) {
    const field = new RegExp(`^ {4}'${attribute.name}'(\\?)?: (.*)$`, 'm').exec(declaration);
    const required = field !== null && field[1] === undefined;
    const nullable = field?.[2]?.includes('null') ?? false;
    const v = (value as Record<string, unknown>)[attribute.name];
    const where = `${at}.${attribute.baseName}`;
    if (v === undefined || (v === null && !nullable)) {
      if (required) problems.push(`${where}: required by the SDK model, missing`);
      continue;
    }
    problems.push(...typeProblems(modelsDir, attribute.type, v, where));
  }
  return problems;
}

function typeProblems(modelsDir: string, type: string, v: unknown, where: string): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(v) ? v.flatMap((item, i) => typeProblems(modelsDir, array[1]!, item, `${where}[${i}]`)) : [`${where}: not an array`];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return typeof v === 'object' && v !== null ? Object.entries(v).flatMap(([k, item]) => (item === null ? [] : typeProblems(modelsDir, map[1]!, item, `${where}.${k}`))) : [`${where}: not a map`];
  const union = type.split(' | ');
  if (union.length > 1) return union.some((t) => (t === 'null' ? v === null : typeProblems(modelsDir, t, v, where).length === 0)) ? [] : [`${where}: not ${type}`];
  switch (type) {
    case 'string':
      return typeof v === 'string' ? [] : [`${where}: not a string`];
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? [] : [`${where}: not a number`];
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${where}: not a boolean`];
    case 'Date':
      return v instanceof Date && !Number.isNaN(v.getTime()) ? [] : [`${where}: not a valid date`];
    case 'any':
      return [];
    default:
      if (type.endsWith('Enum')) return typeof v === 'string' ? [] : [`${where}: not an enum string`];
      return modelProblems(modelsDir, type, v, where);
  }
}

/** Asserts that `value` satisfies the SDK model and returns it. */
function expectModel<T>(modelsDir: string, type: string, value: T): T {
  expect({ type, problems: modelProblems(modelsDir, type, value) }).toStrictEqual({ type, problems: [] });
  return value;
}

let f: Fixture;
let clientId: string;
let clientSecret: string;
let accessToken: string;
let refreshToken: string;
let sdk: Client;

beforeAll(async () => {
  f = await startEmulator();
  ({ clientId, clientSecret } = f.emu.app);
  const consent = await f.client.authorize({ redirectUri: localRedirectUri });
  const oauth = new Client({ basePath: f.emu.url });
  const tokens = expectModel('oauth', 'TokenResponseIF', await oauth.oauth.tokensApi.create('authorization_code', consent.code, localRedirectUri, clientId, clientSecret));
  accessToken = tokens.accessToken;
  refreshToken = tokens.refreshToken;
  sdk = new Client({ accessToken, basePath: f.emu.url });
});
afterAll(async () => {
  await f?.emu.stop();
});

describe('OAuth answers through @hubspot/api-client models', () => {
  it('when a refresh token is exchanged, then TokenResponseIF has every required field', async () => {
    const oauth = new Client({ basePath: f.emu.url });
    const refreshed = expectModel('oauth', 'TokenResponseIF', await oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken));
    expect(refreshed.tokenType.toLowerCase()).toBe('bearer');
    expect(refreshed.expiresIn).toBeGreaterThan(0);
  });

  it('when access-token metadata is read, then AccessTokenInfoResponse has every required field and the right portal', async () => {
    const info = expectModel('oauth', 'AccessTokenInfoResponse', await sdk.oauth.accessTokensApi.get(accessToken));
    expect(info).toMatchObject({ hubId: 62515, appId: f.emu.app.appId, token: accessToken });
    expect(info.scopes).toEqual(expect.arrayContaining(['oauth', 'tickets']));
  });

  it('when refresh-token metadata is read, then RefreshTokenInfoResponse has every required field', async () => {
    const info = expectModel('oauth', 'RefreshTokenInfoResponse', await sdk.oauth.refreshTokensApi.get(refreshToken));
    expect(info).toMatchObject({ hubId: 62515, clientId, token: refreshToken });
  });
});

describe('CRM answers through @hubspot/api-client models', () => {
  it('when a ticket is created, read with associations, listed and updated, then each answer fits its model', async () => {
    const created = expectModel('crm/tickets', 'SimplePublicObject', await sdk.crm.tickets.basicApi.create({ properties: { subject: 'SDK check', hs_pipeline: '0', hs_pipeline_stage: '1' }, associations: [{ to: { id: '101' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 16 }] }] }));
    const read = expectModel('crm/tickets', 'SimplePublicObjectWithAssociations', await sdk.crm.tickets.basicApi.getById(created.id, ['subject', 'hubspot_owner_id'], undefined, ['contacts']));
    expect(read.properties.subject).toBe('SDK check');
    expect(read.associations?.contacts?.results.map((a) => a.id)).toStrictEqual(['101']);
    expectModel('crm/tickets', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', await sdk.crm.tickets.basicApi.getPage(2, undefined, ['subject']));
    const updated = expectModel('crm/tickets', 'SimplePublicObject', await sdk.crm.tickets.basicApi.update(created.id, { properties: { subject: 'SDK check 2' } }));
    expect(updated.properties.subject).toBe('SDK check 2');
  });

  it('when tickets are read and updated in batch (one id missing), then the batch answers fit their models', async () => {
    const read = await sdk.crm.tickets.batchApi.read({ inputs: [{ id: '1001' }, { id: '999999' }], properties: ['subject'], propertiesWithHistory: [] });
    expectModel('crm/tickets', 'BatchResponseSimplePublicObjectWithErrors', read);
    expect(read.results.map((r) => r.id)).toStrictEqual(['1001']);
    const updated = await sdk.crm.tickets.batchApi.update({ inputs: [{ id: '1002', properties: { subject: 'Batch SDK' } }] });
    expectModel('crm/tickets', 'BatchResponseSimplePublicObject', updated);
  });

  it('when tickets are searched, then the answer fits CollectionResponseWithTotalSimplePublicObjectForwardPaging', async () => {
    const found = expectModel(
      'crm/tickets',
      'CollectionResponseWithTotalSimplePublicObjectForwardPaging',
      await sdk.crm.tickets.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'EQ' as never, value: '1' }] }], properties: ['subject'], limit: 1, after: '0', sorts: [] }),
    );
    expect(found.total).toBeGreaterThanOrEqual(1);
  });

  it('when a contact is created, read, updated and searched, then each answer fits its model', async () => {
    const created = expectModel('crm/contacts', 'SimplePublicObject', await sdk.crm.contacts.basicApi.create({ properties: { email: 'sdk.check@example.com', firstname: 'Sdk' }, associations: [] }));
    expectModel('crm/contacts', 'SimplePublicObjectWithAssociations', await sdk.crm.contacts.basicApi.getById(created.id, ['email'], undefined, ['tickets']));
    expectModel('crm/contacts', 'SimplePublicObject', await sdk.crm.contacts.basicApi.update(created.id, { properties: { lastname: 'Check' } }));
    expectModel('crm/contacts', 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging', await sdk.crm.contacts.basicApi.getPage(2));
    const found = await sdk.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'sdk.check@example.com' }] }], properties: ['email'], limit: 10, after: '0', sorts: [] });
    expectModel('crm/contacts', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', found);
    expect(found.results.map((r) => r.id)).toStrictEqual([created.id]);
  });

  it('when a note is created on a ticket and read back, then both answers fit the notes models', async () => {
    const note = expectModel(
      'crm/objects/notes',
      'SimplePublicObject',
      await sdk.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'AI paused', hs_timestamp: new Date(f.clock.now).toISOString() }, associations: [{ to: { id: '1001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 228 }] }] }),
    );
    expectModel('crm/objects/notes', 'SimplePublicObjectWithAssociations', await sdk.crm.objects.notes.basicApi.getById(note.id, ['hs_note_body'], undefined, ['tickets']));
  });

  it('when owners are listed and read by id and by user id, then each answer fits the owners models', async () => {
    const page = expectModel('crm/owners', 'CollectionResponsePublicOwnerForwardPaging', await sdk.crm.owners.ownersApi.getPage(undefined, undefined, 100));
    expect(page.results.map((o) => o.id)).toEqual(expect.arrayContaining(['51000001', '51000002']));
    expectModel('crm/owners', 'PublicOwner', await sdk.crm.owners.ownersApi.getById(51000001));
    const byUser = expectModel('crm/owners', 'PublicOwner', await sdk.crm.owners.ownersApi.getById(1000002, 'userId'));
    expect(byUser.id).toBe('51000002');
  });
});
