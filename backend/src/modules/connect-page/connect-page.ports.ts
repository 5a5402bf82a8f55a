// What the connection page needs from other modules, as slices of the types their owners export.
import type { ConnectionsService } from '../connections/connections.service.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { InstallsService } from '../installs/installs.service.js';
import type { HelpdeskService } from '../helpdesk/helpdesk.service.js';
import type { EmulatorResetWatch } from '../local-emulator/emulator-reset.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { TokensService } from '../tokens/tokens.service.js';
import type { WebhooksService } from '../webhooks/webhooks.service.js';
import type { WorkflowActionsService } from '../workflow-actions/workflow-actions.service.js';

/** Install links, claims and portal changes. */
export type InstallsPort = Pick<InstallsService, 'resolveLink' | 'findAwaitingConfirmation' | 'findUnclaimed' | 'startClaim' | 'confirmPortalChange' | 'cancelPortalChange'>;
/** The connection's status, the Private App token form and the disconnect button. */
export type ConnectionsPort = Pick<ConnectionsService, 'getStatus' | 'setPrivateAppToken' | 'disconnect'>;
/** The organization's settings form. */
export type SettingsPort = Pick<SettingsService, 'getSettings' | 'updateSettings'>;
/** Troubleshooting: the latest token refreshes. */
export type TokensPort = Pick<TokensService, 'listRecentRefreshes'>;
/** Troubleshooting: the latest webhook deliveries. */
export type WebhooksPort = Pick<WebhooksService, 'listRecentEvents'>;
/** Troubleshooting: the latest workflow executions. */
export type WorkflowActionsPort = Pick<WorkflowActionsService, 'listRecentExecutions'>;
/** Troubleshooting: note write-backs that wait or failed. */
export type ConversationsPort = Pick<ConversationsService, 'listWritebacksNeedingAttention'>;
/** Local mode only: whether the emulator was reset under this database. */
export type EmulatorResetPort = EmulatorResetWatch;
/** The help-desk channel: its state (missing scopes, failed publishes), the inbox picker and connecting. */
export type HelpdeskPort = Pick<HelpdeskService, 'getInboxPicker' | 'connectInbox'>;
