// The retention module as the composition root builds it: the sweep service, then its hourly job.
import type { FeatureModule } from '../../platform/module.js';
import { createRetentionJobs } from './retention.jobs.js';
import type { RetentionDeps } from './retention.ports.js';
import { createRetentionService, type RetentionService } from './retention.service.js';

/** Builds the retention service and its hourly sweep. */
export function createRetentionModule(deps: RetentionDeps): FeatureModule<RetentionService> {
  const service = createRetentionService(deps);
  return { service, ...createRetentionJobs(service) };
}
