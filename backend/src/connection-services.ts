import { createHubSpotAccountClient } from './hubspot/account-client.js';
import { createHubSpotBudget, type HubSpotBudget } from './hubspot/budget.js';
import { createBudgetStore } from './hubspot/budget-store.js';
import { createHubSpotApi, type HubSpotApi } from './hubspot/hubspot-api.js';
import { createHubSpotClient, type HubSpotClient } from './hubspot/hubspot-client.js';
import { createHubSpotHttp, type HubSpotHttp } from './hubspot/http.js';
import { createHubSpotOAuthClient } from './hubspot/oauth-client.js';
import { createConnectionsService, type ConnectionEvent, type ConnectionsService, type OnConnectionEvent } from './modules/connections/connections.service.js';
import { createInstallsModule } from './modules/installs/installs.module.js';
import type { InstallsService } from './modules/installs/installs.service.js';
import { createOrganizationsService, type OrganizationsService } from './modules/organizations/organizations.service.js';
import { createProxyService, type ProxyService } from './modules/proxy/proxy.service.js';
import { createTokensModule } from './modules/tokens/tokens.module.js';
import type { TokensService } from './modules/tokens/tokens.service.js';
import { createTokenCipher } from './platform/crypto/token-cipher.js';
import type { JobDefinition } from './platform/jobs.js';
import { moduleLogger } from './platform/logger.js';
import type { Infra } from './services.js';

/**
 * Wiring of issue 4 (organizations, installs, tokens, connections, proxy) and the HubSpot layer they
 * share, kept out of services.ts so that file stays a short list. The tokens ↔ connections cycle
 * (a dead refresh token moves the connection to needs_reauth; a connection stores tokens) is closed
 * with a hook, so neither module imports the other's internals.
 */
export interface ConnectionServices {
  organizations: OrganizationsService;
  tokens: TokensService;
  connections: ConnectionsService;
  installs: InstallsService;
  /** Organization-scoped raw HubSpot client, for the vendor proxy only: `request(organizationId, { method, path, … })`. */
  hubspot: HubSpotClient;
  /** The typed HubSpot adapter (one function per endpoint) every module uses. */
  hubspotApi: HubSpotApi;
  /** The one HTTP function every HubSpot call goes through (per-portal budget, 429 waits, retries). */
  hubspotHttp: HubSpotHttp;
  /** This process's side of the per-portal HubSpot budget shared through Postgres. */
  hubspotBudget: HubSpotBudget;
  proxy: ProxyService;
  /** Job definitions of these modules. */
  connectionJobs: JobDefinition<never>[];
  /** Cron schedules of these modules' jobs. */
  connectionSchedules: { job: JobDefinition<never>; cron: string }[];
}

/** Options of createConnectionServices. */
export interface ConnectionServicesOptions {
  /**
   * Records a vendor event in the caller's transaction (the events outbox). Without it, connection
   * events are only logged (the history table keeps them either way).
   */
  onConnectionEvent?: OnConnectionEvent;
  /** Called after a transaction that recorded events committed (wakes the push workers). */
  afterEventsCommitted?: () => void;
}

/** Builds the services of issue 4 from the infrastructure. */
export function createConnectionServices(infra: Infra, options: ConnectionServicesOptions = {}): ConnectionServices {
  const { config, db, clock, log } = infra;
  const cipher = createTokenCipher(config.tokenEncryptionKey, config.previousTokenEncryptionKeys);
  const hubspotLog = moduleLogger(log, 'hubspot');
  const b = config.hubspotBudget;
  const calls = config.hubspotCalls;
  const hubspotBudget = createHubSpotBudget({
    store: createBudgetStore(infra.budgetDb ?? db),
    // Slots are booked at most a tenth of a window (≤ 1 s) ahead; an unsettled call (its process
    // died mid-call) stops counting as in flight a second after its timeout.
    limits: { ...b, horizonMs: Math.min(1_000, Math.floor(b.windowMs / 10)), inFlightMaxMs: calls.timeoutMs + 1_000 },
    log: hubspotLog,
  });
  const hubspotHttp = createHubSpotHttp({
    baseUrl: config.hubspot.apiBaseUrl,
    log: hubspotLog,
    budget: hubspotBudget,
    timeoutMs: calls.timeoutMs,
    retry: { maxAttempts: calls.maxAttempts, baseDelayMs: 200, maxDelayMs: 2_000 },
    interactiveDeadlineMs: calls.interactiveDeadlineMs,
  });
  const oauth = createHubSpotOAuthClient({
    http: hubspotHttp,
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    appBaseUrl: config.hubspot.appBaseUrl,
    publicBaseUrl: config.publicBaseUrl,
  });
  const account = createHubSpotAccountClient({ http: hubspotHttp });
  const connectionsLog = moduleLogger(log, 'connections');
  const onConnectionEvent: OnConnectionEvent =
    options.onConnectionEvent ??
    (async (_trx, event: ConnectionEvent) => {
      connectionsLog.info({ organizationId: event.organizationId, type: event.type, portalId: event.data.portalId }, 'connection event');
    });

  const organizations = createOrganizationsService({ db, log: moduleLogger(log, 'organizations') });
  // Closes the tokens → connections cycle: the hook runs long after both exist.
  const connectionsRef: { current?: ConnectionsService } = {};
  const tokensModule = createTokensModule({
    db,
    jobs: infra.jobs,
    cipher,
    oauth,
    account,
    clock,
    log: moduleLogger(log, 'tokens'),
    refreshMarginSeconds: config.tokenRefreshMarginSeconds,
    connections: { markNeedsReauth: (trx, organizationId, reason) => connectionsRef.current!.markNeedsReauth(trx, organizationId, reason) },
    ...(options.afterEventsCommitted ? { afterReauthCommitted: options.afterEventsCommitted } : {}),
  });
  const tokens = tokensModule.service;
  const connections = createConnectionsService({ db, tokens, oauth, account, organizations, clock, log: connectionsLog, onConnectionEvent, afterEventsCommitted: options.afterEventsCommitted });
  connectionsRef.current = connections;
  const installsModule = createInstallsModule({ db, cipher, oauth, connections, organizations, clock, log: moduleLogger(log, 'installs'), publicBaseUrl: config.publicBaseUrl });
  const installs = installsModule.service;
  const hubspot = createHubSpotClient({ http: hubspotHttp, credentials: tokens });
  const hubspotApi = createHubSpotApi({ client: hubspot });
  const proxy = createProxyService({ hubspot, connections });

  return {
    organizations,
    tokens,
    connections,
    installs,
    hubspot,
    hubspotApi,
    hubspotHttp,
    hubspotBudget,
    proxy,
    connectionJobs: [...tokensModule.jobs, ...installsModule.jobs] as JobDefinition<never>[],
    connectionSchedules: [...tokensModule.schedules, ...installsModule.schedules],
  };
}
