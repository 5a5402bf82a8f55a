import crypto from 'node:crypto';
import { loadConfig, type Config } from '../../backend/src/config.js';

/** A HubSpot-mode Config for tests: fresh secrets per call, HubSpot URLs pointing wherever told. */
export function buildTestConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    HUBSPOT_CLIENT_ID: 'test-client-id',
    HUBSPOT_CLIENT_SECRET: `test-secret-${crypto.randomUUID()}`,
    HUBSPOT_APP_ID: '424242',
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: `admin-${crypto.randomBytes(24).toString('base64url')}`,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    DATABASE_URL: 'postgres://unused:unused@127.0.0.1:1/unused',
    LOG_LEVEL: 'debug',
    ...overrides,
  });
}
