import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { featuresFor, missingRequiredScopes, OPTIONAL_SCOPES, REQUIRED_SCOPES } from './scopes.js';

const manifest = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../src/app/app-hsmeta.json'), 'utf8')) as {
  config: { auth: { requiredScopes: string[]; optionalScopes: string[] } };
};

describe('scopes', () => {
  it('when compared with app-hsmeta.json, then the install URL asks for exactly the manifest’s required and optional scopes', () => {
    expect([...REQUIRED_SCOPES]).toStrictEqual(manifest.config.auth.requiredScopes);
    expect([...OPTIONAL_SCOPES]).toStrictEqual(manifest.config.auth.optionalScopes);
  });
  it('when a grant lacks required scopes, then missingRequiredScopes names them in order', () => {
    expect(missingRequiredScopes(['oauth', 'tickets'])).toStrictEqual(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.owners.read', 'conversations.read', 'automation']);
    expect(missingRequiredScopes([...REQUIRED_SCOPES])).toStrictEqual([]);
  });
  it('when optional scopes are granted, then exactly their features are on', () => {
    expect(featuresFor([...REQUIRED_SCOPES, 'conversations.write'])).toStrictEqual({ companyContext: false, dealContext: false, conversationHandoff: true });
    expect(featuresFor([...OPTIONAL_SCOPES])).toStrictEqual({ companyContext: true, dealContext: true, conversationHandoff: true });
  });
});
