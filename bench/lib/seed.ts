import { loadConfig } from '../../backend/src/config.js';
import { createDb } from '../../backend/src/db/database.js';
import { systemClock } from '../../backend/src/platform/clock.js';
import { createJobs } from '../../backend/src/platform/jobs.js';
import { createLogger } from '../../backend/src/platform/logger.js';
import { composeBackend, type Services } from '../../backend/src/composition.js';
import { connectWithTokens, type GrantTokens } from '../../test/support/connect-with-tokens.js';

/**
 * Runs `fn` with the backend's real services on a bench database (same environment as the backend
 * processes, so sealed tokens decrypt there), e.g. to create organizations and connect portals the
 * way the product does. No workers run here.
 */
export async function withServices<T>(env: Record<string, string>, fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const log = createLogger({ level: 'warn' });
  const { db } = createDb(config.databaseUrl!, { max: 4, applicationName: 'bench-seed' });
  const jobs = createJobs({ connectionString: config.databaseUrl!, log, max: 2 });
  const { services, jobs: jobDefinitions } = composeBackend({ config, db, log, clock: systemClock, jobs });
  await jobs.start(jobDefinitions, { work: false });
  try {
    return await fn(services);
  } finally {
    await jobs.stop();
    await db.destroy();
  }
}

/** Token set as the emulator's install answers it (or made up when no call will reach HubSpot). */
export type SeedTokens = GrantTokens;

/** Creates an organization connected to `portalId`; returns its id and API key. */
export async function connectPortal(services: Services, portalId: number, tokens: SeedTokens, name = `Bench org ${portalId}`): Promise<{ id: string; apiKey: string }> {
  return connectWithTokens(services, portalId, tokens, name);
}

/** Made-up tokens for portals no call will reach HubSpot for. */
export function fakeTokens(portalId: number): SeedTokens {
  return { access_token: `bench-access-${portalId}`, refresh_token: `bench-refresh-${portalId}`, expires_in: 1800, scopes: ['oauth', 'tickets', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'conversations.read', 'conversations.write', 'automation', 'crm.objects.owners.read'] };
}

/** The portals of the many-portal scenarios: 30,000,001 onwards (no emulator behind them). */
export function benchPortalIds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 30_000_001 + i);
}

/** Connects an organization (made-up tokens) to each of `portalIds`, four at a time. */
export async function connectFakePortals(services: Services, portalIds: number[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < portalIds.length) {
        const portalId = portalIds[next++]!;
        await connectPortal(services, portalId, fakeTokens(portalId));
      }
    }),
  );
}
