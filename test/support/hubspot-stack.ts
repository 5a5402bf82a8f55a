import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transaction } from 'kysely';
import type { Database } from '../../backend/src/db/database.js';
import { createEmulatorClient, type EmulatorClient } from '../../emulator/client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/src/emulator.js';
import { connectWithTokens } from './connect-with-tokens.js';
import { trackEmulator } from './secret-registry.js';
import { createTestBackend, type TestBackend, type TestBackendOptions } from './test-backend.js';

/** The seeded demo portal of every emulator. */
export const DEMO_PORTAL_ID = 62515;

/** A listening backend (with its own database) wired to its own emulator, both over real ports. */
export interface HubSpotStack {
  backend: TestBackend;
  emulator: Emulator;
  /** The emulator's control API. */
  hub: EmulatorClient;
  /** The backend's origin, which is also its PUBLIC_BASE_URL and the emulator's `${BACKEND_URL}`. */
  backendUrl: string;
  /** Stops the emulator (and its sender), the backend's workers and the server; drops the database. */
  stop(): Promise<void>;
}

/** Options of {@link startHubSpotStack}. */
export interface HubSpotStackOptions {
  /** Start the backend's job workers (default true). */
  workers?: boolean;
  /** More backend environment. */
  env?: TestBackendOptions['env'];
  /** More emulator options (default `timeScale` 0.01: HubSpot's 1-minute retry base becomes 0.6 s). */
  emulator?: EmulatorOptions;
  /** Give the backend a manual clock starting here (`stack.backend.clock` is then a ManualClock). */
  manualClockAt?: number;
}

/**
 * Starts the stack. The backend's port is taken first, because the emulator reads the webhook target
 * from the manifest with `${BACKEND_URL}` replaced by the backend's origin, and the backend needs the
 * emulator's URL and app secret in its config: the server listens, then the app is attached.
 */
export async function startHubSpotStack(options: HubSpotStackOptions = {}): Promise<HubSpotStack> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The same holds for workflow-action calls: HubSpot's 20 s attempt deadline stays real time.
  const emulator = await createEmulator({ backendUrl, timeScale: 0.01, workflowActionTimeoutMs: 20_000, warn: () => undefined, ...options.emulator });
  trackEmulator(emulator);
  // timeScale shortens HubSpot's retry delays, but it would also shrink the 5 s delivery deadline to
  // 50 ms, so a loaded test machine saw spurious timeouts and duplicate deliveries; keep it real time.
  const scale = options.emulator?.timeScale ?? 0.01;
  emulator.sender?.setKnobs({ timeoutMs: 5000 / scale });
  const backend = await createTestBackend({
    workers: options.workers ?? true,
    ...(options.manualClockAt === undefined ? {} : { manualClockAt: options.manualClockAt }),
    env: {
      PUBLIC_BASE_URL: backendUrl,
      HUBSPOT_CLIENT_ID: emulator.app.clientId,
      HUBSPOT_CLIENT_SECRET: emulator.app.clientSecret,
      HUBSPOT_APP_ID: String(emulator.app.appId),
      HUBSPOT_API_BASE_URL: emulator.url,
      HUBSPOT_APP_BASE_URL: emulator.url,
      ...options.env,
    },
  });
  server.on('request', backend.app);
  return {
    backend,
    emulator,
    hub: createEmulatorClient(emulator.url),
    backendUrl,
    async stop() {
      await emulator.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await backend.destroy();
    },
  };
}

/** An organization of the backend connected to an emulator portal. */
export interface ConnectedOrganization {
  id: string;
  apiKey: string;
  portalId: number;
  /** `Authorization` header value for the vendor API. */
  auth: string;
}

/**
 * Creates an organization and connects it to `portalId` through the connections service with a real
 * token set from the emulator (which also marks the app installed there, so its changes are delivered).
 */
export async function connectOrganization(stack: HubSpotStack, portalId: number = DEMO_PORTAL_ID, name = 'Acme Support'): Promise<ConnectedOrganization> {
  const tokens = await stack.hub.install(portalId);
  const { id, apiKey } = await connectWithTokens(stack.backend.services, portalId, tokens, name);
  return { id, apiKey, portalId, auth: `Bearer ${apiKey}` };
}

/** Creates an organization with no HubSpot connection. */
export async function createOrganization(backend: TestBackend, name = 'Unconnected Org'): Promise<Omit<ConnectedOrganization, 'portalId'>> {
  const { organization, apiKey } = await backend.services.organizations.createOrganization({ name });
  return { id: organization.id, apiKey, auth: `Bearer ${apiKey}` };
}

/** Runs `fn` in a transaction of the backend's database (for test setup through *InTransaction APIs). */
export function inTransaction<T>(backend: TestBackend, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return backend.tdb.db.transaction().execute(fn);
}
