// The composition root: builds every feature module once per process, in dependency order, and
// collects each module's jobs and schedules the same way (from its `FeatureModule`). Nothing here is
// bound late: a module receives only what was built before it, so the dependency order below is
// the real one and no module imports another's factory.
import type { Transaction } from 'kysely';
import type { Config } from './config.js';
import type { Database, Db } from './db/database.js';
import { createHubSpotChannelRegistry } from './hubspot/custom-channels-api.js';
import { createHubSpotClients, createHubSpotTransport } from './hubspot/hubspot-layer.js';
import type { HubSpotApi } from './hubspot/hubspot-api.js';
import type { HubSpotClient } from './hubspot/hubspot-client.js';
import { createRetentionModule } from './modules/retention/retention.module.js';
import type { RetentionService } from './modules/retention/retention.service.js';
import { createCardsModule, type CardsService } from './modules/cards/cards.service.js';
import { createConnectPageModule, type ConnectPageService } from './modules/connect-page/connect-page.service.js';
import { readConnectionStatus } from './modules/connections/connection-status.js';
import { createConnectionsModule, type ConnectionEvent, type ConnectionsService, type ConnectionSummary, type OnConnectionEvent } from './modules/connections/connections.service.js';
import { markNeedsReauth } from './modules/connections/mark-needs-reauth.js';
import { createRouteCache, listenForConnectionChanges, type RouteCacheOptions } from './modules/connections/route-cache.js';
import { createConversationsModule, type ConversationsService } from './modules/conversations/conversations.service.js';
import { createEventsModule } from './modules/events/events.module.js';
import type { EventsService } from './modules/events/events.service.js';
import { createHelpdeskModule, type HelpdeskService } from './modules/helpdesk/helpdesk.service.js';
import type { PushResolver } from './modules/events/push-client.js';
import { createInstallsModule } from './modules/installs/installs.module.js';
import type { InstallsService } from './modules/installs/installs.service.js';
import { createEmulatorResetWatch } from './modules/local-emulator/emulator-reset.js';
import { createMetricsModule, type Metrics } from './modules/metrics/metrics.service.js';
import { createOrganizationsModule, type OrganizationsService } from './modules/organizations/organizations.service.js';
import { createProxyModule, type ProxyService } from './modules/proxy/proxy.service.js';
import { createSettingsModule, type SettingsService } from './modules/settings/settings.service.js';
import { createTokensModule } from './modules/tokens/tokens.module.js';
import type { TokensService } from './modules/tokens/tokens.service.js';
import { createWebhooksModule } from './modules/webhooks/webhooks.module.js';
import type { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { createWorkflowActionsModule } from './modules/workflow-actions/workflow-actions.module.js';
import type { WorkflowActionsService } from './modules/workflow-actions/workflow-actions.service.js';
import type { Clock } from './platform/clock.js';
import { createTokenCipher } from './platform/crypto/token-cipher.js';
import type { JobDefinition, Jobs } from './platform/jobs.js';
import { moduleLogger, type Logger } from './platform/logger.js';
import type { FeatureModule, JobSchedule } from './platform/module.js';
import type { PgListener } from './platform/pg-listen.js';

/** Infrastructure the composition root builds the modules from. */
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
  /** Lifetimes of the portal route cache's entries (defaults in route-cache.ts; tests lengthen them). */
  routeCache?: Pick<RouteCacheOptions, 'ttlMs' | 'negativeTtlMs'>;
}

/** Every service of the backend, shared by the HTTP routes and the job handlers (so both run the same logic). */
export interface Services {
  organizations: OrganizationsService;
  tokens: TokensService;
  connections: ConnectionsService;
  installs: InstallsService;
  /** Organization-scoped raw HubSpot client, for the vendor proxy only: `request(organizationId, { method, path, … })`. */
  hubspot: HubSpotClient;
  /** The typed HubSpot adapter (one function per endpoint) every module uses. */
  hubspotApi: HubSpotApi;
  proxy: ProxyService;
  /** Prometheus registry of this instance. */
  metrics: Metrics;
  events: EventsService;
  settings: SettingsService;
  conversations: ConversationsService;
  webhooks: WebhooksService;
  workflowActions: WorkflowActionsService;
  /** What the HubSpot app card and settings page read and change (`/hubspot/ui/*`). */
  cards: CardsService;
  /** The hosted connection page behind install links (state, settings, troubleshooting). */
  connectPage: ConnectPageService;
  /** The help-desk bridge: the vendor's conversations in a HubSpot custom channel. */
  helpdesk: HelpdeskService;
  /** Deletes rows past their table's retention (the hourly sweep). */
  retention: RetentionService;
}

/** One process's backend: its services, every job type its workers run, and the cron schedules. */
export interface Backend {
  services: Services;
  /** Job types of every module (each module's `*.jobs.ts`). */
  jobs: JobDefinition<never>[];
  /** Cron schedules to register once the queues exist (pg-boss runs each once across all processes). */
  schedules: JobSchedule[];
  /**
   * Runs once this process's workers started: webhook events left pending by a killed process are
   * re-queued at once (their jobs may sit as active until pg-boss expires them, minutes later).
   */
  afterWorkersStarted(): Promise<void>;
  /**
   * Opens this process's LISTEN connection for connection changes, which turns the portal route
   * cache on (until then, and whenever that connection is down, every lookup reads the table).
   * Resolves after the first attempt; a failed one is retried in the background.
   */
  listen(connectionString: string): Promise<void>;
  /** Closes what `listen` opened. */
  stop(): Promise<void>;
}

/** Builds every module of the backend from the infrastructure. */
export function composeBackend(infra: Infra): Backend {
  const { config, db, clock, jobs, log } = infra;
  const cipher = createTokenCipher(config.tokenEncryptionKey, config.previousTokenEncryptionKeys);
  const hubspotTransport = createHubSpotTransport({ config, budgetDb: infra.budgetDb ?? db, log });

  const metrics = createMetricsModule({ log: moduleLogger(log, 'metrics') });
  // The events outbox comes first: connection changes and conversation transitions are recorded through it.
  const events = createEventsModule({ config, cipher, db, jobs, clock, log: moduleLogger(log, 'events'), metrics: metrics.service, ...(infra.pushResolver ? { pushResolver: infra.pushResolver } : {}) });
  const organizations = createOrganizationsModule({ db, log: moduleLogger(log, 'organizations') });
  const settings = createSettingsModule({ db, log: moduleLogger(log, 'settings') });
  const connectionsLog = moduleLogger(log, 'connections');
  // Portal → connection, per process, behind connections.findByPortalId (see route-cache.ts).
  const routes = createRouteCache<ConnectionSummary>({ ...infra.routeCache, registry: metrics.service.registry });
  let routesListener: PgListener | undefined;

  // A dead grant moves the connection to needs_reauth through the connections use case over its own
  // deps, so the vault never needs the connections service (which needs the vault). That change
  // only emits `connection.needs_reauth`, which the outbox alone records.
  const reauthDeps = {
    clock,
    log: connectionsLog,
    onConnectionEvent: async (trx: Transaction<Database>, event: ConnectionEvent) => {
      await events.service.record(trx, event);
    },
  };
  const tokens = createTokensModule({
    db,
    jobs,
    cipher,
    oauth: hubspotTransport.oauth,
    account: hubspotTransport.account,
    clock,
    log: moduleLogger(log, 'tokens'),
    refreshMarginSeconds: config.tokenRefreshMarginSeconds,
    connections: { markNeedsReauth: (trx, organizationId, reason) => markNeedsReauth(reauthDeps, trx, organizationId, reason) },
    afterReauthCommitted: () => {
      // This process reads its own change at once; the others hear the NOTIFY of the trigger.
      routes.clear();
      events.service.afterCommit();
    },
  });

  const hubspot = createHubSpotClients(hubspotTransport, tokens.service);

  const conversations = createConversationsModule({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'conversations'),
    metrics: metrics.service,
    events: events.service,
    hubspot: hubspot.api,
    productName: config.branding.productName,
    // The help desk (built later, it needs this service) comments on the conversation's thread.
    onHandoffRequested: (trx, handoff) => helpdesk.service.onHandoffRequested(trx, handoff),
    // Read from the connection's row, so conversations needs no connections service (which, on a
    // reconnect, resumes this module's waiting write-backs).
    connectionStatus: (organizationId) => readConnectionStatus({ db }, organizationId),
  });

  const onConnectionEvent: OnConnectionEvent = async (trx, event) => {
    await events.service.record(trx, event);
    // The help desk's inbox list was read with the previous connection.
    helpdesk.service.onConnectionChanged(event.organizationId);
    // Note write-backs that waited for this organization's connection go out once it is back.
    if (event.type === 'connection.connected') await conversations.service.resumeWaitingWritebacksInTransaction(trx, event.organizationId, { portalChanged: event.data.previousPortalId !== undefined });
  };
  const connections = createConnectionsModule({
    db,
    tokens: tokens.service,
    oauth: hubspotTransport.oauth,
    account: hubspotTransport.account,
    organizations: organizations.service,
    clock,
    log: connectionsLog,
    onConnectionEvent,
    // Wakes event pushes and the note write-backs re-queued above.
    afterEventsCommitted: () => conversations.service.afterCommit(),
    routes,
  });

  const installs = createInstallsModule({ db, cipher, oauth: hubspotTransport.oauth, connections: connections.service, organizations: organizations.service, clock, log: moduleLogger(log, 'installs'), publicBaseUrl: config.publicBaseUrl });

  const proxy = createProxyModule({ hubspot: hubspot.client, connections: connections.service });

  // The help desk owns its threads' assignee changes, which the webhooks module hands it.
  const helpdesk = createHelpdeskModule({
    ...{ db, jobs, clock, config, events: events.service, conversations: conversations.service, connections: connections.service, settings: settings.service },
    log: moduleLogger(log, 'helpdesk'),
    hubspot: hubspot.api,
    registry: createHubSpotChannelRegistry({ http: hubspotTransport.http }),
  });

  const webhooks = createWebhooksModule({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'webhooks'),
    metrics: metrics.service,
    connections: connections.service,
    conversations: conversations.service,
    settings: settings.service,
    hubspot: hubspot.api,
    threadAssignee: helpdesk.service,
  });

  const workflowActions = createWorkflowActionsModule({
    db,
    jobs,
    clock,
    log: moduleLogger(log, 'workflow-actions'),
    conversations: conversations.service,
    connections: connections.service,
    events: events.service,
    hubspot: hubspot.api,
    metrics: metrics.service,
  });
  const cards = createCardsModule({
    connections: connections.service,
    conversations: conversations.service,
    settings: settings.service,
    handoffTeams: workflowActions.service,
    helpdesk: helpdesk.service,
    reconnectUrl: (portalId) => hubspotTransport.oauth.authorizeUrl(null, { portalId }),
    dashboardUrlTemplate: config.vendorDashboardUrl,
    log: moduleLogger(log, 'cards'),
  });
  // Local mode only: the emulator can be reset under this database (see modules/local-emulator).
  const emulatorReset =
    config.mode === 'local'
      ? createEmulatorResetWatch({ emulatorUrl: config.hubspot.apiBaseUrl, dataDir: config.dataDir, log: moduleLogger(log, 'local-emulator'), now: () => clock.now() })
      : undefined;
  // Checked once at start too, so the log says it even before anyone opens a connection page.
  void emulatorReset?.check();
  const connectPage = createConnectPageModule({
    ...(emulatorReset ? { emulatorReset } : {}),
    installs: installs.service,
    connections: connections.service,
    settings: settings.service,
    tokens: tokens.service,
    webhooks: webhooks.service,
    workflowActions: workflowActions.service,
    conversations: conversations.service,
    helpdesk: helpdesk.service,
  });

  const retention = createRetentionModule({ db, clock, log: moduleLogger(log, 'retention'), eventsRetentionDays: config.eventsRetentionDays, privacyErasuresRetentionDays: config.privacyErasuresRetentionDays });
  const modules: FeatureModule<unknown>[] = [metrics, events, organizations, settings, tokens, conversations, connections, installs, proxy, webhooks, workflowActions, cards, connectPage, helpdesk, retention];
  return {
    services: {
      organizations: organizations.service,
      tokens: tokens.service,
      connections: connections.service,
      installs: installs.service,
      hubspot: hubspot.client,
      hubspotApi: hubspot.api,
      proxy: proxy.service,
      metrics: metrics.service,
      events: events.service,
      settings: settings.service,
      conversations: conversations.service,
      webhooks: webhooks.service,
      workflowActions: workflowActions.service,
      cards: cards.service,
      connectPage: connectPage.service,
      helpdesk: helpdesk.service,
      retention: retention.service,
    },
    jobs: modules.flatMap((m) => m.jobs),
    schedules: modules.flatMap((m) => m.schedules),
    afterWorkersStarted: async () => {
      await webhooks.service.recoverPending(0);
    },
    listen: async (connectionString) => {
      if (routesListener) return;
      routesListener = listenForConnectionChanges(routes, { connectionString, log: connectionsLog });
      await routesListener.start();
    },
    stop: async () => {
      await routesListener?.stop();
      routesListener = undefined;
    },
  };
}
