import fs from 'node:fs';

/** Stops the run's embedded Postgres and removes its temp folder. */
export async function stopTestPostgres(): Promise<void> {
  const state = globalThis.__SWITCHBOARD_PG__;
  await state?.embedded?.stop();
  if (state?.tmpDir) fs.rmSync(state.tmpDir, { recursive: true, force: true });
}
