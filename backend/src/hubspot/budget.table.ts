import type { ColumnType } from 'kysely';

/** One HubSpot call made or booked for a portal, by any process (the shared rate budget's log). */
export interface HubSpotBudgetCallsTable {
  id: ColumnType<number, never, never>;
  portal_id: number;
  /** Database-clock time of the slot; once settled, when the answer came back. */
  at: ColumnType<Date, Date, Date>;
  /** The call's answer (or failure) came back. */
  settled: ColumnType<boolean, boolean | undefined, boolean>;
  /** 1 per call; a 429 penalty weighs a whole window. */
  weight: ColumnType<number, number | undefined, number>;
  lane: 'interactive' | 'bulk' | 'penalty';
}

/** The slice of the database the budget store touches. */
export interface HubSpotBudgetDatabase {
  hubspot_budget_calls: HubSpotBudgetCallsTable;
}
