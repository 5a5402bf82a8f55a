// Putting a new credential in the vault, inside the caller's transaction (the connection change
// that comes with it commits or rolls back together).
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { TokensDeps } from './tokens.deps.js';
import { tokensRepository as repo } from './tokens.repository.js';
import type { NewTokenRow } from './tokens.table.js';

/** A fresh OAuth grant to store. */
export interface StoreOAuthTokensInput {
  portalId: number;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
}

/** Stores a fresh OAuth grant (replacing whatever the organization had). */
export async function storeOAuthTokens(deps: TokensDeps, trx: Transaction<Database>, organizationId: string, input: StoreOAuthTokensInput): Promise<void> {
  const at = new Date(deps.clock.now());
  await repo.upsertToken(
    trx,
    freshTokenRow(organizationId, input.portalId, at, {
      kind: 'oauth',
      access_token: deps.cipher.seal(input.accessToken),
      refresh_token: deps.cipher.seal(input.refreshToken),
      access_expires_at: input.accessExpiresAt,
      refreshed_at: at,
    }),
  );
}

/** Stores a Private App token (replacing whatever the organization had). */
export async function storePrivateAppToken(deps: TokensDeps, trx: Transaction<Database>, organizationId: string, input: { portalId: number; token: string }): Promise<void> {
  await repo.upsertToken(
    trx,
    freshTokenRow(organizationId, input.portalId, new Date(deps.clock.now()), {
      kind: 'private_app',
      access_token: deps.cipher.seal(input.token),
      refresh_token: null,
      access_expires_at: null,
      refreshed_at: null,
    }),
  );
}

/** A token row for a newly stored credential: failure and invalidation state cleared. */
function freshTokenRow(
  organizationId: string,
  portalId: number,
  at: Date,
  credential: Pick<NewTokenRow, 'kind' | 'access_token' | 'refresh_token' | 'access_expires_at' | 'refreshed_at'>,
): NewTokenRow {
  return {
    organization_id: organizationId,
    portal_id: portalId,
    ...credential,
    refresh_failures: 0,
    retry_after: null,
    last_error: null,
    last_error_at: null,
    invalidated_at: null,
    invalidated_reason: null,
    created_at: at,
    updated_at: at,
  };
}
