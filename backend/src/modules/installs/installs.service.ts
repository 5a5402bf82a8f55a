// The install flow (`services.installs`): links, consent, callback, marketplace claim and portal-change
// confirmation. Each use case lives in its own file; this one lists them.
import type { Organization } from '../organizations/organizations.service.js';
import { findUnclaimed, startClaim } from './claim-install.js';
import { completeInstall, type CompleteInstallInput } from './complete-install.js';
import { createInstallLink, resolveLink } from './install-links.js';
import { INSTALL_TTLS, type CallbackOutcome, type InstallsDeps, type PendingInstallView } from './installs.deps.js';
import type { InstallLink } from './installs.repository.js';
import { cancelPortalChange, confirmPortalChange, findAwaitingConfirmation, type PortalChangeInput } from './portal-change.js';
import { purgeExpired } from './purge-expired.js';
import { startInstall } from './start-install.js';

export { INSTALL_TTLS };
export type { CallbackOutcome, CompleteInstallInput, InstallsDeps, PendingInstallView, PortalChangeInput };

/** The install flow: links, consent, callback, claim and confirmation. */
export interface InstallsService {
  /** See {@link createInstallLink}. */
  createInstallLink(organizationId: string, input?: { expiresInHours?: number }): Promise<{ url: string; expiresAt: Date }>;
  /** See {@link resolveLink}. */
  resolveLink(linkToken: string): Promise<{ link: InstallLink; organization: Organization }>;
  /** See {@link startInstall}. */
  startInstall(linkToken: string): Promise<{ authorizeUrl: string; bindingCookie: string }>;
  /** See {@link completeInstall}. */
  completeInstall(input: CompleteInstallInput): Promise<CallbackOutcome>;
  /** See {@link startClaim}. */
  startClaim(input: { linkToken: string; claimToken: string }): Promise<{ authorizeUrl: string; bindingCookie: string }>;
  /** See {@link confirmPortalChange}. */
  confirmPortalChange(input: PortalChangeInput): Promise<void>;
  /** Drops a grant awaiting confirmation (and revokes it at HubSpot). */
  cancelPortalChange(input: PortalChangeInput): Promise<void>;
  /** The organization's grant awaiting confirmation, if any. */
  findAwaitingConfirmation(organizationId: string): Promise<PendingInstallView | undefined>;
  /** The unclaimed install a claim token points to, if still valid. */
  findUnclaimed(claimToken: string): Promise<PendingInstallView | undefined>;
  /** Deletes expired states, links and pending installs (revoking the pending grants). */
  purgeExpired(): Promise<{ states: number; links: number; pendingInstalls: number }>;
}

/**
 * Builds the installs service.
 * @param deps database, cipher, clock, logger, HubSpot's OAuth endpoints, the connections and organizations ports
 * @returns the service
 */
export function createInstallsService(deps: InstallsDeps): InstallsService {
  return Object.freeze<InstallsService>({
    createInstallLink: (organizationId, input) => createInstallLink(deps, organizationId, input),
    resolveLink: (linkToken) => resolveLink(deps, linkToken),
    startInstall: (linkToken) => startInstall(deps, linkToken),
    completeInstall: (input) => completeInstall(deps, input),
    startClaim: (input) => startClaim(deps, input),
    confirmPortalChange: (input) => confirmPortalChange(deps, input),
    cancelPortalChange: (input) => cancelPortalChange(deps, input),
    findAwaitingConfirmation: (organizationId) => findAwaitingConfirmation(deps, organizationId),
    findUnclaimed: (claimToken) => findUnclaimed(deps, claimToken),
    purgeExpired: () => purgeExpired(deps),
  });
}
