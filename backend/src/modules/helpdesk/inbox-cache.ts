// The portal's inbox list, kept briefly per organization: the connection page asks for it on every
// view, and HubSpot's answer changes only when someone adds or renames an inbox. An entry also holds
// the connection it was read with (portal, status, auth, scopes), so a reconnect to another portal or
// with other scopes, or a disconnect, makes it stale at once in every process; the process that
// handles a connection event also forgets the organization's entry outright.
import type { Clock } from '../../platform/clock.js';

/** How long a listed inbox set is reused. */
export const INBOX_CACHE_TTL_MS = 60_000;

type Inboxes = { id: string; name: string }[];

/** The identity of a connection: what a connect, a reconnect or a disconnect changes. */
export function connectionFingerprint(c: { portalId: number; status: string; auth: string; scopes: readonly string[] }): string {
  return `${c.portalId}|${c.status}|${c.auth}|${[...c.scopes].sort().join(' ')}`;
}

/** A per-organization inbox list cache. */
export interface InboxCache {
  /** The cached list, when fresh and read with the same connection. */
  get(organizationId: string, fingerprint: string): Inboxes | undefined;
  set(organizationId: string, fingerprint: string, inboxes: Inboxes): void;
  /** Drops the organization's entry (its connection changed). */
  forget(organizationId: string): void;
}

/** Builds an empty cache on `clock`. */
export function createInboxCache(clock: Clock, ttlMs = INBOX_CACHE_TTL_MS): InboxCache {
  const entries = new Map<string, { fingerprint: string; expiresAt: number; inboxes: Inboxes }>();
  return {
    get(organizationId, fingerprint) {
      const now = clock.now();
      for (const [id, e] of entries) if (e.expiresAt <= now) entries.delete(id);
      const entry = entries.get(organizationId);
      return entry && entry.fingerprint === fingerprint ? entry.inboxes.map((i) => ({ ...i })) : undefined;
    },
    set(organizationId, fingerprint, inboxes) {
      entries.set(organizationId, { fingerprint, expiresAt: clock.now() + ttlMs, inboxes: inboxes.map((i) => ({ ...i })) });
    },
    forget(organizationId) {
      entries.delete(organizationId);
    },
  };
}
