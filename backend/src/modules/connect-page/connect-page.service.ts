// The hosted connection page behind an install link. The link token is the credential: every use case
// starts by resolving it (unknown or expired → install_link_invalid), and then only touches that
// link's organization. The page reads the same services as the vendor API.
import type { FeatureModule } from '../../platform/module.js';
import type { ConnectionStatusView } from '../connections/connections.service.js';
import type { NoteWriteback } from '../conversations/conversations.service.js';
import type { PendingInstallView } from '../installs/installs.service.js';
import type { TokenRefresh } from '../tokens/tokens.service.js';
import type { InboxEntry } from '../webhooks/webhooks.service.js';
import type { ExecutionSummary } from '../workflow-actions/workflow-actions.service.js';
import type { InboxPicker } from '../helpdesk/helpdesk.service.js';
import type { ConnectionsPort, ConversationsPort, EmulatorResetPort, HelpdeskPort, InstallsPort, SettingsPort, TokensPort, WebhooksPort, WorkflowActionsPort } from './connect-page.ports.js';

/** Confirmation shown once after an action (the "HubSpot connected" toast and its siblings). */
export type ConnectPageNotice = 'connected' | 'disconnected' | 'settings_saved' | 'private_app_saved' | 'rolled_back' | 'portal_kept' | 'helpdesk_connected';

/** The troubleshooting panel: what happened lately between HubSpot and the organization. */
export interface Troubleshooting {
  webhookDeliveries: InboxEntry[];
  workflowExecutions: ExecutionSummary[];
  tokenRefreshes: TokenRefresh[];
  /** Notes to HubSpot waiting for a reconnect or failed, with their reason. */
  noteWritebacks: NoteWriteback[];
}

/** Everything the connection page shows. */
export interface ConnectPageModel {
  organizationName: string;
  oauthOnly: boolean;
  status: ConnectionStatusView;
  /** A grant for another portal waiting for the admin's confirmation. */
  awaitingConfirmation?: PendingInstallView;
  /** A HubSpot-initiated install this browser can claim. */
  unclaimed?: PendingInstallView;
  /** The one-time confirmation to show, if any still applies. */
  notice?: ConnectPageNotice;
  settings: { pauseOnOwnerChange: boolean };
  troubleshooting: Troubleshooting;
  linkExpiresAt: Date;
  /** Local mode: the emulator was reset after this organization connected, so the connection is gone there. */
  emulatorReset?: { since: Date };
  /** The help-desk channel section. */
  helpdesk: HelpdeskSection;
}

/** The help-desk channel: its state, and the inbox picker when the channel may be connected. */
export type HelpdeskSection = InboxPicker;

/** Rows per troubleshooting table. */
export const TROUBLESHOOTING_ROWS = 10;

/** The hosted connection page's use cases (each takes the install-link token first). */
export interface ConnectPageService {
  /**
   * The page for an install link.
   * @throws AppError install_link_invalid
   */
  getConnectPage(input: { linkToken: string; claimToken?: string; notice?: ConnectPageNotice }): Promise<ConnectPageModel>;
  /** Starts claiming a HubSpot-initiated install: HubSpot must confirm the portal (see InstallsService.startClaim). */
  claim: InstallsPort['startClaim'];
  /** Confirms a grant that switches portals (see InstallsService.confirmPortalChange). */
  confirmPortalChange: InstallsPort['confirmPortalChange'];
  /** Drops a grant that would switch portals (see InstallsService.cancelPortalChange). */
  cancelPortalChange: InstallsPort['cancelPortalChange'];
  /**
   * Disconnects the link's organization (revokes the grant; optionally uninstalls the app).
   * @throws AppError install_link_invalid | install_not_found | hubspot_unavailable
   */
  disconnect(input: { linkToken: string; uninstall: boolean }): Promise<void>;
  /**
   * Stores a legacy Private App token for the link's organization (see ConnectionsService.setPrivateAppToken).
   * @returns what happened, for the confirmation
   * @throws AppError install_link_invalid | oauth_only | invalid_body | invalid_transition | portal_conflict | hubspot_unavailable
   */
  setPrivateAppToken(input: { linkToken: string; token: string; confirmRollback: boolean; confirmPortalChange: boolean }): Promise<'saved' | 'rolled_back'>;
  /**
   * Changes the organization's settings.
   * @throws AppError install_link_invalid
   */
  updateSettings(input: { linkToken: string; pauseOnOwnerChange: boolean }): Promise<void>;
  /**
   * Connects the help-desk channel to the picked inbox (see HelpdeskService.connectInbox).
   * @throws AppError install_link_invalid | missing_scope | conflict | hubspot_upstream_error
   */
  connectHelpdeskInbox(input: { linkToken: string; inboxId: string }): Promise<void>;
}

/** Dependencies of the connection page. */
export interface ConnectPageDeps {
  installs: InstallsPort;
  connections: ConnectionsPort;
  settings: SettingsPort;
  tokens: TokensPort;
  webhooks: WebhooksPort;
  workflowActions: WorkflowActionsPort;
  conversations: ConversationsPort;
  helpdesk: HelpdeskPort;
  /** Local mode only (absent against real HubSpot). */
  emulatorReset?: EmulatorResetPort;
}

/** Builds the connection page service. */
export function createConnectPageService(deps: ConnectPageDeps): ConnectPageService {
  const organizationOf = async (linkToken: string) => (await deps.installs.resolveLink(linkToken)).organization;

  return Object.freeze<ConnectPageService>({
    async getConnectPage(input) {
      const { organization, link } = await deps.installs.resolveLink(input.linkToken);
      const id = organization.id;
      const [status, awaitingConfirmation, unclaimed, settings, webhookDeliveries, workflowExecutions, tokenRefreshes, noteWritebacks, emulatorReset] = await Promise.all([
        deps.connections.getStatus(id),
        deps.installs.findAwaitingConfirmation(id),
        input.claimToken ? deps.installs.findUnclaimed(input.claimToken) : Promise.resolve(undefined),
        deps.settings.getSettings(id),
        deps.webhooks.listRecentEvents(id, TROUBLESHOOTING_ROWS),
        deps.workflowActions.listRecentExecutions(id, TROUBLESHOOTING_ROWS),
        deps.tokens.listRecentRefreshes(id, TROUBLESHOOTING_ROWS),
        deps.conversations.listWritebacksNeedingAttention(id, TROUBLESHOOTING_ROWS),
        deps.emulatorReset?.check(),
      ]);
      const helpdesk = await deps.helpdesk.getInboxPicker(id);
      const live = status.status === 'connected' || status.status === 'needs_reauth';
      const resetUnder = emulatorReset && live && status.connectedAt !== null && status.connectedAt < emulatorReset.since ? { since: emulatorReset.since } : undefined;
      // A stale "connected" URL (bookmarked, or the connection broke since) must not claim success.
      const notice = input.notice === 'connected' && status.status !== 'connected' ? undefined : input.notice;
      return {
        organizationName: organization.name,
        oauthOnly: organization.oauthOnly,
        status,
        awaitingConfirmation,
        unclaimed,
        notice,
        settings: { pauseOnOwnerChange: settings.pauseOnOwnerChange },
        troubleshooting: { webhookDeliveries, workflowExecutions, tokenRefreshes, noteWritebacks },
        linkExpiresAt: link.expiresAt,
        helpdesk,
        ...(resetUnder ? { emulatorReset: resetUnder } : {}),
      };
    },

    claim: (input) => deps.installs.startClaim(input),
    confirmPortalChange: (input) => deps.installs.confirmPortalChange(input),
    cancelPortalChange: (input) => deps.installs.cancelPortalChange(input),

    async disconnect(input) {
      const organization = await organizationOf(input.linkToken);
      await deps.connections.disconnect({ organizationId: organization.id, uninstall: input.uninstall });
    },

    async setPrivateAppToken(input) {
      const organization = await organizationOf(input.linkToken);
      const result = await deps.connections.setPrivateAppToken({
        organizationId: organization.id,
        token: input.token,
        confirmRollback: input.confirmRollback,
        confirmPortalChange: input.confirmPortalChange,
      });
      return result === 'rolled_back_to_private_app' ? 'rolled_back' : 'saved';
    },

    async updateSettings(input) {
      const organization = await organizationOf(input.linkToken);
      await deps.settings.updateSettings(organization.id, { pauseOnOwnerChange: input.pauseOnOwnerChange });
    },

    async connectHelpdeskInbox(input) {
      const organization = await organizationOf(input.linkToken);
      await deps.helpdesk.connectInbox(organization.id, { inboxId: input.inboxId });
    },
  });
}

/** The connection page module: its service; it has no jobs. */
export function createConnectPageModule(deps: ConnectPageDeps): FeatureModule<ConnectPageService> {
  return { service: createConnectPageService(deps), jobs: [], schedules: [] };
}
