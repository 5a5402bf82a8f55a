// Types shared by the webhook sender, its control router and the emulator core that publishes changes.
import type { Subscription } from '../manifests.js';

/**
 * A change in a portal's data, as the emulator core reports it. `subscriptionType` is in legacy form
 * (`ticket.propertyChange`, `contact.creation`, `contact.privacyDeletion`, `conversation.newMessage`);
 * the sender maps it onto generic `object.*` subscriptions itself.
 */
export interface CrmChange {
  portalId: number;
  subscriptionType: string;
  /** Record id; for `conversation.*` the thread id. */
  objectId: number;
  /** Epoch ms. */
  occurredAt: number;
  propertyName?: string;
  propertyValue?: string;
  /** e.g. `CRM`, `CRM_UI`, `API`. */
  changeSource?: string;
  /** e.g. `userId:864745280`. */
  sourceId?: string;
  /** `conversation.newMessage` only. */
  messageId?: string;
  /** `MESSAGE` | `COMMENT` | `WELCOME_MESSAGE`. */
  messageType?: string;
  /** Overrides the objectTypeId of generic `object.*` events (`0-1` contact, `0-5` ticket, …). */
  objectTypeId?: string;
}

/** One event as it appears in a delivered batch (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide). */
export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  changeSource?: string;
  sourceId?: string;
  changeFlag?: string;
  messageId?: string;
  messageType?: string;
}

/** One HTTP attempt to deliver one batch. */
export interface DeliveryAttempt {
  batchId: string;
  portalId: number;
  eventIds: number[];
  /** 0 on the first try, +1 per retry (same as the events' `attemptNumber`). */
  attemptNumber: number;
  /** HTTP status, absent on connection error or timeout. */
  status?: number;
  /** `timeout`, `connection_error: …` or `http_<status>`; absent on success. */
  error?: string;
  ok: boolean;
  latencyMs: number;
  /** Epoch ms (injected clock) when the attempt started. */
  at: number;
  /** True when this request is the extra copy sent by the duplicates knob. */
  duplicate: boolean;
  /** What happens next: `done`, `retry` (with the delay) or `dropped` after the last retry. */
  outcome: 'done' | 'retry' | 'dropped' | 'cancelled';
  retryInMs?: number;
}

/** Fault-injection and tuning switches, settable at run time through the control API. */
export interface WebhookKnobs {
  /** Send every batch twice (HubSpot documents rare duplicates). */
  duplicate: boolean;
  /** Shuffle events within a batch and batches among each other (ordering is not guaranteed). */
  reorder: boolean;
  /** Hold all deliveries (queued events are kept) until resumed. */
  paused: boolean;
  /** Largest batch; HubSpot sends at most 100. */
  maxBatchSize: number;
  /** Attempt timeout in ms before `timeScale`; HubSpot's is 5 s. */
  timeoutMs: number;
  /** Retries after the first attempt; HubSpot's is 10. */
  maxRetries: number;
  /** First retry delay in ms before `timeScale` and jitter; each later retry doubles it. */
  retryBaseMs: number;
}

/** Running totals, readable through the control API. */
export interface WebhookCounters {
  changesPublished: number;
  eventsCreated: number;
  batchesCreated: number;
  attempts: number;
  delivered: number;
  failedAttempts: number;
  retries: number;
  dropped: number;
  queuedBatches: number;
  inFlight: number;
  pendingEvents: number;
  maxInFlightSeen: number;
}

/** Options of `createWebhookSender`. */
export interface WebhookSenderOptions {
  targetUrl: string;
  /** Cap on open requests per installed portal (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide). */
  maxConcurrentRequests: number;
  subscriptions: Subscription[];
  clientSecret: string;
  appId: number;
  /** Clock for timestamps (signature, log); retry delays run on real timers. */
  now: () => number;
  /** Multiplies every real-time wait (timeouts, retry delays); 1 = HubSpot's timings. */
  timeScale?: number;
  /** How long newly published events wait for company before a batch is cut, in real ms. Default 20. */
  batchWindowMs?: number;
  /** Source of randomness for jitter and reordering; `Math.random` by default. */
  random?: () => number;
  /** Initial knob values. */
  knobs?: Partial<WebhookKnobs>;
  /** Source of event and batch ids (the emulator's unique counter); a fresh one by default. */
  nextId?: () => number;
}

/** The emulator's webhook delivery engine. */
export interface WebhookSender {
  /** Turns a change into events for every matching active subscription and queues them. */
  publish(change: CrmChange): void;
  /** Resolves when nothing is pending, queued, waiting for a retry or in flight. */
  idle(): Promise<void>;
  /** Cancels timers and in-flight requests; later publishes are ignored. */
  stop(): Promise<void>;
  /** Forgets queue, log, counters and knobs (in-flight results are discarded). */
  reset(): void;
  /** Cuts batches from pending events now instead of waiting for the batch window. */
  flushPending(): void;
  /**
   * Sends every batch waiting for its next retry now, instead of after its backoff (a test's "the
   * receiver is back: deliver what failed"); returns how many batches were due. Not a HubSpot feature.
   */
  retryNow(): number;
  /** The delivery log, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** Every event created so far, in creation order. */
  events(): WebhookEvent[];
  counters(): WebhookCounters;
  knobs(): WebhookKnobs;
  setKnobs(patch: Partial<WebhookKnobs>): WebhookKnobs;
}
