import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/** Per-organization behaviour switches; a missing row means every default. */
export interface OrganizationSettingsTable {
  organization_id: string;
  /** Pause the AI when a human takes a linked ticket or thread in HubSpot (default on). */
  pause_on_owner_change: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type OrganizationSettingsRow = Selectable<OrganizationSettingsTable>;
export type NewOrganizationSettingsRow = Insertable<OrganizationSettingsTable>;
export type OrganizationSettingsUpdate = Updateable<OrganizationSettingsTable>;
