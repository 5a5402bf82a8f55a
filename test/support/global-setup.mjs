// Jest loads globalSetup outside its own module system (no moduleNameMapper, no ESM transform of
// imports), so the TypeScript setup is loaded through tsx's loader instead.
import { register } from 'tsx/esm/api';

export default async function globalSetup() {
  register();
  const { startTestPostgres } = await import('./pg-setup.ts');
  await startTestPostgres();
  const { cpuHogFromEnv, startCpuHog } = await import('./cpu-hog.ts');
  const hogs = cpuHogFromEnv(process.env);
  if (hogs > 0) {
    globalThis.__SWITCHBOARD_CPU_HOG__ = startCpuHog(hogs);
    console.log(`\nSWITCHBOARD_TEST_CPU_HOG: ${hogs} busy-loop processes run beside the tests`);
  }
}
