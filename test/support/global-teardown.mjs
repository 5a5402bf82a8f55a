import { register } from 'tsx/esm/api';

export default async function globalTeardown() {
  globalThis.__SWITCHBOARD_CPU_HOG__?.();
  register();
  const { stopTestPostgres } = await import('./pg-teardown.ts');
  await stopTestPostgres();
}
