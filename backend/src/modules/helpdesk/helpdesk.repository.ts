// Queries of the help-desk tables. Every function takes the executor (the pool or a transaction).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { ConnectedVia, CustomerIdentity, DeliveryStatus, HelpdeskAuthor, HelpdeskMessageStatus } from './helpdesk.table.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The app's registered channel. */
export interface Channel {
  appId: number;
  channelId: string;
  name: string;
  webhookUrl: string;
  redirectUrl: string;
  logoUrl: string | null;
}

/** An organization's channel account. */
export interface ChannelAccount {
  organizationId: string;
  portalId: number;
  channelId: string;
  channelAccountId: string;
  inboxId: string;
  name: string;
  deliveryIdentifier: string;
  connectedVia: ConnectedVia;
  createdAt: Date;
}

/** One outbox message. */
export interface OutboxMessage {
  id: string;
  seq: number;
  organizationId: string;
  conversationId: string;
  author: HelpdeskAuthor;
  text: string;
  richText: string | null;
  customer: CustomerIdentity;
  idempotencyKey: string | null;
  status: HelpdeskMessageStatus;
  attempts: number;
  lastError: string | null;
  hubspotMessageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** The stored columns of an account (all but its organization and times). */
function accountRow(a: Omit<ChannelAccount, 'createdAt'>) {
  return {
    portal_id: a.portalId,
    channel_id: a.channelId,
    channel_account_id: a.channelAccountId,
    inbox_id: a.inboxId,
    name: a.name,
    delivery_identifier: a.deliveryIdentifier,
    connected_via: a.connectedVia,
  };
}

const toAccount = (r: Record<string, unknown>): ChannelAccount => ({
  organizationId: r.organization_id as string,
  portalId: Number(r.portal_id),
  channelId: r.channel_id as string,
  channelAccountId: r.channel_account_id as string,
  inboxId: r.inbox_id as string,
  name: r.name as string,
  deliveryIdentifier: r.delivery_identifier as string,
  connectedVia: r.connected_via as ConnectedVia,
  createdAt: r.created_at as Date,
});

const toMessage = (r: Record<string, unknown>): OutboxMessage => ({
  id: r.id as string,
  seq: Number(r.seq),
  organizationId: r.organization_id as string,
  conversationId: r.conversation_id as string,
  author: r.author as HelpdeskAuthor,
  text: r.text as string,
  richText: (r.rich_text as string | null) ?? null,
  customer: r.customer as CustomerIdentity,
  idempotencyKey: (r.idempotency_key as string | null) ?? null,
  status: r.status as HelpdeskMessageStatus,
  attempts: Number(r.attempts),
  lastError: (r.last_error as string | null) ?? null,
  hubspotMessageId: (r.hubspot_message_id as string | null) ?? null,
  createdAt: r.created_at as Date,
  sentAt: (r.sent_at as Date | null) ?? null,
});

/** Help-desk queries. */
export const helpdeskRepository = {
  async findChannel(db: Executor, appId: number): Promise<Channel | undefined> {
    const r = await db.selectFrom('helpdesk_channels').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return r && { appId: Number(r.app_id), channelId: r.channel_id, name: r.name, webhookUrl: r.webhook_url, redirectUrl: r.redirect_url, logoUrl: r.logo_url };
  },

  async upsertChannel(db: Executor, c: Channel): Promise<void> {
    const row = { channel_id: c.channelId, name: c.name, webhook_url: c.webhookUrl, redirect_url: c.redirectUrl, logo_url: c.logoUrl };
    await db
      .insertInto('helpdesk_channels')
      .values({ app_id: c.appId, ...row })
      .onConflict((oc) => oc.column('app_id').doUpdateSet({ ...row, updated_at: sql`now()` }))
      .execute();
  },

  async findAccount(db: Executor, organizationId: string): Promise<ChannelAccount | undefined> {
    const r = await db.selectFrom('helpdesk_channel_accounts').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
    return r && toAccount(r);
  },

  async upsertAccount(db: Executor, a: Omit<ChannelAccount, 'createdAt'>): Promise<ChannelAccount> {
    const row = accountRow(a);
    const r = await db
      .insertInto('helpdesk_channel_accounts')
      .values({ organization_id: a.organizationId, ...row })
      .onConflict((oc) => oc.column('organization_id').doUpdateSet({ ...row, updated_at: sql`now()` }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAccount(r);
  },

  /**
   * Stores an account HubSpot reports, unless this organization's stored account already is that
   * account (then it keeps how it was connected). One statement, so the check sees the row as it is
   * when written: a read first, then a write, let a report that raced our own connect overwrite its
   * `api` with `hubspot` (the report read no row, our connect stored one, the report then wrote).
   * @returns whether a row was inserted or replaced
   */
  async upsertReportedAccount(db: Executor, a: Omit<ChannelAccount, 'createdAt'>): Promise<boolean> {
    const row = accountRow(a);
    const r = await db
      .insertInto('helpdesk_channel_accounts')
      .values({ organization_id: a.organizationId, ...row })
      .onConflict((oc) =>
        oc
          .column('organization_id')
          .doUpdateSet({ ...row, updated_at: sql`now()` })
          .where((eb) => eb.or([eb('helpdesk_channel_accounts.channel_account_id', 'is distinct from', a.channelAccountId), eb('helpdesk_channel_accounts.channel_id', 'is distinct from', a.channelId)])),
      )
      .returning('organization_id')
      .executeTakeFirst();
    return r !== undefined;
  },

  async insertMessage(
    trx: Transaction<Database>,
    m: { organizationId: string; conversationId: string; author: HelpdeskAuthor; text: string; richText: string | null; customer: CustomerIdentity; idempotencyKey: string | null },
  ): Promise<{ message: OutboxMessage; created: boolean }> {
    const inserted = await trx
      .insertInto('helpdesk_messages')
      .values({
        organization_id: m.organizationId,
        conversation_id: m.conversationId,
        author: m.author,
        text: m.text,
        rich_text: m.richText,
        customer: JSON.stringify(m.customer),
        idempotency_key: m.idempotencyKey,
      })
      .onConflict((oc) => oc.columns(['organization_id', 'conversation_id', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { message: toMessage(inserted), created: true };
    const existing = await trx
      .selectFrom('helpdesk_messages')
      .selectAll()
      .where('organization_id', '=', m.organizationId)
      .where('conversation_id', '=', m.conversationId)
      .where('idempotency_key', '=', m.idempotencyKey)
      .executeTakeFirstOrThrow();
    return { message: toMessage(existing), created: false };
  },

  async findMessage(db: Executor, organizationId: string, conversationId: string, messageId: string): Promise<OutboxMessage | undefined> {
    const r = await db.selectFrom('helpdesk_messages').selectAll().where('organization_id', '=', organizationId).where('conversation_id', '=', conversationId).where('id', '=', messageId).executeTakeFirst();
    return r && toMessage(r);
  },

  async listMessages(db: Executor, organizationId: string, conversationId: string): Promise<OutboxMessage[]> {
    const rows = await db.selectFrom('helpdesk_messages').selectAll().where('organization_id', '=', organizationId).where('conversation_id', '=', conversationId).orderBy('seq').execute();
    return rows.map(toMessage);
  },

  async listFailed(db: Executor, organizationId: string, limit: number): Promise<OutboxMessage[]> {
    const rows = await db.selectFrom('helpdesk_messages').selectAll().where('organization_id', '=', organizationId).where('status', '=', 'failed').orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(toMessage);
  },

  /** The conversation's thread row, locked; `skipLocked` answers undefined while another worker holds it. */
  async lockThread(trx: Transaction<Database>, conversationId: string): Promise<{ hubspotThreadId: string | null } | undefined> {
    const r = await trx.selectFrom('helpdesk_threads').select('hubspot_thread_id').where('conversation_id', '=', conversationId).forUpdate().skipLocked().executeTakeFirst();
    return r && { hubspotThreadId: r.hubspot_thread_id };
  },

  async ensureThread(trx: Transaction<Database>, organizationId: string, conversationId: string): Promise<void> {
    await trx.insertInto('helpdesk_threads').values({ conversation_id: conversationId, organization_id: organizationId }).onConflict((oc) => oc.column('conversation_id').doNothing()).execute();
  },

  async findThread(db: Executor, conversationId: string): Promise<string | null> {
    const r = await db.selectFrom('helpdesk_threads').select('hubspot_thread_id').where('conversation_id', '=', conversationId).executeTakeFirst();
    return r?.hubspot_thread_id ?? null;
  },

  /** Whether the conversation is mirrored in the help desk (its thread row exists, created or not yet). */
  async hasThread(db: Executor, conversationId: string): Promise<boolean> {
    return (await db.selectFrom('helpdesk_threads').select('conversation_id').where('conversation_id', '=', conversationId).executeTakeFirst()) !== undefined;
  },

  async findConversationByThread(db: Executor, organizationId: string, hubspotThreadId: string): Promise<string | undefined> {
    const r = await db.selectFrom('helpdesk_threads').select('conversation_id').where('organization_id', '=', organizationId).where('hubspot_thread_id', '=', hubspotThreadId).executeTakeFirst();
    return r?.conversation_id;
  },

  async setThreadId(trx: Transaction<Database>, conversationId: string, hubspotThreadId: string): Promise<void> {
    await trx.updateTable('helpdesk_threads').set({ hubspot_thread_id: hubspotThreadId }).where('conversation_id', '=', conversationId).where('hubspot_thread_id', 'is', null).execute();
  },

  /** The oldest pending message of a conversation (the next to send, keeping the order). */
  async nextPending(trx: Transaction<Database>, conversationId: string): Promise<OutboxMessage | undefined> {
    const r = await trx.selectFrom('helpdesk_messages').selectAll().where('conversation_id', '=', conversationId).where('status', '=', 'pending').orderBy('seq').limit(1).executeTakeFirst();
    return r && toMessage(r);
  },

  async markSent(trx: Transaction<Database>, id: string, hubspotMessageId: string, at: Date): Promise<void> {
    await trx.updateTable('helpdesk_messages').set((eb) => ({ status: 'sent', hubspot_message_id: hubspotMessageId, sent_at: at, last_error: null, attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
  },

  async markAttempt(db: Executor, id: string, error: string, failed: boolean): Promise<void> {
    await db
      .updateTable('helpdesk_messages')
      .set((eb) => ({ last_error: error, attempts: eb('attempts', '+', 1), ...(failed ? { status: 'failed' as const } : {}) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  },

  /** Stores an agent reply once. @returns false when HubSpot delivered it before */
  async insertAgentReply(trx: Transaction<Database>, r: { organizationId: string; hubspotMessageId: string; conversationId: string; hubspotThreadId: string }): Promise<boolean> {
    const row = await trx
      .insertInto('helpdesk_agent_replies')
      .values({ organization_id: r.organizationId, hubspot_message_id: r.hubspotMessageId, conversation_id: r.conversationId, hubspot_thread_id: r.hubspotThreadId })
      .onConflict((oc) => oc.columns(['organization_id', 'hubspot_message_id']).doNothing())
      .returning('hubspot_message_id')
      .executeTakeFirst();
    return row !== undefined;
  },

  async setDeliveryStatus(db: Executor, organizationId: string, conversationId: string, hubspotMessageId: string, status: DeliveryStatus): Promise<boolean> {
    const r = await db
      .updateTable('helpdesk_agent_replies')
      .set({ delivery_status: status })
      .where('organization_id', '=', organizationId)
      .where('conversation_id', '=', conversationId)
      .where('hubspot_message_id', '=', hubspotMessageId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
};
