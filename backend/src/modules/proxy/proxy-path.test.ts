import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { validateProxyPath } from './proxy.service.js';

const rejects = (p: string) => {
  try {
    validateProxyPath(p);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'invalid_params';
  }
};

describe('validateProxyPath', () => {
  it('when the path is a plain HubSpot path, then it is kept as sent', () => {
    expect(validateProxyPath('/crm/v3/objects/tickets/12')).toBe('/crm/v3/objects/tickets/12');
    expect(validateProxyPath('/crm/v3/objects/contacts/ada%40example.com')).toBe('/crm/v3/objects/contacts/ada%40example.com');
  });
  it('when the path could leave the API host or climb, then it is refused', () => {
    for (const p of ['', '/', 'crm/v3', '//evil.example.com/x', '/crm/../oauth', '/crm/%2e%2E/oauth', '/crm/./x', '/crm%2Fv3', '/crm%5Cv3', '/crm\\v3', '/http:', '/https:%2F%2Fevil', '/crm/v3/%ZZ', '/crm/%00', '/crm//v3', '/a\nb']) {
      expect([p, rejects(p)]).toStrictEqual([p, true]);
    }
  });
  it('when any accepted path is resolved against the API base URL, then it stays on that host and never climbs', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('..', '.', '%2e%2e', '%2E.', 'crm', 'v3', '', 'a:b', '%2f', 'http:'), fc.webSegment()), { minLength: 1, maxLength: 6 }), (segments) => {
        const p = `/${segments.join('/')}`;
        let accepted: string;
        try {
          accepted = validateProxyPath(p);
        } catch {
          return true;
        }
        const url = new URL(`https://api.hubapi.com${accepted}`);
        return url.host === 'api.hubapi.com' && url.pathname.split('/').length === accepted.split('/').length;
      }),
    );
  });
});
