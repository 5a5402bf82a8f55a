// Retention of the tables that grow with traffic. What each keeps:
// - events + event_deliveries: expire-events.ts (EVENTS_RETENTION_DAYS, pending pushes kept)
// - workflow_action_executions: expire-executions.ts (30 days)
// - note_writebacks: expire-writebacks.ts (30 days after finishing)
// - conversation_transitions: kept as long as their conversation exists (the conversation's audit
//   trail, read by the card and the API); they go with it (cascade) on erasure or organization deletion.
// webhook_events has its own retention in the webhooks module; pg-boss deletes its own jobs.
import { expireEvents } from './expire-events.js';
import { expireExecutions } from './expire-executions.js';
import { expireWritebacks } from './expire-writebacks.js';
import type { RetentionDeps } from './retention.ports.js';

/** What one sweep deleted, per table. */
export interface RetentionSweep {
  events: number;
  eventDeliveries: number;
  workflowActionExecutions: number;
  noteWritebacks: number;
}

/** The retention service. */
export interface RetentionService {
  /** Deletes every row past its table's retention, in bounded batches. */
  sweep(): Promise<RetentionSweep>;
}

/** Builds the retention service. */
export function createRetentionService(deps: RetentionDeps): RetentionService {
  return Object.freeze<RetentionService>({
    async sweep() {
      const events = await expireEvents(deps);
      return {
        events: events.events,
        eventDeliveries: events.deliveries,
        workflowActionExecutions: await expireExecutions(deps),
        noteWritebacks: await expireWritebacks(deps),
      };
    },
  });
}
