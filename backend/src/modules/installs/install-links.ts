// Install links: the personalised URL an organization sends its HubSpot admin. Only the link token's
// hash is stored, and it is compared as a digest in constant time.
import { hashOpaqueToken, hashesEqual, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import { AppError } from '../../platform/errors.js';
import type { Organization } from '../organizations/organizations.service.js';
import { INSTALL_TTLS, inSeconds, nowOf, type InstallsDeps } from './installs.deps.js';
import { installsRepository as repo, type InstallLink } from './installs.repository.js';

const LINK_PREFIX = 'sb_link';

/**
 * Creates a personalised install link for the organization.
 * @returns the URL (`<PUBLIC_BASE_URL>/connect/<token>`, shown once) and its expiry
 */
export async function createInstallLink(deps: InstallsDeps, organizationId: string, input: { expiresInHours?: number } = {}): Promise<{ url: string; expiresAt: Date }> {
  const token = newOpaqueToken(LINK_PREFIX);
  const expiresAt = inSeconds(deps, input.expiresInHours !== undefined ? input.expiresInHours * 3600 : INSTALL_TTLS.linkSeconds);
  await repo.insertInstallLink(deps.db, { organization_id: organizationId, token_hash: hashOpaqueToken(token), expires_at: expiresAt, created_at: nowOf(deps) });
  deps.log.info({ organizationId, expiresAt }, 'install link created');
  return { url: `${deps.publicBaseUrl}/connect/${token}`, expiresAt };
}

/**
 * The organization behind a link.
 * @throws AppError install_link_invalid when unknown or expired
 */
export async function resolveLink(deps: InstallsDeps, linkToken: string): Promise<{ link: InstallLink; organization: Organization }> {
  const hash = hashOpaqueToken(linkToken);
  const link = await repo.findInstallLinkByTokenHash(deps.db, hash);
  if (!link || !hashesEqual(link.tokenHash, hash) || link.expiresAt.getTime() <= deps.clock.now()) {
    throw new AppError('install_link_invalid', 'This connection link is invalid or has expired. Ask for a new link.');
  }
  const organization = await deps.organizations.findById(link.organizationId);
  if (!organization) throw new AppError('install_link_invalid', 'This connection link is invalid or has expired. Ask for a new link.');
  return { link, organization };
}
