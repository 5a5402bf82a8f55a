import { createRequire } from 'node:module';
import path from 'node:path';
import { jest } from '@jest/globals';
import type * as ProjectCheck from '../../../scripts/project-check/check.js';

const require = createRequire(import.meta.url);

/**
 * Absolute path of PPL's internal schema-fetch module, found next to its public `schema` export so hoisting does
 * not matter. It is the one third-party file the check replaces.
 */
export const PPL_SCHEMAS_MODULE = path.join(path.dirname(require.resolve('@hubspot/project-parsing-lib/schema')), '../lib/schemas.js');

/**
 * Loads scripts/project-check/check.ts with PPL's network schema fetch replaced by the committed schemas.
 * Jest loads ESM through its own vm loader, which Node's module hooks (schema-hooks.mjs, used by the CLI) never see,
 * so here the same replacement module is swapped in with `jest.unstable_mockModule`. Only this third-party network
 * module is replaced; none of our own modules are mocked. Call it before anything imports PPL.
 */
export async function loadProjectCheck(): Promise<typeof ProjectCheck> {
  // Imported up front so the factory can stay synchronous: Jest 30 fails with "Module status must not be unlinked
  // or linking" when a factory returns an import(). committed-schemas.mjs loads PPL's transform, not its schemas.js.
  const committed = await import('../../../scripts/project-check/committed-schemas.mjs');
  jest.unstable_mockModule(PPL_SCHEMAS_MODULE, () => ({
    getIntermediateRepresentationSchema: committed.getIntermediateRepresentationSchema,
  }));
  return import('../../../scripts/project-check/check.js');
}
