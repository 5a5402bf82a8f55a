import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/**
 * The outbox: every event for the vendor. The feed reads it in (xid, id) order up to the oldest
 * running transaction (see events.repository.ts for why that never skips an event committed late).
 */
export interface EventsTable {
  id: Generated<number>;
  organization_id: string;
  /** `ai.paused`, `connection.connected`, `contact.erased`, … */
  type: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
  /** The writing transaction's id (pg_current_xact_id(), xid8, read as text); set by its default. */
  xid: ColumnType<string, never, never>;
}

/** Where an organization wants its events pushed; the signing secret is sealed with the token cipher. */
export interface EventDestinationsTable {
  organization_id: string;
  url: string;
  secret_sealed: Buffer;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One push attempt of one event (the delivery log). */
export interface EventDeliveriesTable {
  id: Generated<number>;
  organization_id: string;
  event_id: number;
  url: string;
  /** 1 for the first try. */
  attempt: number;
  status: 'delivered' | 'failed';
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  created_at: CreatedAt;
}

export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type EventDestinationRow = Selectable<EventDestinationsTable>;
export type NewEventDestinationRow = Insertable<EventDestinationsTable>;
export type EventDestinationUpdate = Updateable<EventDestinationsTable>;
export type EventDeliveryRow = Selectable<EventDeliveriesTable>;
export type NewEventDeliveryRow = Insertable<EventDeliveriesTable>;
