import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { currentContext } from './context.js';

/** Every module that logs; a closed list so log queries can rely on it. */
export type ModuleName =
  | 'main'
  | 'http'
  | 'config'
  | 'local-emulator'
  | 'db'
  | 'jobs'
  | 'hubspot'
  | 'organizations'
  | 'installs'
  | 'tokens'
  | 'connections'
  | 'webhooks'
  | 'conversations'
  | 'events'
  | 'workflow-actions'
  | 'cards'
  | 'connect-page'
  | 'proxy'
  | 'metrics'
  | 'settings'
  | 'retention'
  | 'helpdesk';

export type { Logger };

const SECRET_KEYS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'authorizationCode',
  'authCode',
  'privateAppToken',
  'apiKey',
  'api_key',
  'developerApiKey',
  'hapikey',
  // A HubSpot custom-channel connect-flow staging token.
  'accountToken',
  'password',
  'secret',
  'token',
  'signature',
  'authorization',
  'cookie',
  // Postgres's cancel key (pg client objects carry it; see errorSerializer).
  'secretKey',
];

/**
 * Redaction is on in every environment. pino wildcards match one level only, so each key is listed
 * at the depths we log (top level, one and two levels down), plus the request headers we log.
 */
export const REDACT_PATHS: string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-switchboard-signature"]',
  'headers["x-hubspot-signature"]',
  'headers["x-hubspot-signature-v3"]',
];

// Last line of defence for secrets that end up inside free text (an upstream error message, a URL):
// bearer values, HubSpot private-app token shapes, HubSpot refresh tokens and authorization codes
// (`na1-<uuid>`) and our own opaque tokens (`sb_<kind>_<43 chars>`, e.g. the install-link token in a
// `/connect/<token>` request path) are masked before the line is written. Ours are masked whatever
// follows the prefix: a path holding a real token with one character added must not leak it.
const FREE_TEXT_SECRETS: RegExp[] = [
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(hapikey=)[^&\s"]+/gi,
  /(accountToken=)[^&\s"]+/gi,
  /\bpat-[a-z0-9]{2,4}-[A-Za-z0-9-]{8,}/g,
  /\bsb_[a-z]{2,10}_[A-Za-z0-9_-]{16,}/g,
  /\bsbwh_[A-Za-z0-9_-]{16,}/g,
  /\bna1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g,
  // HubSpot OAuth access tokens: long base64url blobs starting with `C` (e.g. echoed in an error).
  /(?<![A-Za-z0-9_-])C[A-Za-z0-9_-]{80,}/g,
];

/** Masks secret-looking substrings in one serialized log line. */
export function scrubLine(line: string): string {
  let out = line;
  for (const re of FREE_TEXT_SECRETS) out = out.replace(re, (_m, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[Redacted]`);
  return out;
}

/**
 * pino's error serializer, minus the pg client that pg-pool attaches to errors of idle connections
 * (`err.client`): it holds the server's backend process id and the cancel key (`processID`,
 * `secretKey`), and a whole connection's state besides.
 */
export function errorSerializer(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  if (out && typeof out === 'object' && 'client' in out) delete (out as { client?: unknown }).client;
  return out;
}

/** Options for the root logger. */
export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; tests pass a capturing stream. Defaults to stdout. */
  destination?: DestinationStream;
}

/** Builds the root logger: redaction always on, request/job context mixed into every line. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      mixin: () => ({ ...currentContext() }),
      base: { service: 'switchboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        streamWrite: scrubLine,
      },
      serializers: { err: errorSerializer },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A child logger for one module. */
export function moduleLogger(root: Logger, module: ModuleName): Logger {
  return root.child({ module });
}
