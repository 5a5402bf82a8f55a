import { z } from 'zod';
import { parseBranding, type Branding } from './config-branding.js';

export type { Branding } from './config-branding.js';

/**
 * Every environment variable the service reads, parsed once at start into a frozen Config.
 * Two modes:
 * - local mode (HUBSPOT_CLIENT_ID unset): talks to the bundled HubSpot emulator; local-only secrets
 *   come from `.data/local-secrets.json` (generated once by `ensureLocalSecrets`).
 * - HubSpot mode (HUBSPOT_CLIENT_ID set): every secret must come from the environment.
 * No secret has a default.
 */

/** Local-only secrets generated on first start in local mode. */
export interface LocalSecrets {
  tokenEncryptionKey: string;
  adminApiKey: string;
  emulatorClientId: string;
  emulatorClientSecret: string;
  emulatorAppId: number;
}

/** The service configuration (never log it: it holds secrets). */
export interface Config {
  mode: 'local' | 'hubspot';
  /** Port the HTTP server listens on. */
  port: number;
  /** Public origin of the backend, used for redirect URIs and signature checks (no trailing slash). */
  publicBaseUrl: string;
  /** Postgres connection string; undefined means "start embedded Postgres". */
  databaseUrl?: string;
  /** Folder for local state (embedded Postgres data, local secrets). */
  dataDir: string;
  /** 32-byte AES key for the token vault. */
  tokenEncryptionKey: Buffer;
  /** Older keys still accepted for decryption during a rotation. */
  previousTokenEncryptionKeys: Buffer[];
  /** Bearer key for the admin routes. */
  adminApiKey: string;
  hubspot: {
    clientId: string;
    clientSecret: string;
    appId?: number;
    /** The developer API key HubSpot's custom channels registration asks for; never sent for portal calls. */
    developerApiKey?: string;
    /** Base URL of HubSpot's API (tokens, CRM, callbacks). */
    apiBaseUrl: string;
    /** Host of HubSpot's authorize page. */
    appBaseUrl: string;
  };
  emulator: { port: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Which parts this process runs: HTTP server, background workers, or both. */
  role: 'web' | 'worker' | 'all';
  /** Refresh access tokens this many seconds before they expire. */
  tokenRefreshMarginSeconds: number;
  /** Accept v1-signed webhooks when no v3 headers are present. */
  webhookAllowV1: boolean;
  /** Per-portal HubSpot call budget, shared by every process through Postgres. */
  hubspotBudget: { maxCalls: number; windowMs: number; interactiveReserve: number; marginMs: number };
  /** Timeouts and retries of HubSpot API calls. */
  hubspotCalls: { timeoutMs: number; maxAttempts: number; interactiveDeadlineMs: number };
  /** Connection pools per process: the data pool and pg-boss's pool. */
  databasePool: { max: number; jobsMax: number };
  /** Process counts started by `npm run start:cluster` (scripts/cluster.ts). */
  cluster: { webProcesses: number; workerProcesses: number };
  /** The vendor's dashboard URL for an organization (`{organizationId}` is replaced), linked from the HubSpot settings page. */
  vendorDashboardUrl?: string;
  /** Per-process request limits of the public endpoints, per minute (0 = unlimited); see SECURITY.md. */
  rateLimits: { browserPerIp: number; authFailuresPerIp: number; badSignaturesPerIp: number; perOrganization: number };
  /** Reverse proxies in front of the backend whose X-Forwarded-For is trusted (0: the socket address is the client). */
  trustProxyHops: number;
  /** Days the vendor event feed keeps an event (EVENTS_RETENTION_DAYS). */
  eventsRetentionDays: number;
  /** Days a privacy-erasure record is kept as proof of the erasure (PRIVACY_ERASURES_RETENTION_DAYS). */
  privacyErasuresRetentionDays: number;
  /** Product name, logo, accent colour and support link on the connection page and HubSpot notes (BRAND_*). */
  branding: Branding;
  /** HTTP server timeouts: idle keep-alive sockets, and receiving a request's headers (docs/RELIABILITY.md). */
  http: { keepAliveTimeoutMs: number; headersTimeoutMs: number };
}

/** Thrown when the environment is invalid; its message names every bad variable on one line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const base64Key = (name: string) =>
  z.string().refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: `${name} must be 32 bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)`,
  });

const httpUrl = (name: string, { httpsUnlessLoopback }: { httpsUnlessLoopback: boolean }) =>
  z.string().refine(
    (v) => {
      try {
        const u = new URL(v);
        if (u.protocol === 'https:') return true;
        return u.protocol === 'http:' && (!httpsUnlessLoopback || isLoopback(u.hostname));
      } catch {
        return false;
      }
    },
    { message: `${name} must be an ${httpsUnlessLoopback ? 'https URL (http only for localhost)' : 'http(s) URL'}` },
  );

const envSchema = z.object({
  // HTTP port of the backend.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Public origin of the backend (https; http only for localhost).
  PUBLIC_BASE_URL: optionalString,
  // Postgres connection string; unset = embedded Postgres under DATA_DIR.
  DATABASE_URL: optionalString,
  // Folder for local state.
  DATA_DIR: z.string().default('.data'),
  // AES-256-GCM key for the token vault: 32 bytes, base64.
  TOKEN_ENCRYPTION_KEY: optionalString,
  // Comma-separated older keys, accepted for decryption while `npm run rotate-key` re-encrypts.
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: optionalString,
  // Bearer key for admin routes (creating organizations).
  ADMIN_API_KEY: optionalString,
  // HubSpot app credentials; setting the client id switches to HubSpot mode.
  HUBSPOT_CLIENT_ID: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_APP_ID: optionalString,
  // The app developer's API key: registering the help-desk channel (`switchboard channel register`) only.
  HUBSPOT_DEVELOPER_API_KEY: optionalString,
  // HubSpot's API and authorize-page hosts (point them at the emulator to test HubSpot mode).
  HUBSPOT_API_BASE_URL: optionalString,
  HUBSPOT_APP_BASE_URL: optionalString,
  // Port of the bundled emulator in local mode.
  EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  EMULATOR_CLIENT_ID: optionalString,
  EMULATOR_CLIENT_SECRET: optionalString,
  EMULATOR_APP_ID: optionalString,
  // pino level.
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // web | worker | all.
  SWITCHBOARD_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  // Seconds before expiry at which access tokens are refreshed.
  TOKEN_REFRESH_MARGIN_SECONDS: z.coerce.number().int().min(0).max(1700).default(300),
  // Accept v1 webhook signatures when v3 headers are absent.
  WEBHOOK_ALLOW_V1: z.enum(['true', 'false']).default('false'),
  // HubSpot calls allowed per portal per window (HubSpot: 110 per 10 s for OAuth apps), across all processes.
  HUBSPOT_BUDGET_MAX_CALLS: z.coerce.number().int().min(1).max(10_000).default(110),
  // Length of HubSpot's rolling window, ms.
  HUBSPOT_BUDGET_WINDOW_MS: z.coerce.number().int().min(100).max(86_400_000).default(10_000),
  // Calls per window that bulk work (jobs, backfills) may never use, kept for interactive calls.
  HUBSPOT_BUDGET_INTERACTIVE_RESERVE: z.coerce.number().int().min(0).default(10),
  // Extra ms added to the window when counting, against send-time jitter.
  HUBSPOT_BUDGET_MARGIN_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  // Timeout of one HubSpot call attempt, ms.
  HUBSPOT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Attempts per HubSpot call (1 = no retries) for 429, 5xx and network failures.
  HUBSPOT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  // Interactive HubSpot calls give up (503) rather than wait past this many ms.
  HUBSPOT_INTERACTIVE_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Connections of this process's data pool, and of its pg-boss pool.
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  JOBS_POOL_MAX: z.coerce.number().int().min(2).max(500).default(5),
  // `npm run start:cluster`: web processes (sharing PORT) and worker processes on the same database.
  SWITCHBOARD_WEB_PROCESSES: z.coerce.number().int().min(0).max(64).default(2),
  SWITCHBOARD_WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
  // The vendor's dashboard for an organization, shown on the HubSpot settings page; `{organizationId}` is replaced.
  VENDOR_DASHBOARD_URL: optionalString,
  // Requests per minute per client IP to the browser pages (/connect, /oauth); 0 = unlimited.
  RATE_LIMIT_BROWSER_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(60),
  // Failed authentications (401) per minute per client IP on /api/v1 and /metrics before 429; 0 = unlimited.
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(20),
  // Failed HubSpot signatures (401) per minute per client IP on /hubspot/* before 429; 0 = unlimited.
  RATE_LIMIT_BAD_SIGNATURES_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(60),
  // Vendor API requests per minute per organization (burst up to the same number); 0 = unlimited.
  RATE_LIMIT_ORGANIZATION_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(3_000),
  // Reverse proxies in front of the backend (their X-Forwarded-For is trusted for the client IP).
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Idle keep-alive sockets close after this many ms: above a load balancer's idle timeout (AWS ALB: 60 s).
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(65_000),
  // A request's headers must arrive within this many ms (slow-header clients are cut off); above the keep-alive timeout.
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(66_000),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Days a record of a HubSpot privacy deletion is kept as proof that it was carried out (3 years).
  PRIVACY_ERASURES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(1095),
});

type Env = Record<string, string | undefined>;

function check(problems: string[], name: string, value: string | undefined, schema: z.ZodType<unknown>): void {
  if (value === undefined) return;
  const r = schema.safeParse(value);
  if (!r.success) problems.push(r.error.issues[0]?.message ?? `${name} is invalid`);
}

/**
 * Parses the environment into a frozen Config.
 * @param env the environment (only main.ts passes process.env; tests pass literals).
 * @param localSecrets secrets for local mode (from `ensureLocalSecrets`); ignored in HubSpot mode.
 * @throws ConfigError listing every bad or missing variable.
 */
export function loadConfig(env: Env, localSecrets?: LocalSecrets): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const mode: Config['mode'] = e.HUBSPOT_CLIENT_ID ? 'hubspot' : 'local';

  check(problems, 'DATABASE_URL', e.DATABASE_URL, z.string().refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL with a host' }));
  check(problems, 'TOKEN_ENCRYPTION_KEY', e.TOKEN_ENCRYPTION_KEY, base64Key('TOKEN_ENCRYPTION_KEY'));
  const previous = (e.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  previous.forEach((k) => check(problems, 'TOKEN_ENCRYPTION_PREVIOUS_KEYS', k, base64Key('each TOKEN_ENCRYPTION_PREVIOUS_KEYS entry')));
  check(problems, 'PUBLIC_BASE_URL', e.PUBLIC_BASE_URL, httpUrl('PUBLIC_BASE_URL', { httpsUnlessLoopback: true }));
  check(problems, 'HUBSPOT_API_BASE_URL', e.HUBSPOT_API_BASE_URL, httpUrl('HUBSPOT_API_BASE_URL', { httpsUnlessLoopback: false }));
  check(problems, 'HUBSPOT_APP_BASE_URL', e.HUBSPOT_APP_BASE_URL, httpUrl('HUBSPOT_APP_BASE_URL', { httpsUnlessLoopback: false }));
  check(problems, 'HUBSPOT_APP_ID', e.HUBSPOT_APP_ID, z.string().regex(/^\d+$/, { message: 'HUBSPOT_APP_ID must be a number' }));
  check(problems, 'EMULATOR_APP_ID', e.EMULATOR_APP_ID, z.string().regex(/^\d+$/, { message: 'EMULATOR_APP_ID must be a number' }));
  check(problems, 'VENDOR_DASHBOARD_URL', e.VENDOR_DASHBOARD_URL, httpUrl('VENDOR_DASHBOARD_URL', { httpsUnlessLoopback: true }));
  const branding = parseBranding(env, problems);
  check(problems, 'ADMIN_API_KEY', e.ADMIN_API_KEY, z.string().min(24, { message: 'ADMIN_API_KEY must be at least 24 characters' }));

  if (e.HUBSPOT_BUDGET_INTERACTIVE_RESERVE >= e.HUBSPOT_BUDGET_MAX_CALLS) problems.push('HUBSPOT_BUDGET_INTERACTIVE_RESERVE must be smaller than HUBSPOT_BUDGET_MAX_CALLS');
  if (e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_KEEP_ALIVE_TIMEOUT_MS) problems.push('HTTP_HEADERS_TIMEOUT_MS must be larger than HTTP_KEEP_ALIVE_TIMEOUT_MS');
  if (e.SWITCHBOARD_WEB_PROCESSES + e.SWITCHBOARD_WORKER_PROCESSES === 0) problems.push('SWITCHBOARD_WEB_PROCESSES and SWITCHBOARD_WORKER_PROCESSES cannot both be 0');

  if (mode === 'hubspot') {
    const required: [string, string | undefined][] = [
      ['HUBSPOT_CLIENT_SECRET', e.HUBSPOT_CLIENT_SECRET],
      ['TOKEN_ENCRYPTION_KEY', e.TOKEN_ENCRYPTION_KEY],
      ['ADMIN_API_KEY', e.ADMIN_API_KEY],
      ['PUBLIC_BASE_URL', e.PUBLIC_BASE_URL],
    ];
    for (const [name, value] of required) if (value === undefined) problems.push(`${name} is required in HubSpot mode`);
  } else if (!localSecrets) {
    problems.push('local mode needs generated local secrets (internal: ensureLocalSecrets was not called)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const local = mode === 'local' ? localSecrets! : undefined;
  const emulatorOrigin = `http://127.0.0.1:${e.EMULATOR_PORT}`;
  const config: Config = {
    mode,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    tokenEncryptionKey: Buffer.from(e.TOKEN_ENCRYPTION_KEY ?? local!.tokenEncryptionKey, 'base64'),
    previousTokenEncryptionKeys: previous.map((k) => Buffer.from(k, 'base64')),
    adminApiKey: e.ADMIN_API_KEY ?? local!.adminApiKey,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID ?? e.EMULATOR_CLIENT_ID ?? local!.emulatorClientId,
      clientSecret: e.HUBSPOT_CLIENT_SECRET ?? e.EMULATOR_CLIENT_SECRET ?? local!.emulatorClientSecret,
      appId: e.HUBSPOT_APP_ID ? Number(e.HUBSPOT_APP_ID) : mode === 'local' ? Number(e.EMULATOR_APP_ID ?? local!.emulatorAppId) : undefined,
      ...(e.HUBSPOT_DEVELOPER_API_KEY ? { developerApiKey: e.HUBSPOT_DEVELOPER_API_KEY } : {}),
      apiBaseUrl: (e.HUBSPOT_API_BASE_URL ?? (mode === 'local' ? emulatorOrigin : 'https://api.hubapi.com')).replace(/\/+$/, ''),
      appBaseUrl: (e.HUBSPOT_APP_BASE_URL ?? (mode === 'local' ? emulatorOrigin : 'https://app.hubspot.com')).replace(/\/+$/, ''),
    },
    emulator: { port: e.EMULATOR_PORT },
    logLevel: e.LOG_LEVEL,
    role: e.SWITCHBOARD_ROLE,
    tokenRefreshMarginSeconds: e.TOKEN_REFRESH_MARGIN_SECONDS,
    webhookAllowV1: e.WEBHOOK_ALLOW_V1 === 'true',
    hubspotBudget: { maxCalls: e.HUBSPOT_BUDGET_MAX_CALLS, windowMs: e.HUBSPOT_BUDGET_WINDOW_MS, interactiveReserve: e.HUBSPOT_BUDGET_INTERACTIVE_RESERVE, marginMs: e.HUBSPOT_BUDGET_MARGIN_MS },
    hubspotCalls: { timeoutMs: e.HUBSPOT_TIMEOUT_MS, maxAttempts: e.HUBSPOT_MAX_ATTEMPTS, interactiveDeadlineMs: e.HUBSPOT_INTERACTIVE_DEADLINE_MS },
    databasePool: { max: e.DATABASE_POOL_MAX, jobsMax: e.JOBS_POOL_MAX },
    cluster: { webProcesses: e.SWITCHBOARD_WEB_PROCESSES, workerProcesses: e.SWITCHBOARD_WORKER_PROCESSES },
    ...(e.VENDOR_DASHBOARD_URL ? { vendorDashboardUrl: e.VENDOR_DASHBOARD_URL } : {}),
    rateLimits: {
      browserPerIp: e.RATE_LIMIT_BROWSER_PER_MINUTE,
      authFailuresPerIp: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
      badSignaturesPerIp: e.RATE_LIMIT_BAD_SIGNATURES_PER_MINUTE,
      perOrganization: e.RATE_LIMIT_ORGANIZATION_PER_MINUTE,
    },
    trustProxyHops: e.TRUST_PROXY_HOPS,
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
    privacyErasuresRetentionDays: e.PRIVACY_ERASURES_RETENTION_DAYS,
    branding,
    http: { keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS, headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS },
  };
  return Object.freeze(config);
}
