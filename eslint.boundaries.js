// The dependency rules of the code base, checked by eslint-plugin-import-x's no-restricted-paths on
// every import after resolving it to a file (TypeScript's resolution: `./x.js` is `./x.ts`).
// test/contract/lint-boundaries.test.ts proves each rule fails on a deliberate violation.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';

const root = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(join(root, 'backend/src/modules'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// HubSpot API hosts, as they would appear in a URL built outside hubspot/.
const HUBSPOT_API_HOST = /hubapi\.com|api\.hubspot\.com/;

/** Import zones: files matching `target` must not import files under `from`. */
const zones = [
  {
    target: './backend/src/platform',
    from: ['./backend/src/modules', './backend/src/hubspot'],
    message: 'platform/ is the base every module builds on: it imports no feature module and no HubSpot client.',
  },
  {
    target: './backend',
    from: './emulator',
    message: 'The backend never imports the emulator (they talk over HTTP, like with HubSpot); only tests and scripts use both.',
  },
  {
    target: './emulator',
    from: './backend',
    message: 'The emulator never imports the backend: it stands for HubSpot, which knows nothing of us.',
  },
  // A module reads and writes its own tables only; another module's data comes through that
  // module's service (declared in the reader's ports).
  ...modules.map((name) => ({
    target: `./backend/src/modules/${name}/**`,
    from: [`./backend/src/modules/!(${name})/**/*.repository.ts`, `./backend/src/modules/!(${name})/**/*.table.ts`],
    message: `A module never imports another module's repository or table; ask that module's service (${name}.ports.ts).`,
  })),
];

/** Flat-config blocks for the dependency rules (production code; tests may cross layers). */
export const boundaries = [
  {
    files: ['backend/**/*.ts', 'emulator/**/*.ts', 'emulator/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: join(root, 'tsconfig.json') })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
    },
  },
  {
    files: ['backend/**/*.ts'],
    ignores: ['**/*.test.ts', 'backend/src/hubspot/**', 'backend/src/config.ts'],
    rules: {
      // A request to HubSpot outside hubspot/ would skip its rate budget, retries and token refresh.
      // config.ts holds the one default base URL that hubspot/ clients are given.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@hubspot/api-client', message: 'Only backend/src/hubspot/ talks to HubSpot; use its clients.' }],
          patterns: [{ group: ['@hubspot/api-client/*'], message: 'Only backend/src/hubspot/ talks to HubSpot; use its clients.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${HUBSPOT_API_HOST}]`, message: 'Only backend/src/hubspot/ talks to HubSpot; no HubSpot API URL outside it.' },
        { selector: `TemplateElement[value.raw=${HUBSPOT_API_HOST}]`, message: 'Only backend/src/hubspot/ talks to HubSpot; no HubSpot API URL outside it.' },
      ],
    },
  },
];
