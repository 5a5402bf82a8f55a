// Jest loads globalSetup outside its own module system (no moduleNameMapper, no ESM transform of
// imports), so the TypeScript setup is loaded through tsx's loader instead.
import { register } from 'tsx/esm/api';

export default async function globalSetup() {
  register();
  const { startTestPostgres } = await import('./pg-setup.ts');
  await startTestPostgres();
}
