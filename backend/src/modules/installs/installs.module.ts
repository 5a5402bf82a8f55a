// The installs module as the composition root sees it: the install flow, then the job that purges it.
import type { FeatureModule } from '../../platform/module.js';
import { createInstallsJobs } from './installs.jobs.js';
import { createInstallsService, type InstallsDeps, type InstallsService } from './installs.service.js';

/**
 * Builds the install flow and its hourly purge job.
 * @param deps the install flow's dependencies
 * @returns the service, its job definitions and their schedules
 */
export function createInstallsModule(deps: InstallsDeps): FeatureModule<InstallsService> {
  const service = createInstallsService(deps);
  const { definitions, schedules } = createInstallsJobs(service);
  return { service, jobs: definitions, schedules };
}
