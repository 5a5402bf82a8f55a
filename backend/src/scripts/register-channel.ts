// `npm run channel:register` (also `switchboard channel register`): registers the app's help-desk
// custom channel at HubSpot, or updates it to the current branding and URLs. Idempotent: run it at
// every deploy. Needs HUBSPOT_APP_ID and HUBSPOT_DEVELOPER_API_KEY (HubSpot registers channels with the
// app developer's key: https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide).
import { createDb } from '../db/database.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { createHubSpotChannelRegistry } from '../hubspot/custom-channels-api.js';
import { createHubSpotTransport } from '../hubspot/hubspot-layer.js';
import { registerChannel } from '../modules/helpdesk/register-channel.js';
import { AppError } from '../platform/errors.js';
import { moduleLogger } from '../platform/logger.js';
import { configFromEnvOrExit } from '../server.js';

async function main(): Promise<number> {
  const { config, log: root } = configFromEnvOrExit(process.env);
  const log = moduleLogger(root, 'helpdesk');
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: `${config.dataDir}/postgres` });
  const { db } = createDb(config.databaseUrl ?? embedded!.url, { max: 2, applicationName: 'switchboard-channel-register' });
  try {
    await migrateToLatest(db);
    const transport = createHubSpotTransport({ config, budgetDb: db, log: root });
    const result = await registerChannel({ db, config, log, registry: createHubSpotChannelRegistry({ http: transport.http }) }, {});
    process.stdout.write(`Help-desk channel ${result.outcome}: ${result.channelId}\n  webhook  ${result.webhookUrl}\n  connect  ${result.redirectUrl}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Channel registration failed: ${error instanceof AppError ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await db.destroy();
    await embedded?.stop();
    await new Promise<void>((resolve) => root.flush(() => resolve()));
  }
}

process.exit(await main());
