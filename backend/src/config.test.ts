import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, type LocalSecrets } from './config.js';

const key = () => crypto.randomBytes(32).toString('base64');
const hubspotEnv = () => ({
  HUBSPOT_CLIENT_ID: 'cid',
  HUBSPOT_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: key(),
  ADMIN_API_KEY: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://switchboard.example.com',
});
const local: LocalSecrets = {
  tokenEncryptionKey: key(),
  adminApiKey: 'local-admin-key-000000000000',
  emulatorClientId: 'emu-cid',
  emulatorClientSecret: 'emu-secret',
  emulatorAppId: 1234567,
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when HUBSPOT_CLIENT_ID is unset, then it runs in local mode against the emulator with the local secrets', () => {
    const config = loadConfig({}, local);
    expect(config.mode).toBe('local');
    expect(config.hubspot).toStrictEqual({
      clientId: 'emu-cid',
      clientSecret: 'emu-secret',
      appId: 1234567,
      apiBaseUrl: 'http://127.0.0.1:4010',
      appBaseUrl: 'http://127.0.0.1:4010',
    });
    expect(config.tokenEncryptionKey.equals(Buffer.from(local.tokenEncryptionKey, 'base64'))).toBe(true);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when HUBSPOT_CLIENT_ID is set, then it runs in HubSpot mode with real HubSpot hosts by default', () => {
    const config = loadConfig(hubspotEnv());
    expect(config.mode).toBe('hubspot');
    expect(config.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(config.hubspot.appBaseUrl).toBe('https://app.hubspot.com');
    expect(config.port).toBe(3000);
  });

  it('when HubSpot mode lacks every secret, then one error names each missing variable', () => {
    const problems = problemsOf(() => loadConfig({ HUBSPOT_CLIENT_ID: 'cid' }));
    expect(problems).toStrictEqual([
      'HUBSPOT_CLIENT_SECRET is required in HubSpot mode',
      'TOKEN_ENCRYPTION_KEY is required in HubSpot mode',
      'ADMIN_API_KEY is required in HubSpot mode',
      'PUBLIC_BASE_URL is required in HubSpot mode',
    ]);
  });

  it('when the encryption key is not 32 bytes of base64 and DATABASE_URL is malformed, then both are named in one message', () => {
    const err = (() => {
      try {
        loadConfig({ ...hubspotEnv(), TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64'), DATABASE_URL: 'mysql://x' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL with a host; TOKEN_ENCRYPTION_KEY must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
    );
    expect(err.message).not.toContain('\n');
  });

  it('when PUBLIC_BASE_URL is plain http on a public host, then it is refused (http only for localhost)', () => {
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), PUBLIC_BASE_URL: 'http://switchboard.example.com' }))).toStrictEqual([
      'PUBLIC_BASE_URL must be an https URL (http only for localhost)',
    ]);
  });

  it('when VENDOR_DASHBOARD_URL is set, then it must be https (http only for localhost) and is kept as a template', () => {
    expect(loadConfig({ ...hubspotEnv(), VENDOR_DASHBOARD_URL: 'https://vendor.example.com/orgs/{organizationId}' }).vendorDashboardUrl).toBe('https://vendor.example.com/orgs/{organizationId}');
    expect(loadConfig(hubspotEnv()).vendorDashboardUrl).toBeUndefined();
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), VENDOR_DASHBOARD_URL: 'http://vendor.example.com' }))).toStrictEqual([
      'VENDOR_DASHBOARD_URL must be an https URL (http only for localhost)',
    ]);
  });

  it('when a number or enum is malformed, then the variable is named', () => {
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), PORT: 'eighty', LOG_LEVEL: 'loud' }))).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  it('when previous keys are given for rotation, then each must be a valid key', () => {
    const config = loadConfig({ ...hubspotEnv(), TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${key()}, ${key()}` });
    expect(config.previousTokenEncryptionKeys).toHaveLength(2);
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), TOKEN_ENCRYPTION_PREVIOUS_KEYS: 'short' }))).toStrictEqual([
      'each TOKEN_ENCRYPTION_PREVIOUS_KEYS entry must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
    ]);
  });

  it('when the HTTP timeouts are not set, then idle keep-alive sockets live 65 s (above a load balancer’s 60 s) and headers get 66 s; headers must outlast keep-alive', () => {
    expect(loadConfig(hubspotEnv()).http).toStrictEqual({ keepAliveTimeoutMs: 65_000, headersTimeoutMs: 66_000 });
    expect(loadConfig({ ...hubspotEnv(), HTTP_KEEP_ALIVE_TIMEOUT_MS: '350000', HTTP_HEADERS_TIMEOUT_MS: '351000' }).http).toStrictEqual({ keepAliveTimeoutMs: 350_000, headersTimeoutMs: 351_000 });
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000' }))).toStrictEqual(['HTTP_HEADERS_TIMEOUT_MS must be larger than HTTP_KEEP_ALIVE_TIMEOUT_MS']);
  });

  it('when the retentions are not set, then the event feed keeps 30 days and privacy-erasure records 3 years; each is a whole number of days up to 10 years', () => {
    const config = loadConfig(hubspotEnv());
    expect([config.eventsRetentionDays, config.privacyErasuresRetentionDays]).toStrictEqual([30, 1095]);
    expect(loadConfig({ ...hubspotEnv(), PRIVACY_ERASURES_RETENTION_DAYS: '2190' }).privacyErasuresRetentionDays).toBe(2190);
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), PRIVACY_ERASURES_RETENTION_DAYS: '0' }))).toEqual([expect.stringMatching(/^PRIVACY_ERASURES_RETENTION_DAYS: /)]);
    expect(problemsOf(() => loadConfig({ ...hubspotEnv(), PRIVACY_ERASURES_RETENTION_DAYS: '4000' }))).toEqual([expect.stringMatching(/^PRIVACY_ERASURES_RETENTION_DAYS: /)]);
  });
});
