import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Whether the vendor's AI may answer on a conversation. */
export type AiState = 'active' | 'paused' | 'handoff_requested';

/**
 * What caused a transition (`workflow` and `card` come from the workflow-action and card features,
 * `hubspot-thread-assignee` from the help desk: its thread was (un)assigned in HubSpot).
 */
export type TransitionSource = 'owner_change' | 'assignment' | 'workflow' | 'card' | 'api' | 'hubspot-thread-assignee';

/**
 * A vendor chat session, linked to the organization's HubSpot portal through any of a ticket, a
 * contact and a conversations thread. `contact_name` / `contact_email` are the only personal data the
 * vendor may give us; a privacy deletion clears them with the contact link.
 */
export interface ConversationsTable {
  id: Generated<string>;
  organization_id: string;
  /** The vendor's own id for the session; unique per organization (upsert key). */
  external_id: string;
  ticket_id: number | null;
  contact_id: number | null;
  /** HubSpot conversations thread id (webhooks' `objectId` for `conversation.*`). */
  thread_id: number | null;
  /** Set when a contact.deletion unlinked the contact, so a later privacy deletion still finds the rows. */
  former_contact_id: ColumnType<number | null, number | null | undefined, number | null>;
  contact_name: string | null;
  contact_email: string | null;
  ai_state: ColumnType<AiState, AiState | undefined, AiState>;
  /** Last status HubSpot reported for the thread (`OPEN` / `CLOSED`). */
  thread_status: string | null;
  thread_closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The audit trail: one row per AI state change, with who caused it and why. */
export interface ConversationTransitionsTable {
  id: Generated<number>;
  conversation_id: string;
  organization_id: string;
  from_state: AiState;
  to_state: AiState;
  source: TransitionSource;
  /** Who: `hubspot-owner:<id>`, `hubspot-user:<id>`, a vendor-supplied name, … */
  actor: string | null;
  reason: string | null;
  /** Extra facts of the transition (the handoff team, the HubSpot owner id, …). */
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
  /** When the cause happened (HubSpot's `occurredAt` for webhooks, else the time of the request). */
  occurred_at: ColumnType<Date, Date | string, never>;
  created_at: CreatedAt;
}

/**
 * Status of a note write-back to HubSpot. `waiting_connection`: HubSpot could not be called because of
 * the connection's state (needs reauth, disconnected); it is sent once the organization reconnects.
 */
export type WritebackStatus = 'pending' | 'done' | 'failed' | 'waiting_connection';

/**
 * A note about a transition, to be written once onto the timelines of the linked ticket and contact
 * (one note associated with both). Retried by a job; a failure never undoes the transition and stays
 * visible here (troubleshooting data).
 */
export interface NoteWritebacksTable {
  id: Generated<number>;
  organization_id: string;
  conversation_id: string;
  transition_id: number;
  ticket_id: number | null;
  contact_id: number | null;
  status: ColumnType<WritebackStatus, WritebackStatus | undefined, WritebackStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  hubspot_note_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Record of a contact erased after HubSpot's `contact.privacyDeletion`. */
export interface PrivacyErasuresTable {
  id: Generated<number>;
  organization_id: string;
  portal_id: number;
  /**
   * The HubSpot contact id whose data was erased: kept as evidence that the request was honoured. It
   * is HubSpot's identifier (HubSpot itself sends it), not the personal data that was erased.
   */
  contact_id: number;
  conversations_unlinked: number;
  erased_at: CreatedAt;
}

export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversationRow = Insertable<ConversationsTable>;
export type ConversationUpdate = Updateable<ConversationsTable>;
export type ConversationTransitionRow = Selectable<ConversationTransitionsTable>;
export type NewConversationTransitionRow = Insertable<ConversationTransitionsTable>;
export type NoteWritebackRow = Selectable<NoteWritebacksTable>;
export type NewNoteWritebackRow = Insertable<NoteWritebacksTable>;
export type NoteWritebackUpdate = Updateable<NoteWritebacksTable>;
export type PrivacyErasureRow = Selectable<PrivacyErasuresTable>;
