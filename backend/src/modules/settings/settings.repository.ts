import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { OrganizationSettingsRow } from './settings.table.js';

/** An organization's settings (defaults filled in when it never changed them). */
export interface OrganizationSettings {
  pauseOnOwnerChange: boolean;
  updatedAt: Date | null;
}

/** Every setting's default. */
export const DEFAULT_SETTINGS: Readonly<OrganizationSettings> = Object.freeze({ pauseOnOwnerChange: true, updatedAt: null });

function rowToSettings(row: OrganizationSettingsRow | undefined): OrganizationSettings {
  return row ? { pauseOnOwnerChange: row.pause_on_owner_change, updatedAt: row.updated_at } : { ...DEFAULT_SETTINGS };
}

async function findSettings(db: Db | Transaction<Database>, organizationId: string): Promise<OrganizationSettings> {
  const row = await db.selectFrom('organization_settings').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
  return rowToSettings(row);
}

/** The settings of several organizations in one statement, by organization id. */
async function findSettingsMany(db: Db | Transaction<Database>, organizationIds: readonly string[]): Promise<Map<string, OrganizationSettings>> {
  const rows = organizationIds.length === 0 ? [] : await db.selectFrom('organization_settings').selectAll().where('organization_id', 'in', [...organizationIds]).execute();
  const found = new Map(rows.map((r) => [r.organization_id, r]));
  return new Map(organizationIds.map((id) => [id, rowToSettings(found.get(id))]));
}

async function upsertSettings(db: Db, organizationId: string, patch: { pauseOnOwnerChange?: boolean }): Promise<OrganizationSettings> {
  const values = { pause_on_owner_change: patch.pauseOnOwnerChange };
  const row = await db
    .insertInto('organization_settings')
    .values({ organization_id: organizationId, ...values })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToSettings(row);
}

export const settingsRepository = Object.freeze({ findSettings, findSettingsMany, upsertSettings });
