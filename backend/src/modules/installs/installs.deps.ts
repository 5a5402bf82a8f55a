// The install flow's dependencies, lifetimes and the shapes its use cases share.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { TokenCipher } from '../../platform/crypto/token-cipher.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { ApplyGrantResult } from '../connections/connections.service.js';
import type { PendingInstall } from './installs.repository.js';
import type { ConnectionsPort, OAuthPort, OrganizationsPort } from './installs.ports.js';

/** Dependencies of the installs module. */
export interface InstallsDeps {
  db: Db;
  cipher: TokenCipher;
  oauth: OAuthPort;
  connections: ConnectionsPort;
  organizations: OrganizationsPort;
  clock: Clock;
  log: Logger;
  publicBaseUrl: string;
}

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

/** The view of a pending install (its tokens stay sealed in the row). */
export function toPendingView(p: PendingInstall): PendingInstallView {
  return { id: p.id, portalId: p.portalId, portalDomain: p.portalDomain, approvedBy: p.approvedBy, expiresAt: p.expiresAt };
}

/** Now, by the injected clock. */
export function nowOf(deps: Pick<InstallsDeps, 'clock'>): Date {
  return new Date(deps.clock.now());
}

/** `seconds` from now, by the injected clock. */
export function inSeconds(deps: Pick<InstallsDeps, 'clock'>, seconds: number): Date {
  return new Date(deps.clock.now() + seconds * 1000);
}

/** No grant awaits confirmation under that id (expired, cancelled or never there). */
export function noAwaitingGrant(): AppError {
  return new AppError('install_not_found', 'There is no HubSpot connection waiting for confirmation (it may have expired).');
}
