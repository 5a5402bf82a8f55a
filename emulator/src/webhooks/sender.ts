// Webhook delivery like HubSpot's (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide): events batched up to 100 per POST, signed v1 and v3
// over the exact bytes and URL sent, at most `maxConcurrentRequests` open requests per installed portal,
// any non-2xx / connection error / answer slower than 5 s is a failure retried up to 10 times with
// growing jittered delays, `attemptNumber` bumped and the batch re-signed each time.
import { signedHeaders } from '../signing.js';
import { createUniqueIds } from '../support/ids.js';
import { sendOutbound } from '../outbound/http.js';
import { backoffMs, createTimerSet } from '../outbound/timing.js';
import { errorOf, shuffle } from './delivery-helpers.js';
import { buildEvent, identifySubscriptions, matchSubscriptions } from './events.js';
import type {
  CrmChange,
  DeliveryAttempt,
  WebhookCounters,
  WebhookEvent,
  WebhookKnobs,
  WebhookSender,
  WebhookSenderOptions,
} from './types.js';

export type { CrmChange, WebhookSender, WebhookSenderOptions, WebhookKnobs, DeliveryAttempt, WebhookEvent } from './types.js';
export { createWebhookControlRouter } from './control.routes.js';

/** HubSpot's documented timings, before `timeScale`. */
export const WEBHOOK_DEFAULTS: Readonly<WebhookKnobs> = Object.freeze({
  duplicate: false,
  reorder: false,
  paused: false,
  maxBatchSize: 100,
  timeoutMs: 5000,
  maxRetries: 10,
  // 1 min doubling: ten retries span about 17 h, jitter stretches that towards HubSpot's "over 24 hours".
  retryBaseMs: 60_000,
});

interface Batch {
  id: string;
  portalId: number;
  events: WebhookEvent[];
  attemptNumber: number;
  duplicate: boolean;
}

const zeroCounters = () => ({
  changesPublished: 0,
  eventsCreated: 0,
  batchesCreated: 0,
  attempts: 0,
  delivered: 0,
  failedAttempts: 0,
  retries: 0,
  dropped: 0,
  maxInFlightSeen: 0,
});

/**
 * Creates the webhook delivery engine for one app.
 * @param opts target, concurrency cap, subscriptions, signing secret, app id, clock and time scale
 * @returns the sender; call `stop()` when done so no timer or socket stays open
 */
export function createWebhookSender(opts: WebhookSenderOptions): WebhookSender {
  const subscriptions = identifySubscriptions(opts.subscriptions);
  const timeScale = opts.timeScale ?? 1;
  const batchWindowMs = opts.batchWindowMs ?? 20;
  const random = opts.random ?? Math.random;
  const initialKnobs: WebhookKnobs = { ...WEBHOOK_DEFAULTS, ...opts.knobs };
  const timers = createTimerSet();

  let knobs = { ...initialKnobs };
  let generation = 0;
  let stopped = false;
  // Event ids must never repeat (the backend dedupes on them), so they come from the emulator's
  // unique counter and survive resets; batch ids share it.
  const nextId = opts.nextId ?? createUniqueIds().next;
  let counters = zeroCounters();
  let log: DeliveryAttempt[] = [];
  let allEvents: WebhookEvent[] = [];
  let pending = new Map<number, WebhookEvent[]>(); // per portal, waiting for the batch window
  let windowOpen = false;
  let ready: Batch[] = [];
  let inFlight = new Map<number, number>();
  const controllers = new Set<AbortController>();
  const running = new Set<Promise<void>>();
  // Batches waiting out a retry backoff, with the function that sends them now.
  let retrying = new Map<Batch, () => void>();
  let idleWaiters: (() => void)[] = [];

  const totalInFlight = () => [...inFlight.values()].reduce((a, b) => a + b, 0);
  const pendingCount = () => [...pending.values()].reduce((a, b) => a + b.length, 0);
  const isIdle = () =>
    stopped || (pendingCount() === 0 && ready.length === 0 && totalInFlight() === 0 && timers.size() === 0);

  function checkIdle(): void {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function publish(change: CrmChange): void {
    if (stopped) return;
    counters.changesPublished += 1;
    const matches = matchSubscriptions(subscriptions, change);
    if (matches.length === 0) return;
    const queue = pending.get(change.portalId) ?? [];
    pending.set(change.portalId, queue);
    for (const sub of matches) {
      const event = buildEvent(sub, change, nextId(), opts.appId);
      allEvents.push(event);
      queue.push(event);
      counters.eventsCreated += 1;
    }
    // A full batch leaves at once; the rest waits a moment for company, as HubSpot batches bursts.
    while (queue.length >= knobs.maxBatchSize) enqueue(change.portalId, queue.splice(0, knobs.maxBatchSize));
    if (!windowOpen && queue.length > 0) {
      windowOpen = true;
      const gen = generation;
      timers.after(batchWindowMs, () => {
        if (gen === generation) flushPending();
      });
    }
    pump();
  }

  function flushPending(): void {
    windowOpen = false;
    for (const [portalId, queue] of pending) {
      const events = knobs.reorder ? shuffle(queue, random) : queue;
      for (let i = 0; i < events.length; i += knobs.maxBatchSize) {
        enqueue(portalId, events.slice(i, i + knobs.maxBatchSize));
      }
    }
    pending = new Map();
    pump();
    checkIdle();
  }

  function enqueue(portalId: number, events: WebhookEvent[]): void {
    const id = `batch-${nextId()}`;
    const batch: Batch = { id, portalId, events: knobs.reorder ? shuffle(events, random) : events, attemptNumber: 0, duplicate: false };
    counters.batchesCreated += 1;
    insert(batch);
    if (knobs.duplicate) insert({ ...batch, id: `${id}-dup`, duplicate: true, events: [...batch.events] });
  }

  // With reorder on, a batch joins the queue at a random place, so batches overtake each other.
  function insert(batch: Batch): void {
    if (knobs.reorder && ready.length > 0) ready.splice(Math.floor(random() * (ready.length + 1)), 0, batch);
    else ready.push(batch);
  }

  function pump(): void {
    if (stopped || knobs.paused) return;
    for (let i = 0; i < ready.length; ) {
      const batch = ready[i] as Batch;
      const open = inFlight.get(batch.portalId) ?? 0;
      if (open >= opts.maxConcurrentRequests) {
        i += 1;
        continue;
      }
      ready.splice(i, 1);
      inFlight.set(batch.portalId, open + 1);
      counters.maxInFlightSeen = Math.max(counters.maxInFlightSeen, totalInFlight());
      const run = deliver(batch, generation);
      running.add(run);
      void run.finally(() => running.delete(run));
    }
  }

  async function deliver(batch: Batch, gen: number): Promise<void> {
    const controller = new AbortController();
    controllers.add(controller);
    const events = batch.events.map((e) => ({ ...e, attemptNumber: batch.attemptNumber }));
    const body = JSON.stringify(events);
    const at = opts.now();
    const headers = {
      'Content-Type': 'application/json',
      ...signedHeaders({ method: 'POST', url: opts.targetUrl, body, clientSecret: opts.clientSecret, timestamp: at, versions: ['v1', 'v3'] }),
    };
    const result = await sendOutbound({
      url: opts.targetUrl,
      method: 'POST',
      headers,
      body,
      timeoutMs: knobs.timeoutMs * timeScale,
      signal: controller.signal,
    });
    controllers.delete(controller);
    if (gen !== generation) return; // reset() happened meanwhile: this attempt belongs to a forgotten run
    inFlight.set(batch.portalId, (inFlight.get(batch.portalId) ?? 1) - 1);
    const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const entry: DeliveryAttempt = {
      batchId: batch.id,
      portalId: batch.portalId,
      eventIds: events.map((e) => e.eventId),
      attemptNumber: batch.attemptNumber,
      ok,
      latencyMs: result.latencyMs,
      at,
      duplicate: batch.duplicate,
      outcome: 'done',
    };
    if (result.kind === 'response') entry.status = result.status;
    if (!ok) entry.error = errorOf(result);
    counters.attempts += 1;
    if (ok) counters.delivered += 1;
    else if (result.kind === 'aborted') entry.outcome = 'cancelled';
    else {
      counters.failedAttempts += 1;
      if (batch.attemptNumber < knobs.maxRetries) {
        const delay = backoffMs(knobs.retryBaseMs, batch.attemptNumber + 1, random) * timeScale;
        entry.outcome = 'retry';
        entry.retryInMs = Math.round(delay);
        counters.retries += 1;
        const next = { ...batch, attemptNumber: batch.attemptNumber + 1 };
        const due = () => {
          retrying.delete(next);
          if (gen !== generation) return;
          insert(next);
          pump();
        };
        const cancel = timers.after(delay, due);
        retrying.set(next, () => {
          cancel();
          due();
        });
      } else {
        entry.outcome = 'dropped';
        counters.dropped += 1;
      }
    }
    log.push(entry);
    pump();
    checkIdle();
  }

  function abortAll(): void {
    for (const controller of controllers) controller.abort();
    controllers.clear();
  }

  return {
    publish,
    flushPending,
    retryNow() {
      const due = [...retrying.values()];
      for (const send of due) send();
      return due.length;
    },
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    async stop() {
      stopped = true;
      timers.clear();
      abortAll();
      await Promise.allSettled([...running]);
      checkIdle();
    },
    reset() {
      generation += 1;
      timers.clear();
      abortAll();
      knobs = { ...initialKnobs };
      counters = zeroCounters();
      log = [];
      allEvents = [];
      pending = new Map();
      windowOpen = false;
      retrying = new Map();
      ready = [];
      inFlight = new Map();
      checkIdle();
    },
    deliveries: () => log.map((entry) => ({ ...entry, eventIds: [...entry.eventIds] })),
    events: () => allEvents.map((event) => ({ ...event })),
    counters: (): WebhookCounters => ({
      ...counters,
      queuedBatches: ready.length,
      inFlight: totalInFlight(),
      pendingEvents: pendingCount(),
    }),
    knobs: () => ({ ...knobs }),
    setKnobs(patch) {
      knobs = { ...knobs, ...patch };
      pump();
      checkIdle();
      return { ...knobs };
    },
  };
}
