import type { ConnectionsService, ConnectionStatusView } from '../connections/connections.service.js';
import type { InstallsService, PendingInstallView } from '../installs/installs.service.js';

/** Everything the connection page shows. */
export interface ConnectPageModel {
  organizationName: string;
  oauthOnly: boolean;
  status: ConnectionStatusView;
  /** A grant for another portal waiting for the admin's confirmation. */
  awaitingConfirmation?: PendingInstallView;
  /** A HubSpot-initiated install this browser can claim. */
  unclaimed?: PendingInstallView;
  /** Show the "HubSpot connected" notice. */
  justConnected: boolean;
}

/** The hosted connection page (issue 4 renders a minimal page; a later issue builds the full one). */
export interface ConnectPageService {
  /**
   * The page for an install link.
   * @throws AppError install_link_invalid
   */
  getConnectPage(input: { linkToken: string; claimToken?: string; justConnected: boolean }): Promise<ConnectPageModel>;
  /** Claims a HubSpot-initiated install for the link's organization (see InstallsService.claimInstall). */
  claim: InstallsService['claimInstall'];
  /** Confirms a grant that switches portals (see InstallsService.confirmPortalChange). */
  confirmPortalChange: InstallsService['confirmPortalChange'];
  /** Drops a grant that would switch portals (see InstallsService.cancelPortalChange). */
  cancelPortalChange: InstallsService['cancelPortalChange'];
}

/** Builds the connection page service. */
export function createConnectPageService(deps: { installs: InstallsService; connections: ConnectionsService }): ConnectPageService {
  return Object.freeze<ConnectPageService>({
    async getConnectPage(input: { linkToken: string; claimToken?: string; justConnected: boolean }) {
      const { organization } = await deps.installs.resolveLink(input.linkToken);
      const [status, awaitingConfirmation, unclaimed] = await Promise.all([
        deps.connections.getStatus(organization.id),
        deps.installs.findAwaitingConfirmation(organization.id),
        input.claimToken ? deps.installs.findUnclaimed(input.claimToken) : Promise.resolve(undefined),
      ]);
      return { organizationName: organization.name, oauthOnly: organization.oauthOnly, status, awaitingConfirmation, unclaimed, justConnected: input.justConnected && status.status === 'connected' };
    },
    claim: (input) => deps.installs.claimInstall(input),
    confirmPortalChange: (input) => deps.installs.confirmPortalChange(input),
    cancelPortalChange: (input) => deps.installs.cancelPortalChange(input),
  });
}
