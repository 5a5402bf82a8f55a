import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/**
 * One workflow-action execution HubSpot sent us, keyed by its `callbackId` (HubSpot retries an
 * execution with the same id). The row is inserted first, inside a transaction that stays open
 * while the action runs; a retry or a concurrent copy waits on the primary key and then reads the
 * stored answer. `answer` is null only inside that transaction, never in a committed row.
 */
export interface WorkflowActionExecutionsTable {
  callback_id: string;
  /** Path name of the action (`pause-ai`, `send-to-ai`, …). */
  action_name: string;
  portal_id: number;
  /** Null when the portal had no connection (the answer was NOT_CONNECTED). */
  organization_id: string | null;
  workflow_id: number | null;
  object_type: string;
  object_id: number;
  /** `hs_execution_state` of the first answer: SUCCESS | FAIL_CONTINUE | BLOCK. */
  execution_state: string | null;
  error_code: string | null;
  conversation_id: string | null;
  /** The exact `outputFields` answered the first time; retries get the same. */
  answer: ColumnType<Record<string, string> | null, string | null, string | null>;
  created_at: CreatedAt;
}

/** Status of a blocked Send to AI callback. */
export type CallbackStatus = 'pending' | 'completing' | 'completed' | 'expired' | 'rejected';

/**
 * A Send to AI execution HubSpot is waiting on (answered BLOCK). `pending` until the vendor reports a
 * result or the expiry sweep gives up; then `completing` with the decided `output_fields` (decided
 * exactly once, under a row lock); `completed` once HubSpot accepted the completion. `expired` when
 * HubSpot's wait ran out before we could complete; `rejected` when HubSpot refused the completion.
 */
export interface WorkflowActionCallbacksTable {
  callback_id: string;
  organization_id: string;
  portal_id: number;
  conversation_id: string;
  workflow_id: number | null;
  status: CallbackStatus;
  /** When HubSpot stops waiting (our BLOCK answer's `hs_expiration_duration` from the answer time). */
  expires_at: Timestamp;
  /** The completion to send: `hs_execution_state` plus output fields, set when decided. */
  output_fields: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  decided_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  /** Completion attempts that failed, and the last failure (for troubleshooting). */
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  last_attempt_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** Status of an automatic resume scheduled by Pause AI's `duration_minutes`. */
export type AutoResumeStatus = 'scheduled' | 'resumed' | 'skipped';

/** A resume that Pause AI scheduled for later (`duration_minutes`). */
export interface WorkflowAutoResumesTable {
  id: Generated<string>;
  organization_id: string;
  conversation_id: string;
  /** The Pause AI execution that scheduled it. */
  callback_id: string;
  workflow_id: number | null;
  /** The audit-trail transition of our pause: any later AI-state change cancels the resume. */
  pause_transition_id: number;
  resume_at: Timestamp;
  status: AutoResumeStatus;
  done_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** A human team an organization can hand conversations to (the Request handoff dropdown). */
export interface HandoffTeamsTable {
  organization_id: string;
  /** The option value HubSpot stores in the workflow (stable, chosen by the vendor). */
  team_id: string;
  name: string;
  /** Display order, from the order of the last PUT. */
  position: number;
}

export type WorkflowActionExecutionRow = Selectable<WorkflowActionExecutionsTable>;
export type NewWorkflowActionExecutionRow = Insertable<WorkflowActionExecutionsTable>;
export type WorkflowActionExecutionUpdate = Updateable<WorkflowActionExecutionsTable>;
export type WorkflowActionCallbackRow = Selectable<WorkflowActionCallbacksTable>;
export type NewWorkflowActionCallbackRow = Insertable<WorkflowActionCallbacksTable>;
export type WorkflowActionCallbackUpdate = Updateable<WorkflowActionCallbacksTable>;
export type WorkflowAutoResumeRow = Selectable<WorkflowAutoResumesTable>;
export type NewWorkflowAutoResumeRow = Insertable<WorkflowAutoResumesTable>;
export type HandoffTeamRow = Selectable<HandoffTeamsTable>;
export type NewHandoffTeamRow = Insertable<HandoffTeamsTable>;
