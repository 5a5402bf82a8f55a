import type { Migration } from 'kysely';
import * as m20261124000000 from './2026_11_24_00_00_00_organizations.js';

/**
 * Every migration, by name in run order. Listed explicitly (rather than read from the folder) so
 * the same code runs under tsx, jest and compiled JS.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_24_00_00_00_organizations': m20261124000000,
};
