// Starting a consent attempt from an install link: a random, single-use, expiring `state` bound to
// the organization, the link and this browser (the nonce in the binding cookie).
import crypto from 'node:crypto';
import { hashOpaqueToken, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import type { Organization } from '../organizations/organizations.service.js';
import { resolveLink } from './install-links.js';
import { INSTALL_TTLS, type InstallsDeps } from './installs.deps.js';
import { installsRepository as repo, type InstallLink } from './installs.repository.js';

const STATE_PREFIX = 'sb_state';

/** One consent attempt: what the browser is sent to and the binding cookie to set there. */
export interface OAuthAttempt {
  authorizeUrl: string;
  bindingCookie: string;
}

/**
 * Starts one consent attempt from an install link.
 * @returns HubSpot's authorize URL and the value of the browser-binding cookie to set
 * @throws AppError install_link_invalid
 */
export async function startInstall(deps: InstallsDeps, linkToken: string): Promise<OAuthAttempt> {
  const { link, organization } = await resolveLink(deps, linkToken);
  const attempt = await createOAuthAttempt(deps, { link, organization, linkToken });
  deps.log.info({ organizationId: organization.id }, 'install started');
  return attempt;
}

/**
 * Stores a random state bound to the organization, the link and this browser (the nonce in the
 * binding cookie); with `claim`, also to the marketplace install it claims, and HubSpot's consent page
 * is locked to that install's portal.
 */
export async function createOAuthAttempt(
  deps: InstallsDeps,
  input: { link: InstallLink; organization: Organization; linkToken: string; claim?: { pendingInstallId: string; portalId: number } },
): Promise<OAuthAttempt> {
  const state = newOpaqueToken(STATE_PREFIX);
  const nonce = crypto.randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await repo.insertOAuthState(deps.db, {
    state_hash: hashOpaqueToken(state),
    organization_id: input.organization.id,
    install_link_id: input.link.id,
    browser_binding_hash: hashOpaqueToken(nonce),
    pending_install_id: input.claim?.pendingInstallId ?? null,
    expires_at: new Date(now + INSTALL_TTLS.stateSeconds * 1000),
    created_at: new Date(now),
  });
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-90
  const authorizeUrl = deps.oauth.authorizeUrl(state, input.claim ? { portalId: input.claim.portalId } : {});
  return { authorizeUrl, bindingCookie: `${nonce}.${input.linkToken}` };
}
