import { register } from 'tsx/esm/api';

export default async function globalTeardown() {
  register();
  const { stopTestPostgres } = await import('./pg-teardown.ts');
  await stopTestPostgres();
}
