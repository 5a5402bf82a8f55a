// The HubSpot layer of one process, built by the composition root in two steps: the transport
// (per-portal budget, the one HTTP function, OAuth and account clients) exists before the token
// vault, which refreshes through it; the organization-scoped client needs the vault's credentials.
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { moduleLogger, type Logger } from '../platform/logger.js';
import { createHubSpotAccountClient, type HubSpotAccountClient } from './account-client.js';
import { createHubSpotBudget, type HubSpotBudget } from './budget.js';
import { createBudgetStore } from './budget-store.js';
import { createHubSpotApi, type HubSpotApi } from './hubspot-api.js';
import { createHubSpotClient, type CredentialProvider, type HubSpotClient } from './hubspot-client.js';
import { createHubSpotHttp, type HubSpotHttp } from './http.js';
import { createHubSpotOAuthClient, type HubSpotOAuthClient } from './oauth-client.js';

/** What talks to HubSpot without an organization's token. */
export interface HubSpotTransport {
  /** This process's side of the per-portal HubSpot budget shared through Postgres. */
  budget: HubSpotBudget;
  /** The one HTTP function every HubSpot call goes through (per-portal budget, 429 waits, retries). */
  http: HubSpotHttp;
  oauth: HubSpotOAuthClient;
  account: HubSpotAccountClient;
}

/** Builds the budget, the HTTP function and the OAuth and account clients. */
export function createHubSpotTransport(deps: { config: Config; budgetDb: Db; log: Logger }): HubSpotTransport {
  const { config } = deps;
  const log = moduleLogger(deps.log, 'hubspot');
  const b = config.hubspotBudget;
  const calls = config.hubspotCalls;
  const budget = createHubSpotBudget({
    store: createBudgetStore(deps.budgetDb),
    // Slots are booked at most a tenth of a window (≤ 1 s) ahead; an unsettled call (its process
    // died mid-call) stops counting as in flight a second after its timeout.
    limits: { ...b, horizonMs: Math.min(1_000, Math.floor(b.windowMs / 10)), inFlightMaxMs: calls.timeoutMs + 1_000 },
    log,
  });
  const http = createHubSpotHttp({
    baseUrl: config.hubspot.apiBaseUrl,
    log,
    budget,
    timeoutMs: calls.timeoutMs,
    retry: { maxAttempts: calls.maxAttempts, baseDelayMs: 200, maxDelayMs: 2_000 },
    interactiveDeadlineMs: calls.interactiveDeadlineMs,
  });
  const oauth = createHubSpotOAuthClient({
    http,
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    appBaseUrl: config.hubspot.appBaseUrl,
    publicBaseUrl: config.publicBaseUrl,
  });
  return { budget, http, oauth, account: createHubSpotAccountClient({ http }) };
}

/** What calls HubSpot on behalf of an organization. */
export interface HubSpotClients {
  /** Organization-scoped raw HubSpot client, for the vendor proxy only: `request(organizationId, { method, path, … })`. */
  client: HubSpotClient;
  /** The typed HubSpot adapter (one function per endpoint) every module uses. */
  api: HubSpotApi;
}

/** Builds the organization-scoped client over the transport and the vault's credentials. */
export function createHubSpotClients(transport: Pick<HubSpotTransport, 'http'>, credentials: CredentialProvider): HubSpotClients {
  const client = createHubSpotClient({ http: transport.http, credentials });
  return { client, api: createHubSpotApi({ client }) };
}
