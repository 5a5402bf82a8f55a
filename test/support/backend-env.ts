import crypto from 'node:crypto';
import type { Emulator } from '../../emulator/src/emulator.js';

/** What differs between the child backends that e2e tests spawn. */
export interface BackendEnvOptions {
  databaseUrl: string;
  port: number;
  dataDir: string;
  logLevel?: string;
  /** Extra variables (e.g. HUBSPOT_TIMEOUT_MS). */
  extra?: Record<string, string>;
}

/**
 * The environment of a backend process in HubSpot mode pointed at `emulator`, with fresh secrets:
 * what `tsx backend/src/main.ts` needs to run against the emulator on `port`.
 */
export function backendEnvFor(emulator: Emulator, options: BackendEnvOptions): Record<string, string> {
  const backendUrl = `http://127.0.0.1:${options.port}`;
  return {
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    PUBLIC_BASE_URL: backendUrl,
    HUBSPOT_CLIENT_ID: emulator.app.clientId,
    HUBSPOT_CLIENT_SECRET: emulator.app.clientSecret,
    HUBSPOT_APP_ID: String(emulator.app.appId),
    HUBSPOT_API_BASE_URL: emulator.url,
    HUBSPOT_APP_BASE_URL: emulator.url,
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: `admin-${crypto.randomBytes(24).toString('base64url')}`,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    ...options.extra,
  };
}
