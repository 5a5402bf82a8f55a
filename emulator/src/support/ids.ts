// Identifiers and secrets. Record ids are deterministic (a per-instance counter) so tests can predict
// them; tokens and codes are random because they are credentials and must not be guessable.
import { randomBytes, randomUUID } from 'node:crypto';

/** A HubSpot-style correlation id (a UUID), fresh for every error body. */
export function newCorrelationId(): string {
  return randomUUID();
}

/** An opaque access token. HubSpot's are base64url blobs of varying length (https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide). */
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

/** A generated developer API key (HubSpot's `hapikey` values are UUIDs). */
export function newDeveloperApiKey(): string {
  return randomUUID();
}

/** A generated numeric app id in HubSpot's range. */
export function newAppId(): number {
  return 1_000_000 + randomBytes(3).readUIntBE(0, 3);
}

/** Named counters that hand out increasing ids from fixed bases, so the seeded demo data keeps its ids. */
export interface IdSequence {
  /** The next id of that kind. */
  next(kind: IdKind): number;
  /** Makes sure a later `next(kind)` never returns `used` or anything below it. */
  reserve(kind: IdKind, used: number): void;
  /** The next value of every kind that handed out ids (to save, or to carry over a reset). */
  snapshot(): Partial<Record<IdKind, number>>;
}

/** The kinds of record that get numeric ids. */
export type IdKind = 'portal' | 'user' | 'owner' | 'contacts' | 'tickets' | 'notes' | 'thread' | 'privateApp' | 'channel' | 'channelAccount';

const bases: Record<IdKind, number> = {
  portal: 20_000_001,
  user: 1_000_001,
  owner: 51_000_001,
  contacts: 101,
  tickets: 1_001,
  notes: 20_001,
  thread: 7_400_000_001,
  privateApp: 900_001,
  channel: 1_301,
  channelAccount: 810_001,
};

/**
 * Creates an id sequence starting at the fixed bases.
 * @param floors next values to continue from (a saved snapshot, or the ids used before a reset)
 */
export function createIdSequence(floors: Partial<Record<IdKind, number>> = {}): IdSequence {
  const current = new Map<IdKind, number>();
  const sequence: IdSequence = {
    next(kind) {
      const value = current.get(kind) ?? bases[kind];
      current.set(kind, value + 1);
      return value;
    },
    reserve(kind, used) {
      const value = current.get(kind) ?? bases[kind];
      if (used >= value) current.set(kind, used + 1);
    },
    snapshot: () => Object.fromEntries(current.entries()),
  };
  for (const [kind, next] of Object.entries(floors) as [IdKind, number][]) {
    if (kind in bases && Number.isSafeInteger(next)) sequence.reserve(kind, next - 1);
  }
  return sequence;
}

/**
 * One increasing counter for the ids HubSpot treats as unique across time: webhook event ids, workflow
 * enrollments and callback ids, message ids, delivery batches. It never goes back, not even on a reset,
 * and starts at the wall clock in milliseconds (or after a saved value, whichever is higher), so a new
 * emulator run never repeats an id an earlier run handed to the backend, even when nothing was saved.
 */
export interface UniqueIds {
  /** The next id. */
  next(): number;
  /** The next value `next()` would return (to save). */
  peek(): number;
}

/**
 * Creates the unique-id counter.
 * @param saved a value saved from an earlier run (`peek()`), if any
 * @param wallClock the real clock; injected clocks do not count, they can go back
 */
export function createUniqueIds(saved?: number, wallClock: () => number = Date.now): UniqueIds {
  let value = Math.max(Number.isSafeInteger(saved) ? (saved as number) : 0, Math.floor(wallClock()));
  return {
    next: () => value++,
    peek: () => value,
  };
}
