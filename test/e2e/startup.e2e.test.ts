import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnTs } from '../support/spawn.js';

const hubspotEnv = (dataDir: string) => ({
  HUBSPOT_CLIENT_ID: 'cid',
  HUBSPOT_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
  ADMIN_API_KEY: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://switchboard.example.com',
  DATA_DIR: dataDir,
  PORT: '0',
});

describe('backend start in HubSpot mode with a bad environment', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-start-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('when DATABASE_URL is malformed, then it exits 1 with one line naming it and starts nothing', async () => {
    const dataDir = tmp();
    const run = spawnTs('backend/src/main.ts', { ...hubspotEnv(dataDir), DATABASE_URL: 'not a url' });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim().split('\n')).toStrictEqual([
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL with a host',
    ]);
    expect(run.stdout()).toBe('');
    expect(fs.readdirSync(dataDir)).toStrictEqual([]);
  });

  it('when TOKEN_ENCRYPTION_KEY is not 32 bytes of base64, then it exits 1 naming it', async () => {
    const dataDir = tmp();
    const run = spawnTs('backend/src/main.ts', { ...hubspotEnv(dataDir), TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim().split('\n')).toStrictEqual([
      'Invalid configuration: TOKEN_ENCRYPTION_KEY must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
    ]);
    expect(fs.readdirSync(dataDir)).toStrictEqual([]);
  });

  it('when a secret is missing, then it exits 1 naming it', async () => {
    const dataDir = tmp();
    const env: Record<string, string | undefined> = { ...hubspotEnv(dataDir) };
    delete env.HUBSPOT_CLIENT_SECRET;
    const run = spawnTs('backend/src/main.ts', env);
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe('Invalid configuration: HUBSPOT_CLIENT_SECRET is required in HubSpot mode');
  });
});
