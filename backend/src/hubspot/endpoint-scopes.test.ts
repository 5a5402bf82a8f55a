import { describe, expect, it } from '@jest/globals';
import { checkEndpointScopes } from './endpoint-scopes.js';

describe('checkEndpointScopes', () => {
  it('when a read is covered, then it is allowed; a write needs the write scope', () => {
    expect(checkEndpointScopes('GET', '/crm/v3/objects/contacts/1', ['crm.objects.contacts.read'])).toStrictEqual({ ok: true });
    expect(checkEndpointScopes('PATCH', '/crm/v3/objects/contacts/1', ['crm.objects.contacts.read'])).toStrictEqual({ ok: false, reason: 'missing_scope', scope: 'crm.objects.contacts.write' });
  });
  it('when a POST only searches or batch-reads, then a read scope is enough', () => {
    expect(checkEndpointScopes('POST', '/crm/v3/objects/tickets/search', ['tickets'])).toStrictEqual({ ok: true });
    expect(checkEndpointScopes('POST', '/crm/v3/objects/contacts/batch/read', ['crm.objects.contacts.read'])).toStrictEqual({ ok: true });
  });
  it('when any listed scope is granted, then it is allowed (owners accept automation)', () => {
    expect(checkEndpointScopes('GET', '/crm/v3/owners', ['automation'])).toStrictEqual({ ok: true });
  });
  it('when prefixes only share characters, then they do not match (segment-aware)', () => {
    expect(checkEndpointScopes('GET', '/crm/v3/objects/ticketsx', ['tickets'])).toStrictEqual({ ok: false, reason: 'not_allowed' });
  });
  it('when the path manages tokens or installs, or is unknown, then it is not allowed whatever the scopes', () => {
    for (const p of ['/oauth/2026-03/token', '/appinstalls/2026-03/external-install', '/files/v3/files', '/crm/v3/owners/1']) {
      const method = p.startsWith('/crm/v3/owners') ? 'DELETE' : 'GET';
      expect(checkEndpointScopes(method, p, ['oauth', 'tickets', 'automation', 'crm.objects.owners.read'])).toStrictEqual({ ok: false, reason: 'not_allowed' });
    }
  });
});
