import crypto from 'node:crypto';
import { AppError } from '../errors.js';

/** An encrypted value as stored: key id, IV, auth tag and ciphertext, packed into one buffer. */
export type Sealed = Buffer;

/** AES-256-GCM encryption of secrets at rest, with key ids so keys can rotate. */
export interface TokenCipher {
  /** Id of the key new values are sealed with. */
  readonly currentKeyId: string;
  /** Encrypts `plaintext` with the current key and a fresh 12-byte IV. */
  seal(plaintext: string): Sealed;
  /** Decrypts a sealed value with whichever known key sealed it; throws if tampered or the key is unknown. */
  open(sealed: Sealed): string;
  /** The key id a sealed value was made with. */
  keyIdOf(sealed: Sealed): string;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 8;

/** Derives a stable, non-secret id for a key (first 8 bytes of its SHA-256). */
export function keyIdFor(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES).toString('hex');
}

/**
 * Creates a cipher over `currentKey` (used to seal) and `previousKeys` (still accepted to open, so a
 * rotation can re-encrypt rows at its own pace). Every key must be exactly 32 bytes: there is no
 * plaintext fallback.
 * @throws Error when a key is not 32 bytes.
 */
export function createTokenCipher(currentKey: Buffer, previousKeys: Buffer[] = []): TokenCipher {
  const keys = new Map<string, Buffer>();
  for (const key of [currentKey, ...previousKeys]) {
    if (key.length !== 32) throw new Error('token encryption keys must be exactly 32 bytes');
    keys.set(keyIdFor(key), key);
  }
  const currentKeyId = keyIdFor(currentKey);

  const layout = (sealed: Buffer) => {
    if (sealed.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
      throw new AppError('server_error', 'Stored secret has an unknown format');
    }
    let o = 1;
    const keyId = sealed.subarray(o, (o += KEY_ID_BYTES)).toString('hex');
    const iv = sealed.subarray(o, (o += IV_BYTES));
    const tag = sealed.subarray(o, (o += TAG_BYTES));
    return { keyId, iv, tag, data: sealed.subarray(o) };
  };

  return Object.freeze({
    currentKeyId,
    seal(plaintext: string): Sealed {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', currentKey, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), Buffer.from(currentKeyId, 'hex'), iv, cipher.getAuthTag(), data]);
    },
    open(sealed: Sealed): string {
      const { keyId, iv, tag, data } = layout(sealed);
      const key = keys.get(keyId);
      if (!key) throw new AppError('server_error', 'Stored secret was sealed with an unknown key');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    },
    keyIdOf(sealed: Sealed): string {
      return layout(sealed).keyId;
    },
  });
}
