import { describe, expect, it } from '@jest/globals';
import { csrfTokenFor, csrfTokenValid, isCsrfSecret, newCsrfSecret } from './csrf.js';

describe('csrf tokens', () => {
  const secret = newCsrfSecret();

  it('when the token was issued for this secret and link, then it is valid', () => {
    expect(isCsrfSecret(secret)).toBe(true);
    expect(csrfTokenValid(secret, 'sb_link_a', csrfTokenFor(secret, 'sb_link_a'))).toBe(true);
  });

  it('when the token belongs to another link or another browser, then it is refused', () => {
    expect(csrfTokenValid(secret, 'sb_link_b', csrfTokenFor(secret, 'sb_link_a'))).toBe(false);
    expect(csrfTokenValid(newCsrfSecret(), 'sb_link_a', csrfTokenFor(secret, 'sb_link_a'))).toBe(false);
  });

  it('when the cookie or the field is missing, malformed or truncated, then it is refused without throwing', () => {
    const token = csrfTokenFor(secret, 'sb_link_a');
    expect(csrfTokenValid(undefined, 'sb_link_a', token)).toBe(false);
    expect(csrfTokenValid(secret, 'sb_link_a', undefined)).toBe(false);
    expect(csrfTokenValid('short', 'sb_link_a', token)).toBe(false);
    expect(csrfTokenValid(secret, 'sb_link_a', token.slice(0, -1))).toBe(false);
    expect(csrfTokenValid(secret, 'sb_link_a', '')).toBe(false);
  });
});
