import express, { type Express } from 'express';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { createCardsRouter } from './modules/cards/cards.routes.js';
import { createConnectPageRouter } from './modules/connect-page/connect-page.routes.js';
import { createConnectionsRouter } from './modules/connections/connections.routes.js';
import { createHealthRouter } from './modules/health/health.routes.js';
import { createInstallsRouter } from './modules/installs/installs.routes.js';
import { createConversationsRouter } from './modules/conversations/conversations.routes.js';
import { createEventsRouter } from './modules/events/events.routes.js';
import { createHelpdeskRouter } from './modules/helpdesk/helpdesk.routes.js';
import { createMetricsRouter } from './modules/metrics/metrics.routes.js';
import { requireAdmin, requireOrganization } from './modules/organizations/organizations.auth.js';
import { createSettingsRouter } from './modules/settings/settings.routes.js';
import { createWebhooksRouter } from './modules/webhooks/webhooks.routes.js';
import { createWorkflowActionsRouter } from './modules/workflow-actions/workflow-actions.routes.js';
import { requireHubSpotSignature } from './hubspot/require-hubspot-signature.js';
import { createOrganizationsRouter } from './modules/organizations/organizations.routes.js';
import { createProxyRouter } from './modules/proxy/proxy.routes.js';
import { createOpenApiRouter } from './openapi/openapi.routes.js';
import { checkApiResponses } from './openapi/response-check.js';
import type { Clock } from './platform/clock.js';
import type { Jobs } from './platform/jobs.js';
import { createErrorMiddleware, notFoundHandler } from './platform/http/error-middleware.js';
import { createFaviconRouter } from './platform/http/favicon.js';
import { createTokenBuckets, limitByIp, limitByKey, limitFailuresByIp, withRateLimit } from './platform/http/rate-limit.js';
import { createRequestContext } from './platform/http/request-context.js';
import { securityHeaders } from './platform/http/security-headers.js';
import { moduleLogger, type Logger } from './platform/logger.js';
import { composeBackend, type Services } from './composition.js';

/** Everything the HTTP app needs, passed in so tests can build it with a literal config. */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  jobs: Jobs;
  /** Prebuilt services (the server shares them with its workers); built from the deps when absent. */
  services?: Services;
}

/**
 * Builds the Express app: routers per module, then the 404 and error funnel. Never listens and
 * touches no database while being built (supertest and the project check construct it offline).
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const httpLog = moduleLogger(deps.log, 'http');
  const services = deps.services ?? composeBackend(deps).services;
  // Vendor API guard: `Authorization: Bearer <organization key>`, then the organization's request
  // budget; routers apply it per route.
  const limits = deps.config.rateLimits;
  const now = () => deps.clock.now();
  const requireOrg = withRateLimit(
    requireOrganization(services),
    limitByKey(createTokenBuckets({ perMinute: limits.perOrganization }), now, (res) => (res.locals.organization as { id: string } | undefined)?.id),
  );
  app.disable('x-powered-by');
  // Behind N reverse proxies the client address is the Nth from the right of X-Forwarded-For; with 0
  // the socket address is used, which is also what the per-IP limits count.
  app.set('trust proxy', deps.config.trustProxyHops > 0 ? deps.config.trustProxyHops : false);
  app.set('query parser', 'simple');
  app.use(createRequestContext(httpLog));
  app.use(securityHeaders({ https: deps.config.publicBaseUrl.startsWith('https://') }));
  // Per-IP limits (per process, see platform/http/rate-limit.ts): every browser request counts;
  // on the API and HubSpot's routes only refused credentials and signatures count.
  app.use(['/oauth', '/connect'], limitByIp(createTokenBuckets({ perMinute: limits.browserPerIp }), now));
  app.use(['/api/v1', '/metrics'], limitFailuresByIp(createTokenBuckets({ perMinute: limits.authFailuresPerIp }), now));
  app.use('/hubspot', limitFailuresByIp(createTokenBuckets({ perMinute: limits.badSignaturesPerIp }), now));

  // Test runs check every /api/v1 answer against the OpenAPI document (a drift fails the test that saw it).
  if (process.env.NODE_ENV === 'test') app.use(checkApiResponses(httpLog));

  app.use(createHealthRouter({ db: deps.db }));
  app.use(createFaviconRouter(deps.config.branding.accentColor));
  app.use(createOpenApiRouter({ publicBaseUrl: deps.config.publicBaseUrl }));
  app.use(createOrganizationsRouter({ config: deps.config, organizations: services.organizations, requireOrganization: requireOrg }));
  app.use(createConnectionsRouter({ connections: services.connections, requireOrganization: requireOrg }));
  app.use(createInstallsRouter({ installs: services.installs, requireOrganization: requireOrg, publicBaseUrl: deps.config.publicBaseUrl, log: moduleLogger(deps.log, 'installs') }));
  app.use(createConnectPageRouter({ connectPage: services.connectPage, publicBaseUrl: deps.config.publicBaseUrl, log: moduleLogger(deps.log, 'connect-page'), branding: deps.config.branding }));
  app.use(createProxyRouter({ proxy: services.proxy, requireOrganization: requireOrg }));
  // HubSpot-signed routes take the guard from here, so no route imports hubspot/.
  const hubspotSignatureDeps = { clientSecret: deps.config.hubspot.clientSecret, publicBaseUrl: deps.config.publicBaseUrl, clock: deps.clock, log: httpLog };
  app.use(
    createWebhooksRouter({
      webhooks: services.webhooks,
      metrics: services.metrics,
      // v1 signs only the body (no URI, no timestamp): accepted only when configured, and never
      // when v3 headers are present.
      verifySignature: requireHubSpotSignature(hubspotSignatureDeps, { fallback: deps.config.webhookAllowV1 ? 'v1' : 'none' }),
      requireOrganization: requireOrg,
    }),
  );
  // Before the conversations router: it owns `/api/v1/conversations/:id/messages`. The channel
  // webhook is v3-signed like every HubSpot webhook.
  app.use(
    createHelpdeskRouter({
      helpdesk: services.helpdesk,
      requireOrganization: requireOrg,
      verifySignature: requireHubSpotSignature(hubspotSignatureDeps, { fallback: 'none' }),
      log: moduleLogger(deps.log, 'helpdesk'),
    }),
  );
  app.use(createConversationsRouter({ conversations: services.conversations, requireOrganization: requireOrg }));
  // Workflow actions are signed v2 (the only version HubSpot documents for them), v3 when present.
  app.use(
    createWorkflowActionsRouter({
      service: services.workflowActions,
      requireActionSignature: requireHubSpotSignature(hubspotSignatureDeps, { fallback: 'v2' }),
      requireOrganization: requireOrg,
    }),
  );
  app.use(createSettingsRouter({ settings: services.settings, requireOrganization: requireOrg }));
  // Cards and the settings page (`hubspot.fetch`): v3 only. v2 carries no timestamp, so a
  // captured request would verify forever; HubSpot and the dev proxy both send v3.
  app.use(createCardsRouter({ cards: services.cards, requireSignature: requireHubSpotSignature(hubspotSignatureDeps, { fallback: 'none' }), appId: deps.config.hubspot.appId }));
  app.use(createEventsRouter({ events: services.events, requireOrganization: requireOrg }));
  app.use(createMetricsRouter({ metrics: services.metrics, requireAdmin: requireAdmin(deps.config) }));

  app.use(notFoundHandler);
  app.use(createErrorMiddleware(httpLog));
  return app;
}
