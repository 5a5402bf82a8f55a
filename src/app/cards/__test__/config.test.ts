// The cards cannot read files at run time, so the origin they fall back to is a constant; these tests
// keep it, the settings page's copy, the production profile, permittedUrls.fetch and local.json in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { BACKEND_URL_VARIABLE, DEFAULT_BACKEND_ORIGIN, backendOrigin } from '../utils/config.js';
import { DEFAULT_BACKEND_ORIGIN as SETTINGS_DEFAULT_ORIGIN, backendOrigin as settingsBackendOrigin } from '../../settings/utils/api.js';

function readJson(pathFromSrcApp: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../${pathFromSrcApp}`, import.meta.url), 'utf8')) as unknown;
}

describe('DEFAULT_BACKEND_ORIGIN', () => {
  it('when compared with src/hsprofile.production.json, then it is the origin of BACKEND_URL', () => {
    const profile = readJson('../hsprofile.production.json') as { variables: Record<string, string> };
    expect(DEFAULT_BACKEND_ORIGIN).toBe(new URL(profile.variables[BACKEND_URL_VARIABLE] ?? '').origin);
    expect(SETTINGS_DEFAULT_ORIGIN).toBe(DEFAULT_BACKEND_ORIGIN);
  });

  it('when compared with app-hsmeta.json, then permittedUrls.fetch is the same profile variable', () => {
    const app = readJson('app-hsmeta.json') as { config: { permittedUrls: { fetch: string[] } } };
    expect(app.config.permittedUrls.fetch).toContain(`\${${BACKEND_URL_VARIABLE}}`);
  });

  it('when compared with src/app/local.json, then hs project dev proxies that origin to the local backend', () => {
    const local = readJson('local.json') as { proxy: Record<string, string> };
    expect(local.proxy).toStrictEqual({ [DEFAULT_BACKEND_ORIGIN]: 'http://localhost:3000' });
  });
});

describe('backendOrigin', () => {
  it.each([
    ['no variables', undefined, DEFAULT_BACKEND_ORIGIN],
    ['no BACKEND_URL', { OTHER: 'x' }, DEFAULT_BACKEND_ORIGIN],
    ['a non-string BACKEND_URL', { BACKEND_URL: 42 }, DEFAULT_BACKEND_ORIGIN],
    ['an unparsable BACKEND_URL', { BACKEND_URL: 'not a url' }, DEFAULT_BACKEND_ORIGIN],
    ['a non-HTTP BACKEND_URL', { BACKEND_URL: 'javascript:alert(1)' }, DEFAULT_BACKEND_ORIGIN],
    ['a BACKEND_URL with a path', { BACKEND_URL: 'https://staging.example.com/base/' }, 'https://staging.example.com'],
    ['the local profile', { BACKEND_URL: 'http://localhost:3000' }, 'http://localhost:3000'],
  ])('when given %s, then the cards and the settings page pick %#', (_name, variables, expected) => {
    expect(backendOrigin(variables)).toBe(expected);
    expect(settingsBackendOrigin(variables)).toBe(expected);
  });
});
