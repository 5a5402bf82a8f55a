import crypto from 'node:crypto';

/**
 * Random bearer secrets we hand out (organization API keys, install-link tokens, OAuth `state`,
 * claim tokens). Only their SHA-256 is stored, so a database dump cannot be replayed; lookups go by
 * hash, and any comparison of hashes is constant-time.
 */

/**
 * A new random token: `<prefix>_` + 32 random bytes in base64url (256 bits, unguessable).
 * @param prefix short, non-secret marker that tells people what the token is for (e.g. `sb_org`).
 */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a token, hex; what the database stores. */
export function hashOpaqueToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two hex digests (false on any length mismatch). */
export function hashesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length > 0 && crypto.timingSafeEqual(ba, bb);
}

/** Constant-time comparison of two secrets of any length (compares their SHA-256 digests). */
export function secretsEqual(a: string, b: string): boolean {
  return hashesEqual(hashOpaqueToken(a), hashOpaqueToken(b));
}
