// Per-process cache of portal → connection, in front of the by-portal lookup every webhook event,
// card read and workflow action makes. It is only trusted while this process LISTENs for
// connection changes: the `connections` table's trigger sends NOTIFY with the portal id on every
// insert, update and delete (delivered on commit), and each notification drops that portal's entry.
// While the LISTEN is down the cache is bypassed and emptied, since notifications sent meanwhile
// are lost. A TTL bounds what a missed notification could cost anyway.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../platform/logger.js';
import { createPgListener, type PgListener } from '../../platform/pg-listen.js';

/** The channel the `connections` trigger notifies on (payload: the portal id, or `*` after a truncate). */
export const CONNECTIONS_CHANNEL = 'switchboard_connections';

/** A cached value: the summary, or null for a portal no organization ever connected. */
type Cached<T> = { value: T | null; expiresAt: number };

/** Options of {@link createRouteCache}. */
export interface RouteCacheOptions {
  /** Lifetime of an entry for a known portal (default 60 s): the safety net behind NOTIFY. */
  ttlMs?: number;
  /** Lifetime of an entry for an unknown portal (default 5 s). */
  negativeTtlMs?: number;
  /** Entries kept at most; the oldest go first (default 100,000). */
  maxEntries?: number;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
  /** Where the hit/miss counters are registered. */
  registry?: Registry;
}

/** The route cache of one process. */
export interface RouteCache<T> {
  /** The cached value of `portalId`, else `load`'s (cached when no invalidation raced with the load). */
  get(portalId: number, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Drops one portal's entry (a notification, or this process's own committed change). */
  invalidate(portalId: number): void;
  /** Drops every entry. */
  clear(): void;
  /** Turns caching on (LISTEN in place) or off and empties the cache either way. */
  setListening(listening: boolean): void;
  /** Applies one notification payload of {@link CONNECTIONS_CHANNEL}. */
  onNotify(payload: string): void;
  /** Counters for tests and operators. */
  stats(): { hits: number; misses: number; size: number; listening: boolean };
}

/** Builds an empty route cache, bypassed until {@link RouteCache.setListening} turns it on. */
export function createRouteCache<T>(options: RouteCacheOptions = {}): RouteCache<T> {
  const ttlMs = options.ttlMs ?? 60_000;
  const negativeTtlMs = options.negativeTtlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? (() => performance.now());
  const registers = options.registry ? [options.registry] : [];
  const hitsCounter = new Counter({ name: 'switchboard_route_cache_hits_total', help: 'Portal routing lookups answered from this process cache', registers });
  const missesCounter = new Counter({ name: 'switchboard_route_cache_misses_total', help: 'Portal routing lookups that went to the database', registers });
  const notificationsCounter = new Counter({ name: 'switchboard_route_cache_notifications_total', help: 'Connection-change notifications this process heard', registers });
  const listeningGauge = new Gauge({ name: 'switchboard_route_cache_listening', help: '1 while this process LISTENs for connection changes (the route cache is on), else 0', registers });

  const entries = new Map<number, Cached<T>>();
  let listening = false;
  let hits = 0;
  let misses = 0;
  // Bumped by every invalidation: a load that overlapped one may have read the old row, so its
  // result is returned but not cached. Global rather than per portal: changes are rare.
  let generation = 0;

  const clear = () => {
    generation++;
    entries.clear();
  };
  const invalidate = (portalId: number) => {
    generation++;
    entries.delete(portalId);
  };

  return {
    async get(portalId, load) {
      if (listening) {
        const hit = entries.get(portalId);
        if (hit && hit.expiresAt > now()) {
          hits++;
          hitsCounter.inc();
          return hit.value ?? undefined;
        }
      }
      misses++;
      missesCounter.inc();
      const startedAt = generation;
      const value = await load();
      if (listening && generation === startedAt) {
        entries.delete(portalId);
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as number);
        entries.set(portalId, { value: value ?? null, expiresAt: now() + (value === undefined ? negativeTtlMs : ttlMs) });
      }
      return value;
    },
    invalidate,
    clear,
    setListening(on) {
      clear();
      listening = on;
      listeningGauge.set(on ? 1 : 0);
    },
    onNotify(payload) {
      notificationsCounter.inc();
      const portalId = Number(payload);
      if (payload !== '' && Number.isSafeInteger(portalId)) invalidate(portalId);
      else clear();
    },
    stats: () => ({ hits, misses, size: entries.size, listening }),
  };
}

/**
 * Keeps `cache` in step with the `connections` table through this process's own LISTEN connection:
 * caching turns on once LISTEN is in place (empty, since notifications before it were not heard)
 * and off while the connection is down.
 */
export function listenForConnectionChanges<T>(cache: RouteCache<T>, opts: { connectionString: string; log: Logger }): PgListener {
  return createPgListener({
    connectionString: opts.connectionString,
    channel: CONNECTIONS_CHANNEL,
    applicationName: 'switchboard-routes',
    log: opts.log,
    onNotify: (payload) => cache.onNotify(payload),
    onListening: () => cache.setListening(true),
    onLost: () => cache.setListening(false),
  });
}
