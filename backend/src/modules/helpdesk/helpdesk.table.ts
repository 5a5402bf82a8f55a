import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type BigId = ColumnType<number, number | string, number | string>;

/** The app's custom channel as registered at HubSpot (one per app). */
export interface HelpdeskChannelsTable {
  app_id: BigId;
  channel_id: string;
  name: string;
  webhook_url: string;
  redirect_url: string;
  logo_url: string | null;
  registered_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** How a channel account came to be: our API / connection page, or HubSpot's own connect flow. */
export type ConnectedVia = 'api' | 'hubspot';

/** An organization's channel account: the channel connected to one inbox or help desk of its portal. */
export interface HelpdeskChannelAccountsTable {
  organization_id: string;
  portal_id: BigId;
  channel_id: string;
  channel_account_id: string;
  inbox_id: string;
  name: string;
  /** The account's opaque delivery identifier (the customer-facing address of the AI). */
  delivery_identifier: string;
  connected_via: ConnectedVia;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A conversation's HubSpot thread (null until the first message's answer names it). */
export interface HelpdeskThreadsTable {
  conversation_id: string;
  organization_id: string;
  hubspot_thread_id: string | null;
  created_at: CreatedAt;
}

/** Outbox state of one message. */
export type HelpdeskMessageStatus = 'pending' | 'sent' | 'failed';
/** Who wrote a published message. */
export type HelpdeskAuthor = 'customer' | 'ai';

/** The outbox of messages published into threads, in `seq` order per conversation. */
export interface HelpdeskMessagesTable {
  id: Generated<string>;
  seq: Generated<string>;
  organization_id: string;
  conversation_id: string;
  author: HelpdeskAuthor;
  text: string;
  rich_text: string | null;
  customer: ColumnType<CustomerIdentity, string, string>;
  idempotency_key: string | null;
  status: ColumnType<HelpdeskMessageStatus, HelpdeskMessageStatus | undefined, HelpdeskMessageStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  hubspot_message_id: string | null;
  created_at: CreatedAt;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** What the vendor tells us about the customer of a conversation. */
export interface CustomerIdentity {
  email?: string;
  phone?: string;
  name?: string;
}

/** Delivery status the vendor reported for an agent reply. */
export type DeliveryStatus = 'sent' | 'failed' | 'read';

/** Agent replies received from HubSpot (one row per HubSpot message: redeliveries are no-ops). */
export interface HelpdeskAgentRepliesTable {
  organization_id: string;
  hubspot_message_id: string;
  conversation_id: string;
  hubspot_thread_id: string;
  delivery_status: DeliveryStatus | null;
  received_at: CreatedAt;
}
