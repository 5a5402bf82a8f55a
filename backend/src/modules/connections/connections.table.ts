import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** Connection status of an organization with a HubSpot portal (no row = not connected). */
export type ConnectionStatus = 'connected' | 'needs_reauth' | 'disconnected';
/** How the connection authenticates: the OAuth public app, or a legacy Private App token. */
export type ConnectionAuth = 'oauth' | 'private_app';

/** One row per organization: the portal it is connected to and the connection's health. */
export interface ConnectionsTable {
  organization_id: string;
  status: ConnectionStatus;
  auth: ConnectionAuth;
  portal_id: number;
  portal_domain: string | null;
  scopes: string[];
  connected_by: string | null;
  connected_at: Timestamp;
  status_changed_at: Timestamp;
  reauth_reason: string | null;
  updated_at: Timestamp;
}

/** Append-only history of an organization's connection changes. */
export interface ConnectionHistoryTable {
  id: Generated<number>;
  organization_id: string;
  event: string;
  auth: ConnectionAuth | null;
  portal_id: number | null;
  detail: string | null;
  at: Timestamp;
}

export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnectionRow = Insertable<ConnectionsTable>;
export type ConnectionUpdate = Updateable<ConnectionsTable>;
export type ConnectionHistoryRow = Selectable<ConnectionHistoryTable>;
export type NewConnectionHistoryRow = Insertable<ConnectionHistoryTable>;

/** What other modules need to know about a portal's connection (webhooks routing, workflow actions). */
export interface ConnectionSummary {
  organizationId: string;
  portalId: number;
  status: ConnectionStatus;
  /** Workflow actions refuse `private_app` connections (they only work on the OAuth app). */
  auth: ConnectionAuth;
  scopes: string[];
}
