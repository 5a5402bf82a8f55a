// createEmulator: one in-process HubSpot on a real port. It reads the project's manifests, builds the
// state, OAuth, CRM API, rate limiter, control API, webhook sender and workflow engine, and listens on
// 127.0.0.1. Each test file starts its own instance on port 0, so nothing is shared.
import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createControlRouter } from './control/router.js';
import { createControlErrorMiddleware } from './control/errors.js';
import { createConformanceRecorder, type ConformanceRecorder } from './conformance/recorder.js';
import { createHubSpotApiRouter } from './crm/router.js';
import { createGuard } from './crm/guard.js';
import { createCustomChannelsApiRouter } from './custom-channels/api.routes.js';
import { channelControlErrors, createChannelControlRouter } from './custom-channels/control.routes.js';
import { createInboxPageRouter } from './custom-channels/inbox-page.routes.js';
import { forwardThreadMessage } from './custom-channels/inbox.js';
import { createChannelFaults } from './custom-channels/deps.js';
import { createChannelWebhooks, type ChannelWebhooks } from './custom-channels/webhooks.js';
import { createFaults, type Faults } from './faults.js';
import { createErrorMiddleware } from './http/errors.js';
import { unknownRoute } from './http/unknown-route.js';
import type { OAuthApp } from './oauth/authorize-request.js';
import { createAuthorizeRouter } from './oauth/authorize.routes.js';
import { createTokenInfoRouter } from './oauth/token-info.routes.js';
import { createTokenRouter } from './oauth/token.routes.js';
import { repoSrcDir, resolveOptions, type EmulatorOptions } from './options.js';
import { createStateSaver, loadSavedState, STATE_FILE_NAME, type StateSaver } from './persistence.js';
import { createRateLimiter } from './rate-limit.js';
import { createSettingsStore, type SettingsStore } from './settings.js';
import { createState, findObject, logRequest, type EmulatorState, type Message, type ObjectType } from './state.js';
import { SAVED_STATE_VERSION } from './state/saved.js';
import { createClock, type EmulatorClock } from './support/clock.js';
import { createUniqueIds } from './support/ids.js';
import { createUiFetch } from './ui-fetch/router.js';
import { createUiPreviewRouter } from './ui-preview/router.js';
import { createWebhookControlRouter, createWebhookSender, type WebhookSender } from './webhooks/sender.js';
import { createWorkflowControlRouter, createWorkflowEngine, type WorkflowEngine } from './workflows/engine.js';

export type { EmulatorOptions } from './options.js';

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:53412`: use it as the HubSpot API and app base URL. */
  url: string;
  port: number;
  state: EmulatorState;
  /** The emulated app's credentials, scopes and redirect URLs. */
  app: OAuthApp;
  settings: SettingsStore;
  clock: EmulatorClock;
  faults: Faults;
  /** Present when the project has a webhooks manifest and delivery is on. */
  sender?: WebhookSender;
  engine: WorkflowEngine;
  /** Delivery of custom channel events to the channels' webhook URLs. */
  channelWebhooks: ChannelWebhooks;
  /** What the backend sent that HubSpot's API reference does not define (checked by the test suite). */
  conformance: ConformanceRecorder;
  /** Stops listening, ends open connections and stops the webhook sender and workflow engine. */
  stop(): Promise<void>;
}

// Object types of workflow-action requests (upper case or type id) → emulated types.
const workflowObjectTypes: Record<string, ObjectType> = { TICKET: 'tickets', '0-5': 'tickets', CONTACT: 'contacts', '0-1': 'contacts' };

/**
 * Starts an emulator.
 * @param opts see {@link EmulatorOptions}
 * @returns the running emulator
 * @throws Error when the project's manifests cannot be read or the port is taken
 */
export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(opts);
  const { app, manifests, warn } = resolved;
  const clock = createClock(resolved.now);
  const settings = createSettingsStore(resolved.settings);
  const faults = createFaults();
  const limiter = createRateLimiter({ now: clock.now, settings: () => settings.get().rateLimit });
  const stopping = new AbortController();
  const outbound = { clientSecret: app.clientSecret, appId: app.appId, now: clock.now, timeScale: resolved.timeScale };

  const stateFile = resolved.dataDir === undefined ? undefined : path.join(resolved.dataDir, STATE_FILE_NAME);
  const saved = stateFile === undefined ? undefined : loadSavedState(stateFile, warn);
  const unique = createUniqueIds(saved?.uniqueNext);

  const webhooks = manifests.webhooks;
  const sender = webhooks && resolved.webhooks ? createWebhookSender({ ...outbound, ...webhooks, nextId: unique.next }) : undefined;
  const state = createState({
    appId: app.appId,
    now: clock.now,
    settings: settings.get,
    onChange: (change) => sender?.publish(change),
    unique,
    ...(saved ? { saved } : {}),
  });
  const engine = createWorkflowEngine({
    ...outbound,
    nextId: unique.next,
    // The engine multiplies its timeout by timeScale; a real-time timeout is divided back out here.
    ...(resolved.workflowActionTimeoutMs !== undefined ? { timeoutMs: resolved.workflowActionTimeoutMs / resolved.timeScale } : {}),
    actions: manifests.workflowActions,
    ...(manifests.developerPortalId !== undefined ? { developerPortalId: manifests.developerPortalId } : {}),
    getObject(portalId, objectType, objectId, properties) {
      const type = workflowObjectTypes[objectType.toUpperCase()];
      const object = type ? findObject(state.ctx, portalId, type, objectId) : undefined;
      if (!object) return undefined;
      return Object.fromEntries(properties.flatMap((p) => (object.properties[p] !== undefined ? [[p, object.properties[p]]] : [])));
    },
  });

  const channelWebhooks = createChannelWebhooks({ clientSecret: app.clientSecret, now: clock.now, timeScale: resolved.timeScale });
  const channelFaults = createChannelFaults();
  const channelDeps = { state, appId: app.appId, webhooks: channelWebhooks, faults: channelFaults };

  if (saved) engine.importExecutions(saved.executions);
  const saver: StateSaver | undefined =
    stateFile === undefined
      ? undefined
      : createStateSaver({
          file: stateFile,
          warn,
          snapshot: () => ({ version: SAVED_STATE_VERSION, savedAt: new Date().toISOString(), ...state.exportSaved(), uniqueNext: unique.peek(), executions: engine.exportExecutions() }),
        });

  const resetAll = () => {
    clock.reset();
    settings.reset();
    faults.reset();
    limiter.reset();
    state.reset();
    sender?.reset();
    engine.reset();
    channelWebhooks.reset();
    channelFaults.reset();
    // The saved state is replaced by the fresh one at once (the unique counter carries on).
    saver?.saveNow();
  };

  let url = 'http://127.0.0.1:(starting)';
  const conformance = createConformanceRecorder({ warn, url: () => url });
  const server = express();
  server.disable('x-powered-by');
  // HubSpot sends no ETags; Express's would turn repeated GETs into 304s that the SDK cannot parse.
  server.disable('etag');
  // Browsers ask every page's origin for an icon; answering keeps the unknown-route warning for real misses
  // (and, registered first, it stays out of the request log of HubSpot API calls).
  server.get('/favicon.ico', (_req, res) => {
    res.status(204).set('Cache-Control', 'public, max-age=86400').end();
  });
  // Any request may change the state (API calls, control calls, callbacks); the saver debounces.
  if (saver) {
    server.use((_req, res, next) => {
      res.on('finish', () => saver.schedule());
      next();
    });
  }
  server.use((req, res, next) => {
    if (req.path.startsWith('/_emulator')) return next();
    const started = Date.now();
    // Read now: mounted routers rewrite req.url while they handle the request.
    const { method, path } = req;
    res.on('finish', () => {
      const portalId = typeof res.locals.portalId === 'number' ? res.locals.portalId : null;
      logRequest(state.ctx, { method, path, portalId, status: res.statusCode, at: clock.now(), durationMs: Date.now() - started });
    });
    next();
  });
  server.use(conformance.middleware);
  // The outbound routers parse their own bodies, so they come before the control router's JSON parser.
  if (sender) server.use(createWebhookControlRouter(sender));
  server.use(createWorkflowControlRouter(engine));
  const uiFetch = createUiFetch({ clientSecret: app.clientSecret, appId: app.appId, permittedFetch: manifests.app.permittedFetch, now: clock.now });
  server.use(uiFetch.router);
  server.use(createUiPreviewRouter({ state, proxy: uiFetch.proxy, app, srcDir: opts.srcDir ?? repoSrcDir, variables: manifests.variables }));
  server.use('/_emulator', createChannelControlRouter(channelDeps), createInboxPageRouter(channelDeps), channelControlErrors, createControlErrorMiddleware(warn));
  server.use('/_emulator', createControlRouter({ state, settings, faults, limiter, clock, app, resetAll }), createControlErrorMiddleware(warn));
  server.use(createAuthorizeRouter({ state, app }));
  server.use(createTokenRouter({ state, app, faults, signal: stopping.signal }));
  server.use(createTokenInfoRouter({ state, app }));
  const apiDeps = { state, limiter, faults, appId: app.appId, signal: stopping.signal, engine, onThreadMessage: (message: Message) => forwardThreadMessage(channelDeps, message) };
  server.use(createCustomChannelsApiRouter(channelDeps, app, faults, createGuard(apiDeps)));
  server.use(createHubSpotApiRouter(apiDeps, warn));
  server.use((req) => {
    throw unknownRoute(req, warn);
  });
  server.use(createErrorMiddleware(warn));

  const listener = await listen(server, resolved.port);
  const port = (listener.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    state,
    app,
    settings,
    clock,
    faults,
    ...(sender ? { sender } : {}),
    engine,
    channelWebhooks,
    conformance,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all([sender?.stop(), engine.stop(), channelWebhooks.stop()]);
        saver?.stop();
        await new Promise<void>((resolve) => {
          listener.close(() => resolve());
          listener.closeAllConnections();
        });
      })();
      return stopped;
    },
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1');
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
