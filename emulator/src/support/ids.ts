// Identifiers and secrets. Record ids are deterministic (a per-instance counter) so tests can predict
// them; tokens and codes are random because they are credentials and must not be guessable.
import { randomBytes, randomUUID } from 'node:crypto';

/** A HubSpot-style correlation id (a UUID), fresh for every error body. */
export function newCorrelationId(): string {
  return randomUUID();
}

/** An opaque access token. HubSpot's are base64url blobs of varying length (reference §3.3). */
export function newAccessToken(): string {
  return `C${randomBytes(72).toString('base64url')}`;
}

/** A refresh token shaped like HubSpot's current ones (`na1-` + UUID). */
export function newRefreshToken(): string {
  return `na1-${randomUUID()}`;
}

/** A single-use authorization code. */
export function newAuthCode(): string {
  return `na1-${randomUUID()}`;
}

/** A private-app access token (`pat-na1-` + UUID), the static legacy credential. */
export function newPrivateAppToken(): string {
  return `pat-na1-${randomUUID()}`;
}

/** A generated OAuth client id (HubSpot's are UUIDs). */
export function newClientId(): string {
  return randomUUID();
}

/** A generated OAuth client secret (HubSpot's are UUIDs). */
export function newClientSecret(): string {
  return randomUUID();
}

/** A generated numeric app id in HubSpot's range. */
export function newAppId(): number {
  return 1_000_000 + randomBytes(3).readUIntBE(0, 3);
}

/** Named counters that hand out increasing ids from fixed bases, so a reset replays the same ids. */
export interface IdSequence {
  /** The next id of that kind. */
  next(kind: IdKind): number;
  /** Makes sure a later `next(kind)` never returns `used` or anything below it. */
  reserve(kind: IdKind, used: number): void;
}

/** The kinds of record that get numeric ids. */
export type IdKind = 'portal' | 'user' | 'owner' | 'contacts' | 'tickets' | 'notes' | 'thread' | 'message' | 'privateApp';

const bases: Record<IdKind, number> = {
  portal: 20_000_001,
  user: 1_000_001,
  owner: 51_000_001,
  contacts: 101,
  tickets: 1_001,
  notes: 20_001,
  thread: 7_400_000_001,
  message: 1,
  privateApp: 900_001,
};

/** Creates a fresh id sequence starting at the fixed bases. */
export function createIdSequence(): IdSequence {
  const current = new Map<IdKind, number>();
  return {
    next(kind) {
      const value = current.get(kind) ?? bases[kind];
      current.set(kind, value + 1);
      return value;
    },
    reserve(kind, used) {
      const value = current.get(kind) ?? bases[kind];
      if (used >= value) current.set(kind, used + 1);
    },
  };
}
