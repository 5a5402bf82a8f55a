// The tokens module as the composition root sees it: the vault, then the jobs that run it.
import type { Jobs } from '../../platform/jobs.js';
import type { FeatureModule } from '../../platform/module.js';
import { createTokensJobs } from './tokens.jobs.js';
import { createTokensService, type TokensDeps, type TokensService } from './tokens.service.js';

/**
 * Builds the token vault and its scheduled refresh jobs.
 * @param deps the vault's dependencies and the job system the hourly refresh fans out through
 * @returns the service, its job definitions and their schedules
 */
export function createTokensModule(deps: TokensDeps & { jobs: Pick<Jobs, 'send'> }): FeatureModule<TokensService> {
  const { jobs, ...serviceDeps } = deps;
  const service = createTokensService(serviceDeps);
  const { definitions, schedules } = createTokensJobs(service, jobs);
  return { service, jobs: definitions, schedules };
}
