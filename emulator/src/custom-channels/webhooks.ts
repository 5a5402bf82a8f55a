// Delivery of custom channel events (`OUTGOING_CHANNEL_MESSAGE_CREATED`, `CHANNEL_ACCOUNT_CREATED`) to
// the channel's `webhookUrl`: one JSON object per POST, signed v3 with the app's client secret over the
// exact URL and bytes sent, retried like HubSpot's other webhooks (any non-2xx, connection error or
// answer slower than 5 s fails the attempt; up to 10 retries with growing jittered delays, re-signed
// each time). https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-204
import { sendOutbound } from '../outbound/http.js';
import { backoffMs, createTimerSet } from '../outbound/timing.js';
import { signedHeaders } from '../signing.js';
import { errorOf } from '../webhooks/delivery-helpers.js';

/** One delivery attempt, for inspection through the control API. */
export interface ChannelDelivery {
  eventId: string;
  type: string;
  portalId: number;
  channelId: number;
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  outcome: 'done' | 'retry' | 'dropped' | 'cancelled';
  at: number;
}

/** An event handed to {@link ChannelWebhooks.send}. */
export interface ChannelEvent {
  url: string;
  portalId: number;
  channelId: number;
  payload: { type: string; eventId: string } & Record<string, unknown>;
}

/** The custom channel webhook sender. */
export interface ChannelWebhooks {
  /** Queues one event for delivery now. */
  send(event: ChannelEvent): void;
  /** Every event sent since the start or the last reset, oldest first. */
  events(): ChannelEvent['payload'][];
  deliveries(): ChannelDelivery[];
  /** Resolves once nothing is in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Sends every event waiting for a retry now; returns how many. */
  retryNow(): number;
  reset(): void;
  stop(): Promise<void>;
}

/** Options of {@link createChannelWebhooks}. */
export interface ChannelWebhookOptions {
  clientSecret: string;
  now(): number;
  /** Multiplies the real waits (retry delays, the 5 s timeout). */
  timeScale?: number;
  random?: () => number;
}

const TIMEOUT_MS = 5000;
const MAX_RETRIES = 10;
const RETRY_BASE_MS = 60_000;

/** Creates the sender; call `stop()` when done so no timer or socket stays open. */
export function createChannelWebhooks(opts: ChannelWebhookOptions): ChannelWebhooks {
  const timeScale = opts.timeScale ?? 1;
  const random = opts.random ?? Math.random;
  const timers = createTimerSet();
  let generation = 0;
  let stopped = false;
  let sent: ChannelEvent['payload'][] = [];
  let log: ChannelDelivery[] = [];
  let inFlight = 0;
  let retrying = new Map<symbol, () => void>();
  const controllers = new Set<AbortController>();
  const running = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];

  const isIdle = () => stopped || (inFlight === 0 && timers.size() === 0);
  const checkIdle = () => {
    if (!isIdle()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  function attempt(event: ChannelEvent, attemptNumber: number, gen: number): void {
    if (stopped || gen !== generation) return;
    inFlight += 1;
    const run = deliver(event, attemptNumber, gen);
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  async function deliver(event: ChannelEvent, attemptNumber: number, gen: number): Promise<void> {
    const controller = new AbortController();
    controllers.add(controller);
    const body = JSON.stringify(event.payload);
    const at = opts.now();
    const headers = {
      'Content-Type': 'application/json',
      ...signedHeaders({ method: 'POST', url: event.url, body, clientSecret: opts.clientSecret, timestamp: at, versions: ['v3'] }),
    };
    const result = await sendOutbound({ url: event.url, method: 'POST', headers, body, timeoutMs: TIMEOUT_MS * timeScale, signal: controller.signal });
    controllers.delete(controller);
    if (gen !== generation) return;
    inFlight -= 1;
    const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const entry: ChannelDelivery = {
      eventId: event.payload.eventId,
      type: event.payload.type,
      portalId: event.portalId,
      channelId: event.channelId,
      attempt: attemptNumber,
      ok,
      outcome: 'done',
      at,
    };
    if (result.kind === 'response') entry.status = result.status;
    if (!ok) entry.error = errorOf(result);
    if (!ok && result.kind === 'aborted') entry.outcome = 'cancelled';
    else if (!ok && attemptNumber < MAX_RETRIES) {
      entry.outcome = 'retry';
      const key = Symbol(event.payload.eventId);
      const due = () => {
        retrying.delete(key);
        attempt(event, attemptNumber + 1, gen);
      };
      const cancel = timers.after(backoffMs(RETRY_BASE_MS, attemptNumber + 1, random) * timeScale, due);
      retrying.set(key, () => {
        cancel();
        due();
      });
    } else if (!ok) entry.outcome = 'dropped';
    log.push(entry);
    checkIdle();
  }

  function abortAll(): void {
    for (const controller of controllers) controller.abort();
    controllers.clear();
  }

  return {
    send(event) {
      if (stopped) return;
      sent.push(event.payload);
      attempt(event, 0, generation);
    },
    events: () => sent.map((p) => structuredClone(p)),
    deliveries: () => log.map((d) => ({ ...d })),
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    retryNow() {
      const due = [...retrying.values()];
      for (const send of due) send();
      return due.length;
    },
    reset() {
      generation += 1;
      timers.clear();
      abortAll();
      sent = [];
      log = [];
      inFlight = 0;
      retrying = new Map();
      checkIdle();
    },
    async stop() {
      stopped = true;
      timers.clear();
      abortAll();
      await Promise.allSettled([...running]);
      checkIdle();
    },
  };
}
