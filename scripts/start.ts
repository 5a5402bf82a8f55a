// `npm start`: the whole product on one machine. In local mode (no HUBSPOT_CLIENT_ID) it starts the
// HubSpot emulator first and points the backend at it; in HubSpot mode it starts the backend alone.
import { createEmulator, type Emulator } from '../emulator/src/emulator.js';
import { moduleLogger } from '../backend/src/platform/logger.js';
import { configFromEnvOrExit, startBackend, stopOnSignals } from '../backend/src/server.js';
import { loadDotEnv } from '../backend/src/platform/env-file.js';

loadDotEnv();
const { config, log } = configFromEnvOrExit(process.env);
const mainLog = moduleLogger(log, 'main');

let emulator: Emulator | undefined;
if (config.mode === 'local') {
  emulator = await createEmulator({
    port: config.emulator.port,
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    ...(config.hubspot.appId !== undefined ? { appId: config.hubspot.appId } : {}),
    // The manifests' ${BACKEND_URL} becomes this backend, so webhooks, workflow actions and the
    // OAuth redirect all reach it.
    backendUrl: config.publicBaseUrl,
    warn: (message) => mainLog.warn({ component: 'emulator' }, message),
    // Saved under DATA_DIR so a restart continues where it stopped (POST /_emulator/reset starts clean).
    dataDir: config.dataDir,
  });
  mainLog.info({ url: emulator.url }, 'HubSpot emulator started (local mode)');
}

try {
  const backend = await startBackend(config, log);
  // The emulator stops after the backend: HubSpot calls still in flight are answered while it drains.
  stopOnSignals(
    {
      stop: async () => {
        await backend.stop();
        await emulator?.stop();
      },
      forceStop: backend.forceStop,
    },
    log,
  );
  if (config.mode === 'local') {
    console.log(
      [
        '',
        `Switchboard is running in local mode.`,
        `  backend     ${config.publicBaseUrl}   (GET /readyz)`,
        `  emulator    ${emulator?.url}   (HubSpot stand-in; control API under /_emulator)`,
        `  app card    ${emulator?.url}/_emulator/ui/tickets/1002   (preview of the real card; /_emulator/ui lists records)`,
        `  settings    ${emulator?.url}/_emulator/ui/settings`,
        `  admin key   in ${config.dataDir}/local-secrets.json (adminApiKey)`,
        `  next        npx switchboard demo   (in another terminal; API reference at ${config.publicBaseUrl}/docs/api)`,
        '',
      ].join('\n'),
    );
  }
} catch (err) {
  mainLog.fatal({ err }, 'failed to start');
  await emulator?.stop();
  log.flush();
  process.exit(1);
}
