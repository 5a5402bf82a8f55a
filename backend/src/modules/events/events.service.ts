// The outbox: every AI state change, connection change and erasure becomes an event, written in the
// same transaction as the change itself. Vendors read it as a feed (cursor = event id) and, when they
// configured a URL, receive each event as a signed POST, retried by a job and logged per attempt.
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { TokenCipher } from '../../platform/crypto/token-cipher.js';
import { AppError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { MetricsPort } from './events.ports.js';
import { PUSH_EVENT_JOB } from './events.jobs.js';
import { eventsRepository as repo, type EventDelivery, type EventDestination, type OutboxEvent } from './events.repository.js';
import { createPushClient, PushError, refusedHostReason, type PushResolver } from './push-client.js';

export type { EventDelivery, EventDestination, OutboxEvent };

/**
 * Headers of a pushed event. The vendor verifies `X-Switchboard-Signature` =
 * `v1=` + hex HMAC-SHA256(secret, `<X-Switchboard-Timestamp>` + "." + raw body), compares in constant
 * time and refuses stale timestamps (we suggest 5 minutes). Retries are re-signed with a new timestamp
 * and carry the same `X-Switchboard-Event-Id`, so the vendor can dedupe.
 */
export const EVENT_PUSH_HEADERS = Object.freeze({
  signature: 'X-Switchboard-Signature',
  timestamp: 'X-Switchboard-Timestamp',
  eventId: 'X-Switchboard-Event-Id',
  eventType: 'X-Switchboard-Event-Type',
  attempt: 'X-Switchboard-Delivery-Attempt',
});

/** Event data fields that can hold a contact's personal data; blanked on privacy deletion. */
const PERSONAL_EVENT_FIELDS = ['reason', 'record', 'instructions', 'note', 'contactName', 'contactEmail', 'email', 'name'] as const;

/** Event types we emit (connection ones are recorded by the connections module). */
export type EventType =
  | 'ai.paused'
  | 'ai.resumed'
  | 'ai.handoff_requested'
  | 'record.sent_to_ai'
  | 'conversation.closed'
  | 'contact.erased'
  | 'connection.connected'
  | 'connection.needs_reauth'
  | 'connection.disconnected'
  | (string & {});

/** An event as the vendor sees it, in the feed and in pushes. */
export interface PresentedEvent {
  id: string;
  organizationId: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** Input of {@link EventsService.record}. */
export interface RecordEventInput {
  organizationId: string;
  type: EventType;
  /** JSON-safe payload; ids as strings. Never put names or emails here (privacy erasure relies on it). */
  data: Record<string, unknown>;
}

/** The events service. */
export interface EventsService {
  /**
   * Appends an event inside the caller's transaction (and queues its push when a destination is set),
   * so it exists exactly when the change does. Takes no lock: the feed holds an event back until its
   * transaction has ended. Call {@link afterCommit} once committed.
   */
  record(trx: Transaction<Database>, input: RecordEventInput): Promise<OutboxEvent>;
  /**
   * Queues the push of an event another module's statement inserted in this transaction (its
   * statement also told whether the organization has a destination: only then is a push queued).
   */
  queuePush(trx: Transaction<Database>, event: { id: number; pushed: boolean }): Promise<void>;
  /** Wakes this process's push workers (after a transaction that recorded events committed). */
  afterCommit(): void;
  /**
   * One page of the feed, oldest first.
   * @returns the events after `after` and the cursor to pass next (unchanged when there was nothing new)
   */
  listFeed(organizationId: string, opts: { after?: number; limit?: number }): Promise<{ events: PresentedEvent[]; nextCursor: string }>;
  /**
   * Sets (or replaces) the push URL with a fresh signing secret, returned only here.
   * @throws AppError invalid_body for a URL we refuse to call
   */
  setDestination(organizationId: string, url: string): Promise<{ destination: EventDestination; secret: string }>;
  getDestination(organizationId: string): Promise<EventDestination | undefined>;
  /** @throws AppError not_found when none is set */
  deleteDestination(organizationId: string): Promise<void>;
  /** Push attempts, newest first. */
  listDeliveries(organizationId: string, opts: { eventId?: number; limit?: number }): Promise<EventDelivery[]>;
  /** Job body: pushes one event once. @throws Error on a failed attempt (the job retries) */
  deliverEvent(eventId: number, attempt: number): Promise<void>;
  onPushExhausted(eventId: number, error: unknown): Promise<void>;
  /**
   * Privacy erasure: removes the contact id, and the free-text reason (which may quote the customer),
   * from every stored event that names the contact. @returns events changed
   */
  scrubContact(trx: Transaction<Database>, organizationId: string, contactId: number): Promise<number>;
}

/** Dependencies of the events service. */
export interface EventsDeps {
  config: Pick<Config, 'publicBaseUrl'>;
  /** Seals the push destinations' signing secrets (the one token cipher of the process). */
  cipher: TokenCipher;
  db: Db;
  jobs: Jobs;
  clock: Clock;
  log: Logger;
  metrics: MetricsPort;
  /** How push destinations' names are resolved (the system resolver by default; tests pass a stub). */
  pushResolver?: PushResolver;
}

const PUSH_TIMEOUT_MS = 10_000;
const SECRET_PREFIX = 'sbwh';

/**
 * Signs a pushed body the way vendors verify it.
 * @returns `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
 */
export function signEventPayload(secret: string, timestamp: string, body: string): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** Presents an outbox event for the vendor. */
export function presentEvent(event: OutboxEvent): PresentedEvent {
  return { id: String(event.id), organizationId: event.organizationId, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data };
}

/** Builds the events service. */
export function createEventsService(deps: EventsDeps): EventsService {
  const { cipher } = deps;
  // Local development mode: the backend itself runs on plain http (PUBLIC_BASE_URL http://), so pushes
  // may use http and reach this machine or a private network. Every deployment runs on https.
  const localMode = deps.config.publicBaseUrl.startsWith('http://');
  if (localMode) deps.log.info('local mode (PUBLIC_BASE_URL is http): event pushes may go to http, loopback and private addresses');
  const pushClient = createPushClient({ allowPrivate: localMode, ...(deps.pushResolver ? { resolve: deps.pushResolver } : {}) });

  const checkUrl = (url: string): void => {
    const u = new URL(url);
    const problems: string[] = [];
    if (u.protocol !== 'https:' && !(localMode && u.protocol === 'http:')) problems.push(localMode ? 'url must be http(s)' : 'url must be https');
    if (u.username || u.password) problems.push('url must not contain credentials');
    if (u.hash) problems.push('url must not contain a fragment');
    // Server-side request forgery: in a deployment (https) a destination may not name this host or a
    // non-public address, whose services would then receive our signed POSTs and have their answers'
    // status and timing shown in the delivery log. This early check catches what needs no DNS; the
    // push client checks the resolved address again on every connect (push-client.ts).
    if (!localMode && refusedHostReason(u.hostname) !== undefined) problems.push('url must not point at a loopback, private, link-local, multicast or reserved address');
    if (problems.length > 0) throw new AppError('invalid_body', 'Request body is invalid', { details: problems.map((message) => ({ path: 'url', message })) });
  };

  const queuePush = async (trx: Transaction<Database>, event: { id: number; pushed: boolean }): Promise<void> => {
    if (event.pushed) await deps.jobs.send(PUSH_EVENT_JOB, { eventId: event.id }, { trx: trx as unknown as Transaction<never> });
  };

  return Object.freeze<EventsService>({

    async record(trx: Transaction<Database>, input: RecordEventInput) {
      const { pushed, ...event } = await repo.insertEvent(trx, input);
      await queuePush(trx, { id: event.id, pushed });
      return event;
    },

    queuePush,

    afterCommit() {
      deps.jobs.wake(PUSH_EVENT_JOB.queue);
    },

    async listFeed(organizationId: string, opts: { after?: number; limit?: number }) {
      const after = opts.after ?? 0;
      const events = await repo.findEventsAfter(deps.db, organizationId, after, opts.limit ?? 100);
      const last = events.at(-1);
      return { events: events.map(presentEvent), nextCursor: String(last ? last.id : after) };
    },

    async setDestination(organizationId: string, url: string) {
      checkUrl(url);
      const secret = `${SECRET_PREFIX}_${crypto.randomBytes(32).toString('base64url')}`;
      const destination = await repo.upsertDestination(deps.db, { organizationId, url, secretSealed: cipher.seal(secret) });
      deps.log.info({ organizationId, host: new URL(url).host }, 'event destination set');
      return { destination, secret };
    },

    getDestination: (organizationId: string) => repo.findDestination(deps.db, organizationId),

    async deleteDestination(organizationId: string) {
      if (!(await repo.deleteDestination(deps.db, organizationId))) throw new AppError('not_found', 'No event destination is configured');
    },

    listDeliveries: (organizationId: string, opts: { eventId?: number; limit?: number }) =>
      repo.findDeliveries(deps.db, organizationId, { eventId: opts.eventId, limit: opts.limit ?? 100 }),

    async deliverEvent(eventId: number, attempt: number) {
      const event = await repo.findEventById(deps.db, eventId);
      if (!event) return; // the organization was deleted
      const destination = await repo.findDestination(deps.db, event.organizationId);
      if (!destination) return; // push switched off since; the feed still has it
      const body = JSON.stringify(presentEvent(event));
      const timestamp = String(deps.clock.now());
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Events/1',
        [EVENT_PUSH_HEADERS.signature]: signEventPayload(cipher.open(destination.secretSealed), timestamp, body),
        [EVENT_PUSH_HEADERS.timestamp]: timestamp,
        [EVENT_PUSH_HEADERS.eventId]: String(event.id),
        [EVENT_PUSH_HEADERS.eventType]: event.type,
        [EVENT_PUSH_HEADERS.attempt]: String(attempt),
      };
      const started = Date.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        // No redirects: a destination must not bounce our signed requests elsewhere.
        status = await pushClient.post(destination.url, headers, body, PUSH_TIMEOUT_MS);
        if (status < 200 || status >= 300) error = `http_${status}`;
      } catch (err) {
        error = err instanceof PushError ? err.failure : 'connection_error';
        if (error === 'address_refused') deps.log.warn({ organizationId: event.organizationId, eventId: event.id, reason: (err as Error).message }, 'event push refused: the destination is not a public address');
      }
      const ok = error === null;
      await repo.insertDelivery(deps.db, {
        organization_id: event.organizationId,
        event_id: event.id,
        url: destination.url,
        attempt,
        status: ok ? 'delivered' : 'failed',
        response_status: status,
        error,
        duration_ms: Date.now() - started,
      });
      deps.metrics.eventPushes.inc({ outcome: ok ? 'delivered' : 'failed' });
      if (!ok) throw new Error(`event ${event.id} push failed: ${error}`);
    },

    async onPushExhausted(eventId: number, error: unknown) {
      deps.log.warn({ eventId, err: error }, 'event push gave up after the last retry; the event stays in the feed');
    },

    async scrubContact(trx: Transaction<Database>, organizationId: string, contactId: number) {
      // Free text and copied record properties may hold the contact's personal data (a Send to AI
      // event carries email and names in `record`), so those fields are blanked along with the id.
      return repo.scrubEvents(trx, organizationId, { key: 'contactId', value: contactId }, (data) => {
        const scrubbed: Record<string, unknown> = { ...data, contactId: null };
        for (const key of PERSONAL_EVENT_FIELDS) if (key in data) scrubbed[key] = null;
        return scrubbed;
      });
    },
  });
}
