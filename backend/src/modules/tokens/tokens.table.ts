import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

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

export type TokenRow = Selectable<HubSpotTokensTable>;
export type NewTokenRow = Insertable<HubSpotTokensTable>;
export type TokenUpdate = Updateable<HubSpotTokensTable>;
