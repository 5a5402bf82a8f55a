import type { Config } from './config.js';
import { createConnectionServices, type ConnectionServices } from './connection-services.js';
import type { Db } from './db/database.js';
import type { Clock } from './platform/clock.js';
import type { JobDefinition, Jobs } from './platform/jobs.js';
import { moduleLogger, type Logger } from './platform/logger.js';
import { createCardsService, type CardsService } from './modules/cards/cards.service.js';
import { createEmulatorResetWatch } from './modules/local-emulator/emulator-reset.js';
import { createConnectPageService, type ConnectPageService } from './modules/connect-page/connect-page.service.js';
import { createConversationsService, type ConversationsService } from './modules/conversations/conversations.service.js';
import { createEventsService, type EventsService } from './modules/events/events.service.js';
import { createHelpdeskModule, type HelpdeskService } from './modules/helpdesk/helpdesk.service.js';
import { createHubSpotChannelRegistry } from './hubspot/custom-channels-api.js';
import type { FeatureModule } from './platform/module.js';
import type { PushResolver } from './modules/events/push-client.js';
import { createMetrics, type Metrics } from './modules/metrics/metrics.service.js';
import { createSettingsService, type SettingsService } from './modules/settings/settings.service.js';
import { createWebhooksService, type WebhooksService } from './modules/webhooks/webhooks.service.js';
import { createWorkflowActions, type WorkflowActionsJobs, type WorkflowActionsService } from './modules/workflow-actions/workflow-actions.service.js';

/** Infrastructure every service may receive. */
export interface Infra {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  jobs: Jobs;
  /**
   * A small pool of its own for the HubSpot budget (server.ts), so callers that hold a transaction
   * while they call HubSpot can never starve the budget of connections. Defaults to `db`.
   */
  budgetDb?: Db;
  /** How event-push destinations' names are resolved (the system resolver by default; tests pass a stub). */
  pushResolver?: PushResolver;
}

/**
 * Every service of the backend, built once per process from the infrastructure, shared by the HTTP
 * routes and the job handlers (so both run the same logic). Modules add themselves here.
 */
export interface Services extends ConnectionServices {
  infra: Infra;
  /** Issue 5: Prometheus registry of this instance, the events outbox, settings, conversations, webhooks. */
  metrics: Metrics;
  events: EventsService;
  settings: SettingsService;
  conversations: ConversationsService;
  webhooks: WebhooksService;
  /** Issue 6: workflow actions (executions, Send to AI callbacks, handoff teams) and their jobs. */
  workflowActions: WorkflowActionsService;
  workflowActionsJobs: WorkflowActionsJobs;
  /** Issue 7: what the HubSpot app card and settings page read and change (`/hubspot/ui/*`). */
  cards: CardsService;
  /** Issue 7: the hosted connection page behind install links (state, settings, troubleshooting). */
  connectPage: ConnectPageService;
  /** The help-desk bridge (HubSpot custom channel) and its outbox job. */
  helpdesk: HelpdeskService;
  helpdeskModule: FeatureModule<HelpdeskService>;
}

/** Builds all services. */
export function createServices(infra: Infra): Services {
  // Issue 4: organizations, installs, tokens, connections, proxy and the HubSpot client.
  const { config, db, clock, jobs, log } = infra;
  // Issue 5: the outbox comes first, since connection changes are recorded through it.
  const metrics = createMetrics({ log: moduleLogger(log, 'webhooks') });
  const events = createEventsService({ config, db, jobs, clock, log: moduleLogger(log, 'events'), metrics, ...(infra.pushResolver ? { pushResolver: infra.pushResolver } : {}) });
  // `conversations` is built below; these callbacks run only later, on connection changes.
  // eslint-disable-next-line prefer-const -- assigned once below
  let conversations: ConversationsService;
  const connectionServices = createConnectionServices(infra, {
    onConnectionEvent: async (trx, event) => {
      await events.record(trx, event);
      // Note write-backs that waited for this organization's connection go out once it is back.
      if (event.type === 'connection.connected') await conversations.resumeWaitingWritebacksInTransaction(trx, event.organizationId, { portalChanged: event.data.previousPortalId !== undefined });
    },
    // Wakes event pushes and the note write-backs re-queued above.
    afterEventsCommitted: () => conversations.afterCommit(),
  });
  const settings = createSettingsService({ db, log: moduleLogger(log, 'conversations') });
  conversations = createConversationsService({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'conversations'),
    metrics,
    events,
    hubspot: connectionServices.hubspotApi,
    productName: config.branding.productName,
    connectionStatus: async (organizationId) => (await connectionServices.connections.getStatus(organizationId)).status,
  });
  const webhooks = createWebhooksService({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'webhooks'),
    metrics,
    connections: connectionServices.connections,
    conversations,
    settings,
    hubspot: connectionServices.hubspotApi,
  });
  const workflowActions = createWorkflowActions({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'workflow-actions'),
    conversations,
    connections: connectionServices.connections,
    events,
    hubspot: connectionServices.hubspotApi,
    metrics,
  });
  const cards = createCardsService({
    connections: connectionServices.connections,
    conversations,
    settings,
    handoffTeams: workflowActions.service,
    dashboardUrlTemplate: config.vendorDashboardUrl,
    log: moduleLogger(log, 'cards'),
  });
  const helpdeskModule = createHelpdeskModule({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'helpdesk'),
    config,
    conversations,
    connections: connectionServices.connections,
    events,
    settings,
    hubspot: connectionServices.hubspotApi,
    registry: createHubSpotChannelRegistry({ http: connectionServices.hubspotHttp }),
  });
  // Local mode only: the emulator can be reset under this database (see modules/local-emulator).
  const emulatorReset =
    config.mode === 'local'
      ? createEmulatorResetWatch({ emulatorUrl: config.hubspot.apiBaseUrl, dataDir: config.dataDir, log: moduleLogger(log, 'local-emulator'), now: () => clock.now() })
      : undefined;
  // Checked once at start too, so the log says it even before anyone opens a connection page.
  void emulatorReset?.check();
  const connectPage = createConnectPageService({
    ...(emulatorReset ? { emulatorReset } : {}),
    installs: connectionServices.installs,
    connections: connectionServices.connections,
    settings,
    tokens: connectionServices.tokens,
    webhooks,
    workflowActions: workflowActions.service,
    conversations,
  });
  return { infra, ...connectionServices, metrics, events, settings, conversations, webhooks, workflowActions: workflowActions.service, workflowActionsJobs: workflowActions.jobs, cards, connectPage, helpdesk: helpdeskModule.service, helpdeskModule };
}

/** Every job type the workers run (each module's *.jobs.ts contributes its definitions). */
export function jobDefinitions(services: Services): JobDefinition<never>[] {
  return [...services.connectionJobs, ...services.events.jobs, ...services.conversations.jobs, ...services.webhooks.jobs, ...services.workflowActionsJobs.definitions, ...services.helpdeskModule.jobs];
}

/** Cron schedules to register once the queues exist (pg-boss runs each once across all processes). */
export function jobSchedules(services: Services): { job: JobDefinition<never>; cron: string }[] {
  return [...services.connectionSchedules, { job: services.webhooks.sweepJob, cron: '* * * * *' }, ...services.workflowActionsJobs.schedules, ...services.helpdeskModule.schedules];
}

/**
 * Runs once this process's workers started: webhook events left pending by a killed process are
 * re-queued at once (their jobs may sit as active until pg-boss expires them, minutes later).
 */
export async function afterWorkersStarted(services: Services): Promise<void> {
  await services.webhooks.recoverPending(0);
}
