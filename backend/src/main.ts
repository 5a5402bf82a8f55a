import { loadDotEnv } from './platform/env-file.js';
import { configFromEnvOrExit, startBackend, stopOnSignals } from './server.js';

loadDotEnv();
// The only place that reads process.env (through configFromEnvOrExit).
const { config, log } = configFromEnvOrExit(process.env);
try {
  const running = await startBackend(config, log);
  stopOnSignals(running, log);
} catch (err) {
  log.fatal({ err }, 'failed to start');
  log.flush();
  process.exitCode = 1;
}
