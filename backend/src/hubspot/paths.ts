/**
 * Every HubSpot API path the backend calls, in one place, on the date-versioned `2026-03` paths
 * wherever HubSpot publishes one (checked against https://developers.hubspot.com/docs/api-reference/2026-03/).
 * The conversations API has no 2026-03 version (only v3 and 2026-09), so threads are read on v3.
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-1
 */
const seg = (value: string | number): string => encodeURIComponent(String(value));

/** HubSpot paths, by endpoint. */
export const HUBSPOT_PATHS = Object.freeze({
  /** https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide */
  token: '/oauth/2026-03/token',
  introspect: '/oauth/2026-03/token/introspect',
  revoke: '/oauth/2026-03/token/revoke',
  /** https://developers.hubspot.com/docs/api-reference/2026-03/account/account-info/guide */
  accountDetails: '/account-info/2026-03/details',
  /** https://developers.hubspot.com/docs/api-reference/2026-03/crm/app-uninstalls/guide */
  uninstall: '/appinstalls/2026-03/external-install',
  /** https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/tickets/guide */
  ticket: (ticketId: number | string) => `/crm/objects/2026-03/tickets/${seg(ticketId)}`,
  /** https://developers.hubspot.com/docs/api-reference/2026-03/crm/activities/notes/guide */
  notes: '/crm/objects/2026-03/notes',
  /** https://developers.hubspot.com/docs/api-reference/legacy/conversations/inbox-and-messages/guide */
  thread: (threadId: number | string) => `/conversations/v3/conversations/threads/${seg(threadId)}`,
  threadMessages: (threadId: number | string) => `/conversations/v3/conversations/threads/${seg(threadId)}/messages`,
  threadMessage: (threadId: number | string, messageId: string) => `/conversations/v3/conversations/threads/${seg(threadId)}/messages/${seg(messageId)}`,
  /** https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/complete-callback */
  completeCallback: (callbackId: string) => `/automation/actions/callbacks/2026-03/${seg(callbackId)}/complete`,
  /** https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/batch-complete-callbacks */
  completeCallbacks: '/automation/actions/callbacks/2026-03/complete',
  /** https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide */
  customChannels: '/conversations/custom-channels/2026-03',
  customChannel: (channelId: string) => `/conversations/custom-channels/2026-03/${seg(channelId)}`,
  channelAccounts: (channelId: string) => `/conversations/custom-channels/2026-03/${seg(channelId)}/channel-accounts`,
  stagingToken: (channelId: string, accountToken: string) => `/conversations/custom-channels/2026-03/${seg(channelId)}/channel-account-staging-tokens/${seg(accountToken)}`,
  channelMessages: (channelId: string) => `/conversations/custom-channels/2026-03/${seg(channelId)}/messages`,
  channelMessage: (channelId: string, messageId: string) => `/conversations/custom-channels/2026-03/${seg(channelId)}/messages/${seg(messageId)}`,
  /** https://developers.hubspot.com/docs/api-reference/legacy/conversations/inbox-and-messages/guide */
  inboxes: '/conversations/v3/conversations/inboxes',
  threadsV3: '/conversations/v3/conversations/threads',
});
