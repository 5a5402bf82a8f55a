// The dependency rules (eslint.boundaries.js) on the project's real ESLint config: each rule fails on
// a deliberate violation written at a path inside the layer it guards, and the allowed neighbours
// of each violation pass, so a rule that stopped resolving imports cannot pass unnoticed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BOUNDARY_RULES = new Set(['import-x/no-restricted-paths', 'no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
// Loading the config, the parser and the import resolver takes seconds on a busy machine: once, here.
beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT });
  await eslint.lintText('export {};\n', { filePath: path.join(ROOT, 'backend/src/platform/boundary-probe.ts') });
}, 120_000);

/** The boundary findings for `code` linted as if it were the file at `file` (repo-relative). */
async function boundaryErrors(file: string, code: string): Promise<{ rule: string; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => ({ rule: m.ruleId!, message: m.message }));
}

const use = (name: string) => `\nexport const used = ${name};\n`;

describe('dependency rules', () => {
  it('when platform/ imports a feature module or the HubSpot clients, then lint fails; platform importing platform passes', async () => {
    const file = 'backend/src/platform/boundary-probe.ts';
    expect(await boundaryErrors(file, `import { createTokensService } from '../modules/tokens/tokens.service.js';${use('createTokensService')}`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining('platform/ is the base every module builds on') },
    ]);
    expect(await boundaryErrors(file, `import { upstreamError } from '../hubspot/http.js';${use('upstreamError')}`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining('platform/ is the base every module builds on') },
    ]);
    expect(await boundaryErrors(file, `import { AppError } from './errors.js';${use('AppError')}`)).toStrictEqual([]);
  });

  it("when a module imports another module's repository or table, then lint fails; its own, and the schema assembling every table, pass", async () => {
    const file = 'backend/src/modules/connect-page/boundary-probe.ts';
    expect(await boundaryErrors(file, `import * as repo from '../tokens/tokens.repository.js';${use('repo')}`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining("never imports another module's repository or table") },
    ]);
    expect(await boundaryErrors(file, `import type { HubSpotTokensTable } from '../tokens/tokens.table.js';\nexport type T = HubSpotTokensTable;\n`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining("never imports another module's repository or table") },
    ]);
    const own = 'backend/src/modules/connections/boundary-probe.ts';
    expect(await boundaryErrors(own, `import * as repo from './connections.repository.js';\nimport type { ConnectionsTable } from './connections.table.js';${use('repo')}export type T = ConnectionsTable;\n`)).toStrictEqual([]);
    expect(await boundaryErrors('backend/src/db/schema-probe.ts', `import type { HubSpotTokensTable } from '../modules/tokens/tokens.table.js';\nexport type T = HubSpotTokensTable;\n`)).toStrictEqual([]);
  });

  it('when code outside backend/src/hubspot/ imports the HubSpot SDK or builds a HubSpot API URL, then lint fails; inside hubspot/ it passes', async () => {
    const file = 'backend/src/modules/proxy/boundary-probe.ts';
    expect(await boundaryErrors(file, `import { Client } from '@hubspot/api-client';${use('Client')}`)).toStrictEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('Only backend/src/hubspot/ talks to HubSpot') },
    ]);
    expect(await boundaryErrors(file, `import type { SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';\nexport type T = SimplePublicObject;\n`)).toStrictEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('Only backend/src/hubspot/ talks to HubSpot') },
    ]);
    expect(await boundaryErrors(file, `export const get = (id: string) => fetch(\`https://api.hubapi.com/crm/v3/objects/contacts/\${id}\`);\n`)).toStrictEqual([
      { rule: 'no-restricted-syntax', message: expect.stringContaining('no HubSpot API URL outside it') },
    ]);
    expect(await boundaryErrors(file, `export const base = 'https://api.hubapi.com';\n`)).toStrictEqual([
      { rule: 'no-restricted-syntax', message: expect.stringContaining('no HubSpot API URL outside it') },
    ]);
    expect(await boundaryErrors('backend/src/hubspot/boundary-probe.ts', `import { Client } from '@hubspot/api-client';\nexport const base = 'https://api.hubapi.com';${use('Client')}`)).toStrictEqual([]);
  });

  it('when the backend imports the emulator or the emulator imports the backend, then lint fails; tests may import both', async () => {
    expect(await boundaryErrors('backend/src/modules/health/boundary-probe.ts', `import { createEmulator } from '../../../../emulator/src/emulator.js';${use('createEmulator')}`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining('The backend never imports the emulator') },
    ]);
    expect(await boundaryErrors('emulator/src/crm/boundary-probe.ts', `import { AppError } from '../../../backend/src/platform/errors.js';${use('AppError')}`)).toStrictEqual([
      { rule: 'import-x/no-restricted-paths', message: expect.stringContaining('The emulator never imports the backend') },
    ]);
    const both = `import { createEmulator } from '../../emulator/src/emulator.js';\nimport { AppError } from '../../backend/src/platform/errors.js';${use('[createEmulator, AppError]')}`;
    expect(await boundaryErrors('test/e2e/boundary-probe.test.ts', both)).toStrictEqual([]);
  });
});
