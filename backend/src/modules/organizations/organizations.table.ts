import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A vendor's customer organization; connects at most one HubSpot portal. */
export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  /** When true, the legacy Private App path is closed for this organization. */
  oauth_only: ColumnType<boolean, boolean | undefined, boolean>;
  /** SHA-256 of the organization's API key (the key itself is shown once). */
  api_key_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganizationRow = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
