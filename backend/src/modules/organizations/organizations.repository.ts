import type { Db } from '../../db/database.js';
import type { NewOrganizationRow, OrganizationRow } from './organizations.table.js';

/** An organization as the rest of the code sees it (never its key hash). */
export interface Organization {
  id: string;
  name: string;
  oauthOnly: boolean;
  createdAt: Date;
}

/** Maps a row to the domain type. */
function rowToOrganization(row: Pick<OrganizationRow, 'id' | 'name' | 'oauth_only' | 'created_at'>): Organization {
  return { id: row.id, name: row.name, oauthOnly: row.oauth_only, createdAt: row.created_at };
}

const columns = ['id', 'name', 'oauth_only', 'created_at'] as const;

/** Inserts an organization. */
async function insertOrganization(db: Db, row: NewOrganizationRow): Promise<Organization> {
  return rowToOrganization(await db.insertInto('organizations').values(row).returning(columns).executeTakeFirstOrThrow());
}

/** The organization whose API key hashes to `hash`, with the stored hash for a constant-time re-check. */
async function findOrganizationByApiKeyHash(db: Db, hash: string): Promise<{ organization: Organization; apiKeyHash: string } | undefined> {
  const row = await db.selectFrom('organizations').select([...columns, 'api_key_hash']).where('api_key_hash', '=', hash).executeTakeFirst();
  return row ? { organization: rowToOrganization(row), apiKeyHash: row.api_key_hash } : undefined;
}

/** The organization with this id. */
async function findOrganizationById(db: Db, id: string): Promise<Organization | undefined> {
  const row = await db.selectFrom('organizations').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? rowToOrganization(row) : undefined;
}

export const organizationsRepository = Object.freeze({ insertOrganization, findOrganizationByApiKeyHash, findOrganizationById });
