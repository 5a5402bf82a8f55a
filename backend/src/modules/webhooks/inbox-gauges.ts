// The inbox as the metrics endpoint shows it, read at each scrape (both queries use partial indexes).
import { webhooksRepository as repo } from './webhooks.repository.js';
import type { WebhooksDeps } from './webhooks.ports.js';

/** Registers the inbox gauges: lag of the oldest pending event, pending count, dead count. */
export function registerInboxGauges(deps: Pick<WebhooksDeps, 'db' | 'clock' | 'metrics'>): void {
  deps.metrics.addScrapeGauge('switchboard_webhook_inbox_lag_seconds', 'Age of the oldest webhook event not yet processed (0 when none)', async () => {
    const { oldestPendingAt } = await repo.inboxStats(deps.db);
    return oldestPendingAt ? Math.max(0, deps.clock.now() - oldestPendingAt.getTime()) / 1000 : 0;
  });
  deps.metrics.addScrapeGauge('switchboard_webhook_inbox_pending', 'Webhook events stored and not yet processed', async () => (await repo.inboxStats(deps.db)).pending);
  deps.metrics.addScrapeGauge('switchboard_webhook_dead_events', 'Webhook events parked as dead (stored)', async () => (await repo.inboxStats(deps.db)).dead);
}
