// The JSON contract between the HubSpot UI extensions (cards, settings page) and the backend's
// `/hubspot/ui/*` routes, and its one source. It lives here, as plain types with no imports, because
// HubSpot builds and uploads src/app/cards on its own (its package.json), so card code can import
// nothing from backend/ and should not carry zod. The backend depends on it instead, type-only:
// - its presenters (backend/src/modules/cards/cards.routes.ts) return these response types, so a
//   drift on either side fails `npm run typecheck`;
// - test/contract/card-wire-contract.int.test.ts reads this file with the TypeScript compiler and
//   holds the real backend's answers against these types (no missing, extra or retyped field), and
//   the zod request schemas (cards.schemas.ts) against the request types.
// Every request is signed by HubSpot (v3) and carries the identity query parameters (portalId, userId,
// userEmail, appId), so nothing here names the portal or the user.

/** The record types the cards are installed on (`objectTypes` in the card hsmeta files). */
export type RecordObjectType = 'tickets' | 'contacts';

/** Whether the AI may answer on a conversation. */
export type AiState = 'active' | 'paused' | 'handoff_requested';

/** A state change the card can ask for: `POST /hubspot/ui/conversations/:id/<action>`. */
export type TransitionAction = 'pause' | 'resume' | 'handoff';

/** The state of the portal's connection to Switchboard. */
export type ConnectionStatus = 'connected' | 'needs_reauth' | 'disconnected' | 'not_connected';

/** How the portal is connected: the OAuth app, a legacy Private App token, or not at all. */
export type ConnectionAuth = 'oauth' | 'private_app' | null;

/** One entry of a conversation's audit trail: the latest one is shown on the card. */
export interface Transition {
  from: AiState;
  to: AiState;
  /** What caused it, e.g. `owner_change`, `workflow`, `card`, `api`. */
  source: string;
  /** Who caused it (an email for the card, a workflow id, an API key name…), if known. */
  actor: string | null;
  reason: string | null;
  /** ISO 8601. */
  at: string;
}

/** A vendor conversation linked to the record. */
export interface Conversation {
  id: string;
  externalId: string;
  ticketId: string | null;
  contactId: string | null;
  threadId: string | null;
  aiState: AiState;
  /** ISO 8601. */
  updatedAt: string;
  lastTransition: Transition | null;
}

/** `connection` in the record answer. */
export interface RecordConnection {
  status: ConnectionStatus;
  auth: ConnectionAuth;
}

/** `GET /hubspot/ui/records/:objectType/:objectId`. */
export interface RecordResponse {
  connection: RecordConnection;
  conversations: Conversation[];
}

/** Body of `POST /hubspot/ui/conversations/:id/{pause,resume,handoff}`. */
export interface TransitionRequest {
  reason?: string;
  note?: string;
}

/** Answer of `POST /hubspot/ui/conversations/:id/{pause,resume,handoff}`. */
export interface TransitionResponse {
  conversation: Conversation;
}

/** A HubSpot team that is asked to take over when a handoff is requested. */
export interface HandoffTeam {
  /** HubSpot team id, as a string. */
  id: string;
  name: string;
}

/** `connection` in the settings answer: enough to judge the connection's health. */
export interface SettingsConnection {
  status: ConnectionStatus;
  auth: ConnectionAuth;
  portalId: number | null;
  scopes: string[];
  /** ISO 8601, or null when the token was never refreshed. */
  lastRefreshAt: string | null;
  /** The last failure's message, or null. */
  lastError: string | null;
}

/** The organization's settings that the HubSpot settings page edits. */
export interface OrganizationSettings {
  pauseOnOwnerChange: boolean;
  handoffTeams: HandoffTeam[];
}

/** `GET /hubspot/ui/settings` and `PATCH /hubspot/ui/settings`. */
export interface SettingsResponse {
  connection: SettingsConnection;
  settings: OrganizationSettings;
  /** The vendor's dashboard for this organization, or null when none is configured. */
  dashboardUrl: string | null;
}

/** Body of `PATCH /hubspot/ui/settings`: only the fields to change. */
export interface SettingsPatch {
  pauseOnOwnerChange?: boolean;
  handoffTeams?: HandoffTeam[];
}

/** Where the portal stands with the help-desk channel (the vendor's conversations in a HubSpot inbox). */
export type HelpdeskState = 'not_connected' | 'needs_scopes' | 'channel_not_registered' | 'ready_to_connect' | 'connected';

/** An inbox or help desk of the portal the channel can be connected to. */
export interface HelpdeskInbox {
  /** HubSpot inbox id, as a string. */
  id: string;
  name: string;
}

/** The inbox the channel is connected to. */
export interface HelpdeskAccount {
  inboxId: string;
  /** The inbox's name, or null when HubSpot did not list the inboxes. */
  inboxName: string | null;
  /** ISO 8601. */
  connectedAt: string;
}

/** `GET /hubspot/ui/helpdesk` and `POST /hubspot/ui/helpdesk/connect`. */
export interface HelpdeskResponse {
  state: HelpdeskState;
  /** The scopes the connection still needs (`needs_scopes`), else empty. */
  missingScopes: string[];
  /** HubSpot's consent page for this portal, asking for every scope again (`needs_scopes`), else null. */
  reconnectUrl: string | null;
  account: HelpdeskAccount | null;
  /** The inboxes to pick from (`ready_to_connect`, `connected`); null otherwise or when HubSpot did not list them. */
  inboxes: HelpdeskInbox[] | null;
  /** Why `inboxes` is null although the state allows picking, else null. */
  inboxesError: string | null;
  /** Messages HubSpot did not accept after every retry (at most 100 are counted). */
  failedMessages: number;
}

/** Body of `POST /hubspot/ui/helpdesk/connect`: the inbox to connect the channel to. */
export interface HelpdeskConnectRequest {
  inboxId: string;
}

/** Every error answer: `{ error: { code, message } }` (409 `invalid_transition`, 401 `signature_invalid`, …). */
export interface ErrorResponse {
  error: { code: string; message: string; details?: unknown };
}
