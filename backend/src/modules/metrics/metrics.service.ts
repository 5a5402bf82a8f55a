// Prometheus metrics of one backend instance. Each instance has its own registry (never prom-client's
// global one), so several apps in one test process never collide. Labels carry outcomes only, never
// portal or organization ids: those would make the series count grow with the customer count.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../../platform/logger.js';
import type { FeatureModule } from '../../platform/module.js';

/** How a webhook delivery was answered. */
export type WebhookRequestOutcome = 'accepted' | 'signature_invalid' | 'invalid_body' | 'too_large' | 'unavailable' | 'error';

/** The metrics of one instance. */
export interface Metrics {
  readonly registry: Registry;
  /** Webhook deliveries by how we answered them. */
  readonly webhookRequests: Counter<'outcome'>;
  /** Events per accepted delivery. */
  readonly webhookBatchSize: Histogram;
  /** Time from the request's arrival to our answer, accepted deliveries only. */
  readonly webhookAckSeconds: Histogram;
  /** Inbox events by processing outcome (`processed`, `ignored`, `unroutable`, `stale`, `duplicate`, `retry`, `dead`). */
  readonly webhookEventsProcessed: Counter<'outcome'>;
  /** Events parked as dead after their last retry. */
  readonly webhookDeadEvents: Counter;
  /** From HubSpot's `occurredAt` of a takeover (owner change, assignment) to the committed pause. */
  readonly ownerChangeToPauseSeconds: Histogram<'source'>;
  /** AI state transitions by source and new state. */
  readonly aiTransitions: Counter<'source' | 'to'>;
  /** Vendor event pushes by outcome (`delivered`, `failed`). */
  readonly eventPushes: Counter<'outcome'>;
  /** HubSpot note write-backs by outcome (`done`, `retry`, `failed`). */
  readonly noteWritebacks: Counter<'outcome'>;
  /** HubSpot 4xx answers naming a field of our request, by endpoint: each is a bug on our side. */
  readonly hubspotRequestsInvalid: Counter<'endpoint'>;
  /**
   * Registers a gauge whose value is read from the database at scrape time (inbox lag, dead events).
   * @param read returns the current value; a failure leaves the gauge unset for that scrape
   */
  addScrapeGauge(name: string, help: string, read: () => Promise<number>): void;
  /** Prometheus text exposition of everything. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * Builds the metrics of one instance.
 * @param deps.log where scrape-time failures are reported
 */
export function createMetrics(deps: { log: Logger }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  const registers = [registry];
  const webhookRequests = new Counter({ name: 'switchboard_webhook_requests_total', help: 'HubSpot webhook deliveries by outcome', labelNames: ['outcome'] as const, registers });
  const webhookBatchSize = new Histogram({ name: 'switchboard_webhook_batch_size', help: 'Events per accepted webhook delivery', buckets: [1, 2, 5, 10, 25, 50, 100], registers });
  const webhookAckSeconds = new Histogram({
    name: 'switchboard_webhook_ack_seconds',
    help: 'Time to answer an accepted webhook delivery (HubSpot gives up after 5 s)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers,
  });
  const webhookEventsProcessed = new Counter({ name: 'switchboard_webhook_events_processed_total', help: 'Inbox events by processing outcome', labelNames: ['outcome'] as const, registers });
  const webhookDeadEvents = new Counter({ name: 'switchboard_webhook_dead_events_total', help: 'Inbox events parked as dead after their last retry', registers });
  const ownerChangeToPauseSeconds = new Histogram({
    name: 'switchboard_owner_change_to_pause_seconds',
    help: "From HubSpot's occurredAt of an owner change or assignment to the committed AI pause",
    labelNames: ['source'] as const,
    buckets: [0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const aiTransitions = new Counter({ name: 'switchboard_ai_transitions_total', help: 'AI state transitions by source and new state', labelNames: ['source', 'to'] as const, registers });
  const eventPushes = new Counter({ name: 'switchboard_event_pushes_total', help: 'Vendor event push attempts by outcome', labelNames: ['outcome'] as const, registers });
  const noteWritebacks = new Counter({ name: 'switchboard_note_writebacks_total', help: 'HubSpot note write-back attempts by outcome', labelNames: ['outcome'] as const, registers });
  const hubspotRequestsInvalid = new Counter({
    name: 'switchboard_hubspot_requests_invalid_total',
    help: 'HubSpot refusals naming a field of our request (a bug in Switchboard), by endpoint',
    labelNames: ['endpoint'] as const,
    registers,
  });

  return Object.freeze({
    registry,
    webhookRequests,
    webhookBatchSize,
    webhookAckSeconds,
    webhookEventsProcessed,
    webhookDeadEvents,
    ownerChangeToPauseSeconds,
    aiTransitions,
    eventPushes,
    noteWritebacks,
    hubspotRequestsInvalid,
    addScrapeGauge(name: string, help: string, read: () => Promise<number>) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          try {
            this.set(await read());
          } catch (err) {
            deps.log.warn({ err, metric: name }, 'metric could not be read at scrape time');
          }
        },
      });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  });
}

/** The metrics module: this process's registry; it has no jobs. */
export function createMetricsModule(deps: { log: Logger }): FeatureModule<Metrics> {
  return { service: createMetrics(deps), jobs: [], schedules: [] };
}
