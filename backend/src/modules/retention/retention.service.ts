// Retention of the tables that grow with traffic. What each keeps:
// - events + event_deliveries: expire-events.ts (EVENTS_RETENTION_DAYS, pending pushes kept)
// - workflow_action_executions: expire-executions.ts (30 days)
// - workflow_action_callbacks: expire-callbacks.ts (30 days after finishing; open ones kept)
// - workflow_auto_resumes: expire-auto-resumes.ts (30 days after running; scheduled ones kept)
// - note_writebacks: expire-writebacks.ts (30 days after finishing)
// - privacy_erasures: expire-erasures.ts (PRIVACY_ERASURES_RETENTION_DAYS, 3 years by default: proof of erasure)
// - conversation_transitions: kept as long as their conversation exists (the conversation's audit
//   trail, read by the card and the API); they go with it (cascade) on erasure or organization deletion.
// webhook_events has its own retention in the webhooks module; pg-boss deletes its own jobs.
import { expireAutoResumes } from './expire-auto-resumes.js';
import { expireCallbacks } from './expire-callbacks.js';
import { expireErasures } from './expire-erasures.js';
import { expireEvents } from './expire-events.js';
import { expireExecutions } from './expire-executions.js';
import { expireWritebacks } from './expire-writebacks.js';
import type { RetentionDeps } from './retention.ports.js';

/** What one sweep deleted, per table. */
export interface RetentionSweep {
  events: number;
  eventDeliveries: number;
  workflowActionExecutions: number;
  workflowActionCallbacks: number;
  workflowAutoResumes: number;
  noteWritebacks: number;
  privacyErasures: number;
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
        workflowActionCallbacks: await expireCallbacks(deps),
        workflowAutoResumes: await expireAutoResumes(deps),
        noteWritebacks: await expireWritebacks(deps),
        privacyErasures: await expireErasures(deps),
      };
    },
  });
}
