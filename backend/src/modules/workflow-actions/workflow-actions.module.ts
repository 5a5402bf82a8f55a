// The workflow-actions module as the composition root builds it: the service first (it enqueues
// completions through the job's type), then the jobs that run it.
import type { Transaction } from 'kysely';
import type { Jobs } from '../../platform/jobs.js';
import type { FeatureModule } from '../../platform/module.js';
import type { WorkflowActionsDeps } from './workflow-actions.deps.js';
import { COMPLETE_CALLBACKS_JOB, createWorkflowActionsJobs } from './workflow-actions.jobs.js';
import { createWorkflowActionsService, type WorkflowActionsService } from './workflow-actions.service.js';

/** What the module needs: the service's dependencies, with the job system instead of the job hooks. */
export type WorkflowActionsModuleDeps = Omit<WorkflowActionsDeps, 'enqueueCompletion' | 'wakeCompletion'> & { jobs: Jobs };

/** Builds the workflow-actions service and the jobs that run it. */
export function createWorkflowActionsModule(deps: WorkflowActionsModuleDeps): FeatureModule<WorkflowActionsService> {
  const { jobs, ...rest } = deps;
  const service = createWorkflowActionsService({
    ...rest,
    async enqueueCompletion(trx, organizationId) {
      await jobs.send(COMPLETE_CALLBACKS_JOB, { organizationId }, { trx: trx as unknown as Transaction<never> });
    },
    wakeCompletion: () => jobs.wake(COMPLETE_CALLBACKS_JOB.queue),
  });
  return { service, ...createWorkflowActionsJobs(service) };
}
