// What the token vault needs from outside its own tables: HubSpot's token endpoints, and the
// connections module to hear that a credential died.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { HubSpotAccountClient } from '../../hubspot/account-client.js';
import type { HubSpotOAuthClient } from '../../hubspot/oauth-client.js';

/**
 * What the vault needs from the connections module. Declared here, not imported from connections:
 * connections stores and reads its tokens through this module, so importing its types back would
 * close a cycle. `ConnectionsService` satisfies this structurally.
 *
 * Lock order: the vault entry first, then the connection row. The vault calls `markNeedsReauth`
 * while it holds the entry's lock (a refresh HubSpot refused, a 401 on a dead token), so every
 * transaction that touches both rows takes `TokensService.lockEntry` before it locks or changes the
 * connection; the other order deadlocks with a dying refresh and Postgres aborts one side.
 */
export interface ConnectionsPort {
  /**
   * Runs inside the transaction that marks an organization's tokens dead, exactly once per death:
   * moves the connection to `needs_reauth` and records the event.
   */
  markNeedsReauth(trx: Transaction<Database>, organizationId: string, reason: string): Promise<unknown>;
}

/** HubSpot's OAuth endpoints the vault calls: the refresh grant, and introspection after a 401. */
export type OAuthPort = Pick<HubSpotOAuthClient, 'refresh' | 'introspect'>;

/** HubSpot's account-details call, which tells a dead Private App token from a 401 about one endpoint. */
export type AccountPort = Pick<HubSpotAccountClient, 'getAccountDetails'>;
