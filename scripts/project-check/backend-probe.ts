import request from 'supertest';
import type { BackendProbe } from './types.js';

/**
 * Builds the real backend app offline (`createApp(buildOfflineAppDeps())`: no listening port, no database
 * connection) and answers unsigned requests through supertest. Imported lazily so a broken project never loads
 * the backend, and so the check reports a backend that fails to build instead of crashing on import.
 */
export async function startBackendProbe(): Promise<BackendProbe> {
  // One after the other: Jest's ESM loader fails ("request for … is not in cache") when two dynamic imports
  // load overlapping module graphs concurrently.
  const { createApp } = await import('../../backend/src/app.js');
  const { buildOfflineAppDeps } = await import('../../backend/src/testing/offline-deps.js');
  const deps = buildOfflineAppDeps();
  const app = createApp(deps);
  return {
    async post(path) {
      const response = await request(app).post(path).set('Content-Type', 'application/json').send('{}');
      return response.status;
    },
    async close() {
      // The pool never connected; destroying it just makes sure nothing keeps the process alive.
      await deps.db.destroy();
    },
  };
}
