// `npm run emulator`: the emulator on its own for local development. Configuration comes from the
// environment (only this file reads process.env); missing credentials are generated and printed so the
// backend can be pointed at them.
import { existsSync } from 'node:fs';
import { createEmulator } from './emulator.js';

// Node's own .env support; variables set in the real environment win over the file.
if (existsSync('.env')) process.loadEnvFile('.env');
const env = process.env;
const port = Number(env.EMULATOR_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`EMULATOR_PORT must be a port number, got ${env.EMULATOR_PORT}`);
  process.exit(1);
}
const appId = env.EMULATOR_APP_ID === undefined ? undefined : Number(env.EMULATOR_APP_ID);
if (appId !== undefined && !Number.isSafeInteger(appId)) {
  console.error(`EMULATOR_APP_ID must be a number, got ${env.EMULATOR_APP_ID}`);
  process.exit(1);
}
const redirectUrls = (env.EMULATOR_REDIRECT_URLS ?? '')
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u !== '');

const emulator = await createEmulator({
  port,
  ...(env.EMULATOR_CLIENT_ID ? { clientId: env.EMULATOR_CLIENT_ID } : {}),
  ...(env.EMULATOR_CLIENT_SECRET ? { clientSecret: env.EMULATOR_CLIENT_SECRET } : {}),
  ...(appId !== undefined ? { appId } : {}),
  ...(env.EMULATOR_DEVELOPER_API_KEY ? { developerApiKey: env.EMULATOR_DEVELOPER_API_KEY } : {}),
  ...(env.EMULATOR_BACKEND_URL ? { backendUrl: env.EMULATOR_BACKEND_URL } : {}),
  redirectUrls,
  // Unset: the state lives in memory and a restart starts from the demo portal.
  ...(env.EMULATOR_DATA_DIR ? { dataDir: env.EMULATOR_DATA_DIR } : {}),
});

const { app } = emulator;
console.log(`HubSpot emulator listening on ${emulator.url}`);
console.log(`  app id        ${app.appId}${env.EMULATOR_APP_ID ? '' : ' (generated)'}`);
console.log(`  client id     ${app.clientId}${env.EMULATOR_CLIENT_ID ? '' : ' (generated)'}`);
console.log(`  client secret ${env.EMULATOR_CLIENT_SECRET ? '(from EMULATOR_CLIENT_SECRET)' : `${app.clientSecret} (generated)`}`);
console.log(`  developer key ${env.EMULATOR_DEVELOPER_API_KEY ? '(from EMULATOR_DEVELOPER_API_KEY)' : `${app.developerApiKey} (generated)`}`);
console.log(`  redirect URLs ${app.redirectUrls.join(', ')}`);
console.log(`  install URL   ${emulator.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(app.redirectUrls[0] ?? '')}&scope=${encodeURIComponent(app.requiredScopes.join(' '))}`);
console.log(`  control API   ${emulator.url}/_emulator/health`);
console.log(`  state         ${env.EMULATOR_DATA_DIR ? `saved under ${env.EMULATOR_DATA_DIR}` : 'in memory (set EMULATOR_DATA_DIR to keep it across restarts)'}`);

let shuttingDown = false;
const shutdown = (signal: string) => {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal}: stopping the emulator`);
  emulator.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('emulator did not stop cleanly', error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
