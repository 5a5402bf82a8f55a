import { describe, expect, it } from '@jest/globals';
import { createManualClock } from '../../platform/clock.js';
import { connectionFingerprint, createInboxCache, INBOX_CACHE_TTL_MS } from './inbox-cache.js';

const connection = { portalId: 7, status: 'connected', auth: 'oauth', scopes: ['conversations.read', 'tickets'] };
const inboxes = [{ id: '1', name: 'Help Desk' }];

describe('inbox list cache', () => {
  it('when asked within the minute with the same connection, then the list is reused; after it, or for another connection, it is not', () => {
    const clock = createManualClock(1_000_000);
    const cache = createInboxCache(clock);
    const fp = connectionFingerprint(connection);
    cache.set('org', fp, inboxes);
    clock.advance(INBOX_CACHE_TTL_MS - 1);
    expect(cache.get('org', fp)).toStrictEqual(inboxes);
    expect(cache.get('org', connectionFingerprint({ ...connection, scopes: ['tickets'] }))).toBeUndefined();
    expect(cache.get('org', connectionFingerprint({ ...connection, status: 'disconnected' }))).toBeUndefined();
    expect(cache.get('other-org', fp)).toBeUndefined();
    clock.advance(1);
    expect(cache.get('org', fp)).toBeUndefined();
  });

  it('when the organization is forgotten, then the next read misses; scope order does not matter', () => {
    const cache = createInboxCache(createManualClock(0));
    const fp = connectionFingerprint(connection);
    expect(connectionFingerprint({ ...connection, scopes: ['tickets', 'conversations.read'] })).toBe(fp);
    cache.set('org', fp, inboxes);
    cache.forget('org');
    expect(cache.get('org', fp)).toBeUndefined();
  });
});
