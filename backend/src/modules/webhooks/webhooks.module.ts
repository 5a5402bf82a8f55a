// The webhooks module as the composition root builds it: the service first, then the jobs that run it.
import type { FeatureModule } from '../../platform/module.js';
import { createWebhooksJobs } from './webhooks.jobs.js';
import type { WebhooksDeps } from './webhooks.ports.js';
import { createWebhooksService, type WebhooksService } from './webhooks.service.js';

/**
 * Builds the webhooks module.
 * @param deps database, job sender, clock, logger, metrics and the ports to the other modules
 * @returns the service, its processing and sweep jobs, and the sweep's minutely schedule
 */
export function createWebhooksModule(deps: WebhooksDeps): FeatureModule<WebhooksService> {
  const service = createWebhooksService(deps);
  return { service, ...createWebhooksJobs(service) };
}
