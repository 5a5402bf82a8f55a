import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** A personalised, expiring link to the connection page (`/connect/<token>`); stored by hash. */
export interface InstallLinksTable {
  id: Generated<string>;
  organization_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

/** One OAuth attempt: random `state`, bound to its organization, link and browser; single-use, 10 minutes. */
export interface OAuthStatesTable {
  state_hash: string;
  organization_id: string;
  install_link_id: string;
  browser_binding_hash: string;
  /** Set when the attempt claims a marketplace install: the grant must be for that install's portal. */
  pending_install_id: ColumnType<string | null, string | null | undefined, string | null>;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
}

/**
 * A completed grant not yet attached to a connection: a HubSpot-initiated install waiting to be
 * claimed (`unclaimed`), or a grant for a different portal waiting for the organization's
 * confirmation (`awaiting_confirmation`). Tokens are sealed.
 */
export interface PendingInstallsTable {
  id: Generated<string>;
  kind: 'unclaimed' | 'awaiting_confirmation';
  organization_id: string | null;
  claim_token_hash: string | null;
  portal_id: number;
  portal_domain: string | null;
  scopes: string[];
  approved_by: string | null;
  access_token: Buffer;
  refresh_token: Buffer;
  access_expires_at: Timestamp;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export type InstallLinkRow = Selectable<InstallLinksTable>;
export type NewInstallLinkRow = Insertable<InstallLinksTable>;
export type OAuthStateRow = Selectable<OAuthStatesTable>;
export type NewOAuthStateRow = Insertable<OAuthStatesTable>;
export type PendingInstallRow = Selectable<PendingInstallsTable>;
export type NewPendingInstallRow = Insertable<PendingInstallsTable>;
export type PendingInstallUpdate = Updateable<PendingInstallsTable>;
