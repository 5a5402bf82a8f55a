// What the app card and settings page need from other modules, as slices of the types their owners export.
import type { ConnectionsService } from '../connections/connections.service.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { HelpdeskService } from '../helpdesk/helpdesk.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { WorkflowActionsService } from '../workflow-actions/workflow-actions.service.js';

/** Which organization holds the card's portal, and its connection status. */
export type ConnectionsPort = Pick<ConnectionsService, 'findByPortalId' | 'getStatus'>;
/** The record's conversations and the card's pause / resume / handoff buttons. */
export type ConversationsPort = Pick<ConversationsService, 'findByRecord' | 'pause' | 'resume' | 'requestHandoff' | 'lastTransitions'>;
/** The settings page's toggles. */
export type SettingsPort = Pick<SettingsService, 'getSettings' | 'updateSettings'>;
/** The settings page's handoff teams. */
export type HandoffTeamsPort = Pick<WorkflowActionsService, 'getHandoffTeams' | 'putHandoffTeams'>;
/** The settings page's help-desk section: the state with the inbox picker, and connecting the channel. */
export type HelpdeskPort = Pick<HelpdeskService, 'getInboxPicker' | 'connectInbox'>;
/** HubSpot's consent page for a portal without our `state`: its callback renews that portal's connection. */
export type ReconnectUrl = (portalId: number) => string;
