import crypto from 'node:crypto';
import { loadConfig, type Config } from '../../backend/src/config.js';
import { registerSecret } from './secret-registry.js';

/** A HubSpot-mode Config for tests: fresh secrets per call, HubSpot URLs pointing wherever told. */
export function buildTestConfig(overrides: Record<string, string | undefined> = {}): Config {
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'test-client-id',
    HUBSPOT_CLIENT_SECRET: `test-secret-${crypto.randomUUID()}`,
    HUBSPOT_APP_ID: '424242',
    TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    ADMIN_API_KEY: `admin-${crypto.randomBytes(24).toString('base64url')}`,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    DATABASE_URL: 'postgres://unused:unused@127.0.0.1:1/unused',
    LOG_LEVEL: 'debug',
    // The per-IP and per-organization limits are off in tests (every request comes from 127.0.0.1);
    // test/security/controls.int.test.ts turns them on.
    RATE_LIMIT_BROWSER_PER_MINUTE: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    RATE_LIMIT_BAD_SIGNATURES_PER_MINUTE: '0',
    RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0',
    ...overrides,
  });
  // The whole-suite redaction check (redaction-check.ts) fails the file if any of these is logged.
  registerSecret(config.hubspot.clientSecret);
  registerSecret(config.adminApiKey);
  registerSecret(config.tokenEncryptionKey.toString('base64'));
  return config;
}
