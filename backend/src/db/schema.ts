import type { HubSpotBudgetCallsTable } from '../hubspot/budget.table.js';
import type {
  HelpdeskAgentRepliesTable,
  HelpdeskChannelAccountsTable,
  HelpdeskChannelsTable,
  HelpdeskMessagesTable,
  HelpdeskThreadsTable,
} from '../modules/helpdesk/helpdesk.table.js';
import type { OrganizationsTable } from '../modules/organizations/organizations.table.js';
import type { ConnectionHistoryTable, ConnectionsTable } from '../modules/connections/connections.table.js';
import type { InstallLinksTable, OAuthStatesTable, PendingInstallsTable } from '../modules/installs/installs.table.js';
import type { HubSpotTokensTable, TokenRefreshesTable } from '../modules/tokens/tokens.table.js';
import type { ConversationTransitionsTable, ConversationsTable, NoteWritebacksTable, PrivacyErasuresTable } from '../modules/conversations/conversations.table.js';
import type { EventDeliveriesTable, EventDestinationsTable, EventsTable } from '../modules/events/events.table.js';
import type { OrganizationSettingsTable } from '../modules/settings/settings.table.js';
import type { WebhookEventsTable, WebhookWatermarksTable } from '../modules/webhooks/webhooks.table.js';
import type {
  HandoffTeamsTable,
  WorkflowActionCallbacksTable,
  WorkflowActionExecutionsTable,
  WorkflowAutoResumesTable,
} from '../modules/workflow-actions/workflow-actions.table.js';

/** Every table, assembled from the modules' *.table.ts files. */
export interface Database {
  organizations: OrganizationsTable;
  install_links: InstallLinksTable;
  oauth_states: OAuthStatesTable;
  pending_installs: PendingInstallsTable;
  connections: ConnectionsTable;
  connection_history: ConnectionHistoryTable;
  hubspot_tokens: HubSpotTokensTable;
  token_refreshes: TokenRefreshesTable;
  organization_settings: OrganizationSettingsTable;
  conversations: ConversationsTable;
  conversation_transitions: ConversationTransitionsTable;
  note_writebacks: NoteWritebacksTable;
  privacy_erasures: PrivacyErasuresTable;
  events: EventsTable;
  event_destinations: EventDestinationsTable;
  event_deliveries: EventDeliveriesTable;
  webhook_events: WebhookEventsTable;
  webhook_watermarks: WebhookWatermarksTable;
  workflow_action_executions: WorkflowActionExecutionsTable;
  workflow_action_callbacks: WorkflowActionCallbacksTable;
  workflow_auto_resumes: WorkflowAutoResumesTable;
  handoff_teams: HandoffTeamsTable;
  hubspot_budget_calls: HubSpotBudgetCallsTable;
  helpdesk_channels: HelpdeskChannelsTable;
  helpdesk_channel_accounts: HelpdeskChannelAccountsTable;
  helpdesk_threads: HelpdeskThreadsTable;
  helpdesk_messages: HelpdeskMessagesTable;
  helpdesk_agent_replies: HelpdeskAgentRepliesTable;
}
