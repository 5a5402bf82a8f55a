// The operation table finds the operation a request is, preferring literal segments over templates.
import { describe, expect, it } from '@jest/globals';
import { findOperation } from './operations.js';

describe('findOperation', () => {
  it('when a path matches a literal route and a template, then the literal one wins (batch/read is not a record id)', () => {
    expect(findOperation('POST', '/crm/objects/2026-03/notes/batch/read')?.path).toBe('/crm/objects/2026-03/notes/batch/read');
    expect(findOperation('GET', '/crm/objects/2026-03/tickets/1001')?.path).toBe('/crm/objects/2026-03/tickets/{objectId}');
    expect(findOperation('POST', '/automation/actions/callbacks/2026-03/complete')?.path).toBe('/automation/actions/callbacks/2026-03/complete');
    expect(findOperation('POST', '/automation/actions/callbacks/2026-03/ap-1-2-3-0/complete')?.path).toBe('/automation/actions/callbacks/2026-03/{callbackId}/complete');
  });

  it('when the method or the path is not in the reference, then there is no operation', () => {
    expect(findOperation('PUT', '/crm/objects/2026-03/tickets/1001')).toBeUndefined();
    expect(findOperation('GET', '/crm/objects/2026-03/deals/1')).toBeUndefined();
    expect(findOperation('GET', '/account-info/2026-09/details')).toBeUndefined();
    expect(findOperation('POST', '/oauth/2026-03/token/refresh')).toBeUndefined();
  });
});
