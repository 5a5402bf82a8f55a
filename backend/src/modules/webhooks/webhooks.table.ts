import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Where an inbox event stands. */
export type InboxStatus = 'pending' | 'processed' | 'ignored' | 'unroutable' | 'dead';

/**
 * The webhook inbox: every event HubSpot delivered, stored before we answer 200 and processed later by
 * a job. `dedupe_key` is a SHA-256 over (portalId, subscriptionType, objectId, eventId, occurredAt,
 * propertyName, propertyValue): HubSpot's eventId alone is not unique. An event refused at intake is
 * kept too, as a dead row: `raw_event` holds its text as received, `last_error` why, and the key
 * fields are filled only where they could be read (the database requires them on every other row).
 */
export interface WebhookEventsTable {
  id: Generated<number>;
  dedupe_key: string;
  portal_id: number | null;
  subscription_type: string | null;
  /** Null for events about no single record (associations). */
  object_id: number | null;
  event_id: number | null;
  occurred_at: ColumnType<Date | null, Date | string | null, never>;
  property_name: string | null;
  property_value: string | null;
  /** The event as received, unknown keys included; null on a row refused at intake. */
  payload: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** A refused event's bytes as received (UTF-8 JSON text); null otherwise. */
  raw_event: string | null;
  /** Set when the portal was routed to an organization. */
  organization_id: string | null;
  status: ColumnType<InboxStatus, InboxStatus | undefined, InboxStatus>;
  /** What processing did (`paused 1 conversation`, `stale`, `no handler`, …). */
  outcome: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  received_at: ColumnType<Date, Date | string | undefined, never>;
  processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When a pending event is next due for processing: its arrival, or after a failed attempt its backoff. */
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/**
 * The stale-event guard: the latest `occurredAt` applied per object and property. HubSpot does not
 * order deliveries, so an older change arriving after a newer one must not be applied.
 */
export interface WebhookWatermarksTable {
  portal_id: number;
  object_type: string;
  object_id: number;
  property_name: string;
  last_occurred_at: ColumnType<Date, Date | string, Date | string>;
  last_value: string | null;
}

export type WebhookEventRow = Selectable<WebhookEventsTable>;
export type NewWebhookEventRow = Insertable<WebhookEventsTable>;
export type WebhookEventUpdate = Updateable<WebhookEventsTable>;
export type WebhookWatermarkRow = Selectable<WebhookWatermarksTable>;
