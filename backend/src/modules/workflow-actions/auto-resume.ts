// Pause AI's `duration_minutes`: the pause is undone by the minutely sweep once due, through the same
// conversations service (source `workflow`, the workflow as actor), unless the AI state changed after
// our pause. "Changed" is read from the audit trail: our pause must still be the conversation's latest
// transition, so a resume, a new pause (by an agent, a webhook or another workflow) or a handoff wins.
import { AppError } from '../../platform/errors.js';
import { AUTO_RESUME_BATCH_SIZE } from './workflow-actions.constants.js';
import type { Trx } from '../../db/database.js';
import { workflowActorOf, type WorkflowActionsDeps } from './workflow-actions.deps.js';
import type { TransitionView } from './workflow-actions.ports.js';
import { workflowActionsRepository as repo, type AutoResume } from './workflow-actions.repository.js';

/** What the automatic-resume part of the sweep did. */
export interface AutoResumeReport {
  autoResumed: number;
  autoResumeSkipped: number;
}

/**
 * Runs every due automatic resume, each at most once (rows locked SKIP LOCKED and marked done in the
 * transaction that resumes).
 * @param deps the service's dependencies
 * @returns how many conversations were resumed and how many resumes were skipped
 */
export async function runDueAutoResumes(deps: WorkflowActionsDeps): Promise<AutoResumeReport> {
  const now = new Date(deps.clock.now());
  const report: AutoResumeReport = { autoResumed: 0, autoResumeSkipped: 0 };
  for (;;) {
    const transitions: TransitionView[] = [];
    const handled = await deps.db.transaction().execute(async (trx) => {
      const due = await repo.lockDueAutoResumes(trx, now, AUTO_RESUME_BATCH_SIZE);
      for (const resume of due) {
        const result = await autoResume(deps, trx, resume);
        if (result) transitions.push(result);
        await repo.finishAutoResume(trx, resume.id, result ? 'resumed' : 'skipped', now);
        report[result ? 'autoResumed' : 'autoResumeSkipped'] += 1;
      }
      return due.length;
    });
    if (transitions.length > 0) deps.conversations.afterCommit(transitions, 'queued');
    if (handled < AUTO_RESUME_BATCH_SIZE) return report;
  }
}

async function autoResume(deps: WorkflowActionsDeps, trx: Trx, resume: AutoResume): Promise<TransitionView | undefined> {
  let latest: number | undefined;
  try {
    const { transitions } = await deps.conversations.getHistory(resume.organizationId, resume.conversationId);
    latest = transitions[transitions.length - 1]?.id;
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return undefined; // the conversation is gone
    throw err;
  }
  // Read before the conversation is locked: a change in the milliseconds between is accepted as a race
  // the later change would have lost by a moment anyway.
  if (latest !== resume.pauseTransitionId) {
    deps.log.info({ conversationId: resume.conversationId }, 'automatic resume skipped: the AI state changed after the workflow paused it');
    return undefined;
  }
  try {
    const result = await deps.conversations.transitionInTransaction(trx, resume.organizationId, resume.conversationId, 'resume', {
      source: 'workflow',
      actor: workflowActorOf(resume.workflowId),
      reason: 'Automatic resume: the pause duration set in the workflow has passed',
    });
    return result.changed ? result : undefined;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'invalid_transition' || err.code === 'not_found')) return undefined;
    throw err;
  }
}
