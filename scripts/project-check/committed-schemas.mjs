// Stand-in for @hubspot/project-parsing-lib's src/lib/schemas.js. PPL's own version downloads the component
// schemas from HubSpot with an authenticated CLI account, so `hs project validate` cannot run offline or in CI.
// This module answers the same call from the JSON schemas committed under schemas/hubspot/<platformVersion>/.
// Those are written from our reference, not copied from HubSpot: HubSpot's server schema stays the authority,
// so run a real `hs project validate` before release.
// Plain JavaScript on purpose: the module hook (schema-hooks.mjs) must also work under plain `node` and the real
// `hs` CLI, where nothing compiles TypeScript.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapToInternalType } from '@hubspot/project-parsing-lib/transform';

/** Folder holding one sub-folder of component schemas per platform version. */
export const SCHEMA_ROOT = fileURLToPath(new URL('../../schemas/hubspot/', import.meta.url));

/**
 * Reads `<schemaRoot>/<platformVersion>/<type>.json` into the map PPL validates against: internal type → schema.
 * The file name is the user-facing type (`app`, `workflow-action`, …); PPL's own `mapToInternalType` turns it into
 * the key it looks up (`APPLICATION`, `WORKFLOW_ACTION`, …), so the two can never drift apart.
 * @param {string} platformVersion e.g. "2025.2"
 * @param {string} [schemaRoot] defaults to SCHEMA_ROOT
 * @returns {Record<string, object>}
 * @throws {Error} when no schemas are committed for that platform version
 */
export function loadCommittedSchemas(platformVersion, schemaRoot = SCHEMA_ROOT) {
  const dir = path.join(schemaRoot, platformVersion);
  if (!/^[\w.-]+$/.test(platformVersion) || !fs.existsSync(dir)) {
    throw new Error(
      `No committed HubSpot component schemas for platformVersion ${platformVersion}: expected ${path.relative(process.cwd(), dir) || dir}/*.json`,
    );
  }
  const schemas = {};
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    schemas[mapToInternalType(path.basename(file, '.json'))] = JSON.parse(text);
  }
  return schemas;
}

/**
 * Same contract as PPL's network `getIntermediateRepresentationSchema`, answered from the committed files.
 * @param {{ platformVersion: string }} translationContext
 * @returns {Promise<Record<string, object>>}
 */
export async function getIntermediateRepresentationSchema(translationContext) {
  return loadCommittedSchemas(translationContext.platformVersion);
}
