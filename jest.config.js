// Jest runs TypeScript as native ESM through @swc/jest (no type-check here: `npm run typecheck` does that).
// Tiers by filename: *.test.ts (unit), *.int.test.ts (integration), *.e2e.test.ts (end to end),
// src/app/**/__test__/*.test.tsx (cards). One Postgres server per run, one database per test file.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // `hs project dev` installs the cards' own dependencies into src/app/*/node_modules; tests must
    // still see exactly one React (two copies break hooks).
    '^react$': '<rootDir>/node_modules/react',
    '^react/(.*)$': '<rootDir>/node_modules/react/$1',
  },
  testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/.data/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  // After every test file: no captured log line or child-process output holds a secret.
  // After every test file: every request the backend sent an emulator matches HubSpot's API reference.
  setupFilesAfterEnv: ['<rootDir>/test/support/redaction-check.ts', '<rootDir>/test/support/conformance-check.ts'],
  testTimeout: 30_000,
  maxWorkers: 2,
};
