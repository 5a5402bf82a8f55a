import crypto from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

const env = (extra: Record<string, string> = {}) => ({
  HUBSPOT_CLIENT_ID: 'cid',
  HUBSPOT_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
  ADMIN_API_KEY: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://switchboard.example.com',
  ...extra,
});

describe('loadConfig (budget, pools, process counts)', () => {
  it('when nothing is set, then HubSpot\'s 110 calls per 10 s with 10 kept for interactive calls, pools of 10 and 5, 2 web + 1 worker', () => {
    const config = loadConfig(env());
    expect(config.hubspotBudget).toStrictEqual({ maxCalls: 110, windowMs: 10_000, interactiveReserve: 10, marginMs: 250 });
    expect(config.hubspotCalls).toStrictEqual({ timeoutMs: 10_000, maxAttempts: 3, interactiveDeadlineMs: 10_000 });
    expect(config.databasePool).toStrictEqual({ max: 10, jobsMax: 5 });
    expect(config.cluster).toStrictEqual({ webProcesses: 2, workerProcesses: 1 });
  });

  it('when the budget is scaled down for a test, then the numbers are taken as given', () => {
    const config = loadConfig(env({ HUBSPOT_BUDGET_MAX_CALLS: '20', HUBSPOT_BUDGET_WINDOW_MS: '1000', HUBSPOT_BUDGET_INTERACTIVE_RESERVE: '4', HUBSPOT_BUDGET_MARGIN_MS: '0' }));
    expect(config.hubspotBudget).toStrictEqual({ maxCalls: 20, windowMs: 1_000, interactiveReserve: 4, marginMs: 0 });
  });

  it('when the reserve leaves bulk nothing, or no process would run, then one error names each', () => {
    let problems: string[] = [];
    try {
      loadConfig(env({ HUBSPOT_BUDGET_MAX_CALLS: '10', HUBSPOT_BUDGET_INTERACTIVE_RESERVE: '10', SWITCHBOARD_WEB_PROCESSES: '0', SWITCHBOARD_WORKER_PROCESSES: '0' }));
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toStrictEqual([
      'HUBSPOT_BUDGET_INTERACTIVE_RESERVE must be smaller than HUBSPOT_BUDGET_MAX_CALLS',
      'SWITCHBOARD_WEB_PROCESSES and SWITCHBOARD_WORKER_PROCESSES cannot both be 0',
    ]);
  });

  it('when a number is out of range, then the variable is named', () => {
    expect(() => loadConfig(env({ HUBSPOT_MAX_ATTEMPTS: '0' }))).toThrow(/HUBSPOT_MAX_ATTEMPTS/);
    expect(() => loadConfig(env({ DATABASE_POOL_MAX: '1' }))).toThrow(/DATABASE_POOL_MAX/);
  });
});
