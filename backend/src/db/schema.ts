import type { OrganizationsTable } from '../modules/organizations/organizations.table.js';

/** Every table, assembled from the modules' *.table.ts files. */
export interface Database {
  organizations: OrganizationsTable;
}
