import type { Db } from '../../db/database.js';
import type { HubSpotOAuthClient } from '../../hubspot/oauth-client.js';
import type { Clock } from '../../platform/clock.js';
import { hashOpaqueToken, hashesEqual, newOpaqueToken } from '../../platform/crypto/opaque-token.js';
import type { TokenCipher } from '../../platform/crypto/token-cipher.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { ApplyGrantResult, ConnectionsService, VerifiedGrant } from '../connections/connections.service.js';
import type { Organization, OrganizationsService } from '../organizations/organizations.service.js';
import { completeClaim, createOAuthAttempt, startClaim } from './claim-install.js';
import { createGrantTools } from './install-grants.js';
import { installsRepository as repo, type InstallLink, type PendingInstall } from './installs.repository.js';

/** Lifetimes of what the install flow hands out. */
export const INSTALL_TTLS = Object.freeze({
  /** Default lifetime of an install link (7 days); the caller may choose 1 hour to 30 days. */
  linkSeconds: 7 * 24 * 3600,
  /** OAuth `state`: one consent attempt. */
  stateSeconds: 10 * 60,
  /** A HubSpot-initiated install waits this long to be claimed. */
  unclaimedSeconds: 24 * 3600,
  /** A grant for another portal waits this long for the admin's confirmation. */
  awaitingConfirmationSeconds: 30 * 60,
});

/** What the OAuth callback led to. */
export type CallbackOutcome =
  | { kind: 'connected'; linkToken: string; result: Exclude<ApplyGrantResult['result'], 'needs_confirmation'> }
  /** Stored as a grant awaiting confirmation; the connection page asks. */
  | { kind: 'needs_confirmation'; linkToken: string }
  /**
   * HubSpot-initiated install of an unknown portal: claimable from the connection page with this token,
   * after HubSpot confirms the claimer administers the portal. `portalDomain` is what HubSpot reported.
   */
  | { kind: 'unclaimed'; claimToken: string; portalId: number; portalDomain: string | null }
  /** HubSpot-initiated re-install of a portal an organization already holds: its tokens were renewed. */
  | { kind: 'reconnected'; organizationName: string; portalId: number };

/** A grant waiting for something, as the connection page shows it (no tokens). */
export interface PendingInstallView {
  id: string;
  portalId: number;
  portalDomain: string | null;
  approvedBy: string | null;
  expiresAt: Date;
}

/** The install flow: links, consent, callback, claim and confirmation. */
export interface InstallsService {
  /**
   * Creates a personalised install link for the organization.
   * @returns the URL (`<PUBLIC_BASE_URL>/connect/<token>`, shown once) and its expiry
   */
  createInstallLink(organizationId: string, input?: { expiresInHours?: number }): Promise<{ url: string; expiresAt: Date }>;
  /**
   * The organization behind a link.
   * @throws AppError install_link_invalid when unknown or expired
   */
  resolveLink(linkToken: string): Promise<{ link: InstallLink; organization: Organization }>;
  /**
   * Starts one consent attempt: a random state bound to the organization, the link and this browser.
   * @returns HubSpot's authorize URL and the value of the browser-binding cookie to set
   * @throws AppError install_link_invalid
   */
  startInstall(linkToken: string): Promise<{ authorizeUrl: string; bindingCookie: string }>;
  /**
   * Handles HubSpot's redirect back. With a state: it must exist, be unused, unexpired, and come from
   * the browser that started it (the binding cookie); it is consumed before the code is exchanged.
   * A claim attempt's state connects only a grant for the claimed install's portal.
   * Without a state (a marketplace install): the grant is kept as an unclaimed install.
   * @throws AppError install_state_invalid | install_code_invalid | missing_scope | portal_conflict | forbidden (consent denied, or a claim approved for another portal) | hubspot_unavailable
   */
  completeInstall(input: { code?: string; state?: string; error?: string; errorDescription?: string; bindingCookie?: string }): Promise<CallbackOutcome>;
  /**
   * Starts claiming an unclaimed install for the link's organization: a state-bound consent attempt
   * locked to the install's portal (completeInstall finishes it).
   * @returns HubSpot's authorize URL and the value of the browser-binding cookie to set
   * @throws AppError install_link_invalid | install_not_found (unknown or expired claim)
   */
  startClaim(input: { linkToken: string; claimToken: string }): Promise<{ authorizeUrl: string; bindingCookie: string }>;
  /**
   * Applies a grant that was waiting for confirmation because it switches portals.
   * @throws AppError install_link_invalid | install_not_found | portal_conflict
   */
  confirmPortalChange(input: { linkToken: string; pendingId: string }): Promise<void>;
  /** Drops a grant awaiting confirmation (and revokes it at HubSpot). */
  cancelPortalChange(input: { linkToken: string; pendingId: string }): Promise<void>;
  /** The organization's grant awaiting confirmation, if any. */
  findAwaitingConfirmation(organizationId: string): Promise<PendingInstallView | undefined>;
  /** The unclaimed install a claim token points to, if still valid. */
  findUnclaimed(claimToken: string): Promise<PendingInstallView | undefined>;
  /** Deletes expired states, links and pending installs (revoking the pending grants). */
  purgeExpired(): Promise<{ states: number; links: number; pendingInstalls: number }>;
}

/** Dependencies of the installs service. */
export interface InstallsDeps {
  db: Db;
  cipher: TokenCipher;
  oauth: Pick<HubSpotOAuthClient, 'authorizeUrl' | 'exchangeCode' | 'introspect' | 'revoke'>;
  connections: Pick<ConnectionsService, 'applyOAuthGrant' | 'findByPortalId'>;
  organizations: Pick<OrganizationsService, 'findById'>;
  clock: Clock;
  log: Logger;
  publicBaseUrl: string;
}

const LINK_PREFIX = 'sb_link';
const CLAIM_PREFIX = 'sb_claim';

/** Builds the installs service. */
export function createInstallsService(deps: InstallsDeps): InstallsService {
  const { db, cipher, clock, log } = deps;
  const now = () => new Date(clock.now());
  const later = (seconds: number) => new Date(clock.now() + seconds * 1000);
  const stateInvalid = () => new AppError('install_state_invalid', 'This HubSpot sign-in attempt is invalid, expired or already used. Start again from your connection link.');

  const resolveLink = async (linkToken: string) => {
    const hash = hashOpaqueToken(linkToken);
    const link = await repo.findInstallLinkByTokenHash(db, hash);
    if (!link || !hashesEqual(link.tokenHash, hash) || link.expiresAt.getTime() <= clock.now()) {
      throw new AppError('install_link_invalid', 'This connection link is invalid or has expired. Ask for a new link.');
    }
    const organization = await deps.organizations.findById(link.organizationId);
    if (!organization) throw new AppError('install_link_invalid', 'This connection link is invalid or has expired. Ask for a new link.');
    return { link, organization };
  };

  const tools = createGrantTools(deps);
  const { verifyGrant, sealedPending, openPending, revokeUnlessHeld } = tools;

  const storeAwaitingConfirmation = async (organizationId: string, grant: VerifiedGrant) => {
    await db.transaction().execute(async (trx) => {
      await repo.deleteAwaitingInstallsByOrganization(trx, organizationId);
      await repo.insertPendingInstall(trx, { ...sealedPending(grant), kind: 'awaiting_confirmation', organization_id: organizationId, claim_token_hash: null, expires_at: later(INSTALL_TTLS.awaitingConfirmationSeconds) });
    });
    log.info({ organizationId, portalId: grant.portalId }, 'grant for another portal awaits confirmation');
  };

  const toView = (p: PendingInstall): PendingInstallView => ({ id: p.id, portalId: p.portalId, portalDomain: p.portalDomain, approvedBy: p.approvedBy, expiresAt: p.expiresAt });

  /** A marketplace install: renew a known portal's connection, else keep it for a claim. */
  const completeUnboundInstall = async (code: string): Promise<CallbackOutcome> => {
    const grant = await verifyGrant(code);
    const holder = await deps.connections.findByPortalId(grant.portalId);
    if (holder && holder.status !== 'disconnected') {
      // Whoever approved administers this very portal; renewing its owner's tokens moves nothing.
      const applied = await deps.connections.applyOAuthGrant({ organizationId: holder.organizationId, grant });
      const org = await deps.organizations.findById(holder.organizationId);
      log.info({ organizationId: holder.organizationId, portalId: grant.portalId, result: applied.result }, 'HubSpot-initiated install renewed a connection');
      return { kind: 'reconnected', organizationName: org?.name ?? 'your organization', portalId: grant.portalId };
    }
    const claimToken = newOpaqueToken(CLAIM_PREFIX);
    await repo.insertPendingInstall(db, { ...sealedPending(grant), kind: 'unclaimed', organization_id: null, claim_token_hash: hashOpaqueToken(claimToken), expires_at: later(INSTALL_TTLS.unclaimedSeconds) });
    log.info({ portalId: grant.portalId }, 'HubSpot-initiated install stored, waiting to be claimed');
    return { kind: 'unclaimed', claimToken, portalId: grant.portalId, portalDomain: grant.portalDomain };
  };

  const findAwaitingForLink = async (linkToken: string, pendingId: string) => {
    const { organization } = await resolveLink(linkToken);
    if (!/^[0-9a-f-]{36}$/i.test(pendingId)) throw new AppError('install_not_found', 'There is no HubSpot connection waiting for confirmation (it may have expired).');
    return { organization, pendingId };
  };

  return Object.freeze<InstallsService>({
    resolveLink,

    async createInstallLink(organizationId: string, input: { expiresInHours?: number } = {}) {
      const token = newOpaqueToken(LINK_PREFIX);
      const expiresAt = later(input.expiresInHours !== undefined ? input.expiresInHours * 3600 : INSTALL_TTLS.linkSeconds);
      await repo.insertInstallLink(db, { organization_id: organizationId, token_hash: hashOpaqueToken(token), expires_at: expiresAt, created_at: now() });
      log.info({ organizationId, expiresAt }, 'install link created');
      return { url: `${deps.publicBaseUrl}/connect/${token}`, expiresAt };
    },

    async startInstall(linkToken: string) {
      const { link, organization } = await resolveLink(linkToken);
      const attempt = await createOAuthAttempt(deps, { link, organization, linkToken });
      log.info({ organizationId: organization.id }, 'install started');
      return attempt;
    },

    async completeInstall(input) {
      if (input.error) {
        log.warn({ error: input.error.slice(0, 100) }, 'HubSpot consent not granted');
        throw new AppError('forbidden', `HubSpot did not grant access${input.errorDescription ? `: ${input.errorDescription.slice(0, 200).replace(/[.\s]+$/, '')}` : ''}. Start again from your connection link.`);
      }
      if (!input.code) throw new AppError('invalid_query', 'Query parameters are invalid', { details: [{ path: 'code', message: 'Required' }] });
      if (input.state === undefined) return completeUnboundInstall(input.code);

      // The state is consumed before the code is exchanged, so a replayed callback never reaches HubSpot.
      const [nonce, linkToken] = splitBinding(input.bindingCookie);
      if (!nonce || !linkToken) throw stateInvalid();
      const consumed = await repo.consumeOAuthState(db, { stateHash: hashOpaqueToken(input.state), bindingHash: hashOpaqueToken(nonce), now: now() });
      if (!consumed) throw stateInvalid();
      const link = await repo.findInstallLinkById(db, consumed.installLinkId);
      if (!link || link.organizationId !== consumed.organizationId || !hashesEqual(link.tokenHash, hashOpaqueToken(linkToken))) throw stateInvalid();

      if (consumed.pendingInstallId) {
        return completeClaim(deps, tools, { organizationId: consumed.organizationId, linkToken, pendingInstallId: consumed.pendingInstallId, code: input.code });
      }
      const grant = await verifyGrant(input.code);
      const applied = await deps.connections.applyOAuthGrant({ organizationId: consumed.organizationId, grant });
      if (applied.result === 'needs_confirmation') {
        await storeAwaitingConfirmation(consumed.organizationId, grant);
        return { kind: 'needs_confirmation', linkToken };
      }
      return { kind: 'connected', linkToken, result: applied.result };
    },

    async startClaim(input) {
      const { link, organization } = await resolveLink(input.linkToken);
      return startClaim(deps, { link, organization, linkToken: input.linkToken, claimToken: input.claimToken });
    },

    async confirmPortalChange(input) {
      const { organization, pendingId } = await findAwaitingForLink(input.linkToken, input.pendingId);
      const pending = await repo.findAwaitingInstallByOrganization(db, organization.id, now());
      if (!pending || pending.id !== pendingId) throw new AppError('install_not_found', 'There is no HubSpot connection waiting for confirmation (it may have expired).');
      await deps.connections.applyOAuthGrant({
        organizationId: organization.id,
        grant: openPending(pending),
        confirmPortalChange: true,
        onApplied: async (trx) => {
          const still = await repo.lockAwaitingInstall(trx, { id: pendingId, organizationId: organization.id, now: now() });
          if (!still) throw new AppError('install_not_found', 'This HubSpot connection was already confirmed or cancelled.');
          await repo.deletePendingInstall(trx, pendingId);
        },
      });
      log.info({ organizationId: organization.id, portalId: pending.portalId }, 'portal change confirmed');
    },

    async cancelPortalChange(input) {
      const { organization, pendingId } = await findAwaitingForLink(input.linkToken, input.pendingId);
      const refreshToken = await db.transaction().execute(async (trx) => {
        const pending = await repo.lockAwaitingInstall(trx, { id: pendingId, organizationId: organization.id, now: now() });
        if (!pending) return undefined;
        await repo.deletePendingInstall(trx, pendingId);
        return { token: cipher.open(pending.sealedRefreshToken), portalId: pending.portalId };
      });
      if (!refreshToken) throw new AppError('install_not_found', 'There is no HubSpot connection waiting for confirmation (it may have expired).');
      await revokeUnlessHeld(refreshToken.portalId, refreshToken.token);
      log.info({ organizationId: organization.id }, 'portal change cancelled');
    },

    async findAwaitingConfirmation(organizationId: string) {
      const p = await repo.findAwaitingInstallByOrganization(db, organizationId, now());
      return p ? toView(p) : undefined;
    },

    async findUnclaimed(claimToken: string) {
      const p = await repo.findUnclaimedInstallByClaimHash(db, hashOpaqueToken(claimToken), now());
      return p ? toView(p) : undefined;
    },

    async purgeExpired() {
      const { states, links, pending } = await repo.deleteExpired(db, now());
      for (const p of pending) await revokeUnlessHeld(p.portalId, cipher.open(p.sealedRefreshToken));
      if (states + links + pending.length > 0) log.info({ states, links, pendingInstalls: pending.length }, 'expired install data purged');
      return { states, links, pendingInstalls: pending.length };
    },
  });
}

/** Splits the binding cookie `<nonce>.<linkToken>` (neither part contains a dot). */
function splitBinding(cookie: string | undefined): [string | undefined, string | undefined] {
  if (!cookie) return [undefined, undefined];
  const i = cookie.indexOf('.');
  if (i <= 0) return [undefined, undefined];
  return [cookie.slice(0, i), cookie.slice(i + 1)];
}
