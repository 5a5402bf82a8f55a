import { describe, expect, it } from '@jest/globals';
import { hashesEqual, hashOpaqueToken, newOpaqueToken, secretsEqual } from './opaque-token.js';

describe('opaque tokens', () => {
  it('when generated, then they carry the prefix and 256 random bits, and never repeat', () => {
    const a = newOpaqueToken('sb_link');
    expect(a).toMatch(/^sb_link_[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 1000 }, () => newOpaqueToken('x'))).size).toBe(1000);
  });
  it('when hashed, then the digest is hex SHA-256 and comparisons are exact', () => {
    const t = newOpaqueToken('sb_org');
    expect(hashOpaqueToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashesEqual(hashOpaqueToken(t), hashOpaqueToken(t))).toBe(true);
    expect(hashesEqual(hashOpaqueToken(t), hashOpaqueToken(`${t}x`))).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
    expect(secretsEqual('same', 'same')).toBe(true);
    expect(secretsEqual('same', 'same ')).toBe(false);
  });
});
