// The identity every `hubspot.fetch` carries: the cards and the settings page each have a copy of
// `withIdentity` (extensions are bundled from their own folders), and these tests keep them equal and
// check that every value reaches the backend unchanged after its query parser decodes it.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'node:querystring';
import { withIdentity as cardsWithIdentity } from '../../cards/utils/api.js';
import { withIdentity as settingsWithIdentity } from '../utils/api.js';

const EMAILS = ['a@b.com', 'jane+agent@example.com', "o'brien@example.com", 'x y&portalId=1@example.com', 'zoë=ü#?@example.com', '%40@example.com'];

describe('withIdentity', () => {
  it.each(EMAILS)('when the email is %j, then both copies build the same URL and it decodes back to the same values', (userEmail) => {
    const identity = { portalId: 62515, userId: 864745280, userEmail };
    const url = cardsWithIdentity('https://switchboard.example.com/hubspot/ui/settings', identity);
    expect(settingsWithIdentity('https://switchboard.example.com/hubspot/ui/settings', identity)).toBe(url);
    const query = new URL(url).search.slice(1);
    // node:querystring is the parser of Express 5's default "simple" query setting.
    expect({ ...parse(query) }).toStrictEqual({ portalId: '62515', userId: '864745280', userEmail });
    expect(Object.fromEntries(new URLSearchParams(query))).toStrictEqual({ portalId: '62515', userId: '864745280', userEmail });
  });

  it('when the URL has a query already, then the identity is appended after it', () => {
    const identity = { portalId: 1, userId: 2, userEmail: 'a@b.com' };
    expect(cardsWithIdentity('https://x.example/p?a=1', identity)).toBe('https://x.example/p?a=1&portalId=1&userId=2&userEmail=a%40b.com');
    expect(settingsWithIdentity('https://x.example/p', identity)).toBe('https://x.example/p?portalId=1&userId=2&userEmail=a%40b.com');
  });
});
