// Record shapes of the in-memory HubSpot. Times are epoch ms from the injected clock; presenters turn
// them into HubSpot's ISO strings.
import type { CrmChange } from '../webhooks/types.js';

/** A HubSpot account (portal). `id` is the hub id. */
export interface Portal {
  id: number;
  name: string;
  domain: string;
  timeZone: string;
  currency: string;
  uiDomain: string;
  dataHostingLocation: string;
  accountType: string;
  createdAt: number;
  /** True while the emulated app is installed (consent approved, not uninstalled). */
  installed: boolean;
}

/** A HubSpot user of one portal. */
export interface User {
  id: number;
  portalId: number;
  email: string;
  firstName: string;
  lastName: string;
  superAdmin: boolean;
  createdAt: number;
}

/** A CRM owner. `id` is the owner id (`hubspot_owner_id`); `userId` the user id behind it (https://developers.hubspot.com/docs/api-reference/latest/crm/owners/guide). */
export interface Owner {
  id: number;
  portalId: number;
  userId: number | null;
  email: string;
  firstName: string;
  lastName: string;
  type: 'PERSON' | 'QUEUE';
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

/** CRM object types the emulator serves. */
export type ObjectType = 'contacts' | 'tickets' | 'notes';

/** A contact, ticket or note. Property values are strings, as HubSpot returns them. */
export interface CrmObject {
  id: number;
  portalId: number;
  type: ObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
}

/** A directed association between two records, with HubSpot's association type id. */
export interface Association {
  portalId: number;
  fromType: ObjectType;
  fromId: number;
  toType: ObjectType;
  toId: number;
  typeId: number;
}

/** A conversations inbox thread (https://developers.hubspot.com/docs/api-reference/conversations-conversations-v3/guide). `assignedTo` is a user id. */
export interface Thread {
  id: number;
  portalId: number;
  inboxId: string;
  status: 'OPEN' | 'CLOSED';
  assignedTo: number | null;
  associatedContactId: number | null;
  associatedTicketId: number | null;
  originalChannelId: string;
  originalChannelAccountId: string;
  createdAt: number;
  closedAt: number | null;
  archived: boolean;
}

/** A message recipient as the messages API takes and returns it. */
export interface Recipient {
  actorId?: string;
  recipientField?: string;
  deliveryIdentifiers?: { type: string; value: string }[];
}

/** A thread message or internal comment. */
export interface Message {
  id: string;
  threadId: number;
  portalId: number;
  type: 'MESSAGE' | 'COMMENT' | 'WELCOME_MESSAGE';
  text: string;
  richText: string;
  subject: string | null;
  senderActorId: string;
  recipients: Recipient[];
  direction: 'INCOMING' | 'OUTGOING';
  channelId: string;
  channelAccountId: string;
  createdAt: number;
  /** Set when the message came in through the API with an app token. */
  integrationAppId: number | null;
}

/** A pending or used authorization code. */
export interface AuthCode {
  code: string;
  portalId: number;
  userId: number;
  scopes: string[];
  redirectUri: string;
  createdAt: number;
  expiresAt: number;
  used: boolean;
}

/** An OAuth access token. */
export interface AccessTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken: string;
}

/** An OAuth refresh token. */
export interface RefreshTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
}

/** A private app's static access token (legacy path). */
export interface PrivateAppToken {
  token: string;
  portalId: number;
  privateAppId: number;
  name: string;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
}

/** One app install (consent approved). */
export interface Install {
  portalId: number;
  userId: number;
  scopes: string[];
  at: number;
}

/** One app uninstall. */
export interface Uninstall {
  portalId: number;
  at: number;
  /** `api`: DELETE /appinstalls/.../external-install; `control`: the control API. */
  via: 'api' | 'control';
}

/** Per-portal counters readable through the control API. */
export interface PortalCounters {
  /** Successful token grants (code exchanges + refreshes). */
  tokenExchanges: number;
  codeExchanges: number;
  refreshes: number;
  /** Authenticated HubSpot API calls (429s included). */
  apiCalls: number;
  /** 429 answers. */
  rateLimited: number;
}

/** One HubSpot API call received (control routes excluded). */
export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  portalId: number | null;
  status: number;
  at: number;
  durationMs: number;
}

/** Who made a change, for the webhook's `changeSource`/`sourceId`. */
export interface ChangeOrigin {
  changeSource: string;
  sourceId?: string;
}

/** A change that was handed to the webhook sender, kept for inspection. */
export type PublishedChange = CrmChange;
