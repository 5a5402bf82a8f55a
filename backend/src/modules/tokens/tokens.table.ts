import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

/**
 * The token vault: one row per organization. `access_token` / `refresh_token` are sealed with the
 * token cipher (AES-256-GCM, key id inside), so the table never holds a usable token.
 */
export interface HubSpotTokensTable {
  organization_id: string;
  kind: 'oauth' | 'private_app';
  portal_id: number;
  access_token: Buffer;
  refresh_token: Buffer | null;
  access_expires_at: NullableTimestamp;
  refreshed_at: NullableTimestamp;
  refresh_failures: ColumnType<number, number | undefined, number>;
  retry_after: NullableTimestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  invalidated_at: NullableTimestamp;
  invalidated_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What started a refresh: the token was due, HubSpot answered 401 to it, or the daily job. */
export type RefreshTrigger = 'due' | 'rejected' | 'scheduled';
/** How a refresh ended: new token, transient failure (retried later), or refused (needs re-authorization). */
export type RefreshOutcome = 'refreshed' | 'failed' | 'refused';

/** The refresh log shown on the connection page (newest rows per organization only). */
export interface TokenRefreshesTable {
  id: Generated<number>;
  organization_id: string;
  trigger: RefreshTrigger;
  outcome: RefreshOutcome;
  /** Why it failed, or that the refresh token rotated; never a token. */
  detail: string | null;
  at: Timestamp;
}

export type TokenRow = Selectable<HubSpotTokensTable>;
export type NewTokenRow = Insertable<HubSpotTokensTable>;
export type TokenUpdate = Updateable<HubSpotTokensTable>;
export type TokenRefreshRow = Selectable<TokenRefreshesTable>;
export type NewTokenRefreshRow = Insertable<TokenRefreshesTable>;
