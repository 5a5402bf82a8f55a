// Runs HubSpot's own local fetch proxy in a child process: `AppProxyService` of
// `@hubspot/ui-extensions-dev-server`, which `hs project dev` serves (dist/lib/server.js mounts it under
// /api/crm-extensibility/execution/internal/v3 whenever local.json has a proxy mapping), with the
// mapping read by HubSpot's own `loadLocalConfig` from src/app/local.json.
//
// A child process because the package's error reporter initialises Sentry and installs process-wide
// uncaughtException/unhandledRejection handlers that exit the process: acceptable for a dev server,
// not inside a Jest worker.
//
// Environment: CLIENT_SECRET (read by HubSpot's signing.js, as under `hs project dev`), LOCAL_TARGET
// (the test backend's origin: local.json's targets keep their path but point at this port),
// ACCOUNT_ID, ALLOWED_URLS (JSON array). Prints one JSON line `{ "listening": url, "mapping": {...} }`.
import express from 'express';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

// The package's `exports` only expose its dev-mode entry points; the proxy and config modules are
// loaded from its dist folder, next to the resolved entry.
const entry = import.meta.resolve('@hubspot/ui-extensions-dev-server');
const { AppProxyService } = (await import(new URL('./lib/proxy/AppProxyService.js', entry).href)) as {
  AppProxyService: (config: { localDevUrlMapping: Record<string, string>; logger: Logger; accountId: number; allowedUrls: string[] }) => express.Express;
};
const { loadLocalConfig } = (await import(new URL('./lib/config.js', entry).href)) as {
  loadLocalConfig: (appPath: string, logger: Logger) => { proxy?: Record<string, string> } | undefined;
};

type Logger = Pick<typeof console, 'debug' | 'info' | 'warn' | 'error'>;
const log = (level: string) => (...args: unknown[]) => process.stderr.write(`[dev-proxy ${level}] ${args.map(String).join(' ')}\n`);
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

const appPath = path.resolve(import.meta.dirname, '../../../src/app');
const local = loadLocalConfig(appPath, logger);
if (!local?.proxy || Object.keys(local.proxy).length === 0) throw new Error(`no proxy mapping in ${appPath}/local.json`);
const target = new URL(process.env.LOCAL_TARGET ?? '');
const mapping = Object.fromEntries(
  Object.entries(local.proxy).map(([origin, to]) => {
    const url = new URL(to);
    url.protocol = target.protocol;
    url.host = target.host;
    return [origin, url.pathname === '/' && !to.endsWith('/') ? url.origin : url.href];
  }),
);

const app = express();
app.use(
  '/api/crm-extensibility/execution/internal/v3',
  AppProxyService({ localDevUrlMapping: mapping, logger, accountId: Number(process.env.ACCOUNT_ID), allowedUrls: JSON.parse(process.env.ALLOWED_URLS ?? '[]') as string[] }),
);
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ listening: `http://127.0.0.1:${port}`, mapping, localJson: local.proxy })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
