// An automatic resume (Pause AI's `duration_minutes`) still scheduled is a promise to end a pause
// later: never deleted, however far off or overdue (the minutely workflow-action sweep runs overdue
// ones). One that ran (resumed, or skipped because the AI state changed meanwhile) has done its work,
// and the resume itself is in the conversation's audit trail (conversation_transitions, kept while the
// conversation exists). The row is then troubleshooting data only: kept 30 days after it ran, like the
// Pause AI execution that scheduled it.
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** How long an automatic resume that ran is kept, counted from when it ran. */
export const AUTO_RESUMES_RETENTION_DAYS = 30;

/** Deletes automatic resumes that ran before the retention window. @returns rows deleted */
export async function expireAutoResumes(deps: RetentionDeps): Promise<number> {
  const deleted = await repo.deleteAutoResumesBefore(deps.db, new Date(deps.clock.now() - AUTO_RESUMES_RETENTION_DAYS * DAY_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'automatic resumes that ran before retention deleted');
  return deleted;
}
