// Webhook events and a webhooks service for tests that drive the inbox by hand.
import { createWebhooksService, type WebhooksDeps, type WebhooksService } from '../../backend/src/modules/webhooks/webhooks.service.js';
import type { TestBackend } from './test-backend.js';

/** A ticket owner change as HubSpot sends it (a takeover when the ticket is linked to a conversation). */
export function ownerChangeEvent(opts: { portalId: number; ticketId: number; eventId: number; occurredAt?: number }) {
  return {
    eventId: opts.eventId,
    subscriptionId: 1003,
    portalId: opts.portalId,
    appId: 424242,
    occurredAt: opts.occurredAt ?? Date.now() - 1_000,
    subscriptionType: 'ticket.propertyChange',
    attemptNumber: 0,
    objectId: opts.ticketId,
    propertyName: 'hubspot_owner_id',
    propertyValue: '51000002',
    changeSource: 'CRM_UI',
  };
}

/**
 * A second webhooks service on the test backend's real services, with some of its dependencies
 * replaced (e.g. a conversations port with an injected fault, a priority gate driven by the test).
 * The backend's own service registered the inbox gauges already, so this one registers none.
 */
export function webhooksServiceOf(tb: TestBackend, overrides: Partial<WebhooksDeps> = {}): WebhooksService {
  const m = tb.services.metrics;
  return createWebhooksService({
    db: tb.tdb.db,
    jobs: tb.jobs,
    clock: tb.clock,
    log: tb.logs.log,
    metrics: { webhookEventsProcessed: m.webhookEventsProcessed, webhookDeadEvents: m.webhookDeadEvents, ownerChangeToPauseSeconds: m.ownerChangeToPauseSeconds, addScrapeGauge: () => undefined },
    connections: tb.services.connections,
    conversations: tb.services.conversations,
    settings: tb.services.settings,
    hubspot: tb.services.hubspotApi,
    ...overrides,
  });
}
