import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { FeatureModule } from '../../platform/module.js';
import { DEFAULT_SETTINGS, settingsRepository as repo, type OrganizationSettings } from './settings.repository.js';

export type { OrganizationSettings };
/** Every setting's default (what an organization that never changed them has). */
export { DEFAULT_SETTINGS };

/** Per-organization behaviour switches. */
export interface SettingsService {
  /** The organization's settings, defaults filled in. Pass `trx` to read inside a transaction. */
  getSettings(organizationId: string, trx?: Transaction<Database>): Promise<OrganizationSettings>;
  /** The settings of several organizations (one statement), by organization id. Pass `trx` to read inside a transaction. */
  getSettingsMany(organizationIds: readonly string[], trx?: Transaction<Database>): Promise<Map<string, OrganizationSettings>>;
  /** Applies a partial update and returns the result. */
  updateSettings(organizationId: string, patch: { pauseOnOwnerChange?: boolean }): Promise<OrganizationSettings>;
}

/** Builds the settings service. */
export function createSettingsService(deps: { db: Db; log: Logger }): SettingsService {
  return Object.freeze({
    getSettings: (organizationId: string, trx?: Transaction<Database>) => repo.findSettings(trx ?? deps.db, organizationId),
    getSettingsMany: (organizationIds: readonly string[], trx?: Transaction<Database>) => repo.findSettingsMany(trx ?? deps.db, organizationIds),
    async updateSettings(organizationId: string, patch: { pauseOnOwnerChange?: boolean }) {
      const settings = await repo.upsertSettings(deps.db, organizationId, patch);
      deps.log.info({ organizationId, ...patch }, 'organization settings changed');
      return settings;
    },
  });
}

/** The settings module: its service; it has no jobs. */
export function createSettingsModule(deps: { db: Db; log: Logger }): FeatureModule<SettingsService> {
  return { service: createSettingsService(deps), jobs: [], schedules: [] };
}
