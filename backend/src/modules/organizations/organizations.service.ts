import type { Db } from '../../db/database.js';
import { hashOpaqueToken, hashesEqual, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import type { Logger } from '../../platform/logger.js';
import type { FeatureModule } from '../../platform/module.js';
import { organizationsRepository as repo, type Organization } from './organizations.repository.js';

export type { Organization };

/** What `createOrganization` returns: the organization and its API key, which is never shown again. */
export interface CreatedOrganization {
  organization: Organization;
  apiKey: string;
}

/** Organizations and their API keys. */
export interface OrganizationsService {
  /**
   * Creates an organization with a fresh API key (stored as its SHA-256 only).
   * @param input name and whether the organization is OAuth-only
   * @returns the organization and the key, to show once
   */
  createOrganization(input: { name: string; oauthOnly?: boolean }): Promise<CreatedOrganization>;
  /**
   * The organization an API key belongs to (lookup by hash, then a constant-time re-check).
   * @returns undefined for an unknown key
   */
  authenticate(apiKey: string): Promise<Organization | undefined>;
  /** The organization with this id. */
  findById(id: string): Promise<Organization | undefined>;
}

// Recognisable in a leaked-secret scan, like HubSpot's `pat-` prefix.
const API_KEY_PREFIX = 'sb_org';

/** Builds the organizations service. */
export function createOrganizationsService(deps: { db: Db; log: Logger }): OrganizationsService {
  return Object.freeze<OrganizationsService>({
    async createOrganization(input: { name: string; oauthOnly?: boolean }) {
      const apiKey = newOpaqueToken(API_KEY_PREFIX);
      const organization = await repo.insertOrganization(deps.db, {
        name: input.name,
        oauth_only: input.oauthOnly ?? false,
        api_key_hash: hashOpaqueToken(apiKey),
      });
      deps.log.info({ organizationId: organization.id, oauthOnly: organization.oauthOnly }, 'organization created');
      return { organization, apiKey };
    },
    async authenticate(apiKey: string) {
      const hash = hashOpaqueToken(apiKey);
      const found = await repo.findOrganizationByApiKeyHash(deps.db, hash);
      return found && hashesEqual(found.apiKeyHash, hash) ? found.organization : undefined;
    },
    findById: (id: string) => repo.findOrganizationById(deps.db, id),
  });
}

/** The organizations module: its service; it has no jobs. */
export function createOrganizationsModule(deps: { db: Db; log: Logger }): FeatureModule<OrganizationsService> {
  return { service: createOrganizationsService(deps), jobs: [], schedules: [] };
}
