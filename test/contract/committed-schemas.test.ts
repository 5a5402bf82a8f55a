// The committed HubSpot component schemas: the map PPL receives, and schemas free of typos that PPL's lenient
// Ajv (strict: false) would silently ignore.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
import { createAjvInstance } from '@hubspot/project-parsing-lib/validation';
import { mapToInternalType } from '@hubspot/project-parsing-lib/transform';
import { loadCommittedSchemas, SCHEMA_ROOT } from '../../scripts/project-check/committed-schemas.mjs';
import { checkProject, SCHEMA_SOURCE_NOT_REPLACED } from '../../scripts/project-check/check.js';
import { REPO_ROOT } from './helpers/project-copy.js';

type AjvLike = { compile(schema: object): unknown };
type AjvConstructor = new (options: Record<string, unknown>) => AjvLike;

describe('loadCommittedSchemas', () => {
  test('when platform 2026.03 is loaded, then it maps each internal type PPL looks up to its schema', () => {
    const schemas = loadCommittedSchemas('2026.03');

    expect(Object.keys(schemas).sort()).toStrictEqual(['APPLICATION', 'CARD', 'SETTINGS', 'WEBHOOKS', 'WORKFLOW_ACTION']);
    expect(['app', 'workflow-action', 'webhooks', 'card', 'settings'].map(mapToInternalType).sort()).toStrictEqual(Object.keys(schemas).sort());
  });

  test('when hsproject.json names its platformVersion, then it is 2026.03, PPL knows it, and its schemas are committed', () => {
    const { platformVersion } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'hsproject.json'), 'utf8')) as { platformVersion: string };

    expect(platformVersion).toBe('2026.03');
    expect(isKnownPlatformVersion(platformVersion)).toBe(true);
    expect(fs.readdirSync(path.join(SCHEMA_ROOT, platformVersion)).sort()).toStrictEqual(
      ['app.json', 'card.json', 'settings.json', 'webhooks.json', 'workflow-action.json'],
    );
  });

  test('when a platform version has no committed schemas, then it says which folder it expected', () => {
    expect(() => loadCommittedSchemas('2026.09', SCHEMA_ROOT)).toThrow(
      /^No committed HubSpot component schemas for platformVersion 2026\.09: expected .*schemas\/hubspot\/2026\.09\/\*\.json$/,
    );
  });

  test.each(Object.entries(loadCommittedSchemas('2026.03')))('when %s is compiled by a strict Ajv 2020, then it has no unknown keyword', (_type, schema) => {
    // PPL's own instance runs with strict: false; the same Ajv class in strict mode rejects misspelled keywords and
    // properties without "type": "object". Formats are PPL's (ajv-formats), so they are not checked here.
    const Ajv = createAjvInstance().constructor as AjvConstructor;
    const strict = new Ajv({ strict: true, allErrors: true, validateFormats: false });

    expect(() => strict.compile(schema)).not.toThrow();
  });
});

describe('checkProject without the schema replacement', () => {
  test('when PPL still has its network schema fetch, then it refuses to run instead of reporting auth errors', async () => {
    // This file loads PPL unmodified (no hook, no unstable_mockModule).
    await expect(checkProject({ projectDir: REPO_ROOT })).rejects.toThrow(SCHEMA_SOURCE_NOT_REPLACED);
  });
});
