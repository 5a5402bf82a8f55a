// The one shape every feature module exposes to the composition root: build the service first, then
// the jobs that receive it, so no module needs late binding (`let service`, thunks) to wire its jobs.
import type { JobDefinition } from './jobs.js';

/** A cron schedule of one job (pg-boss runs each once across all processes). */
export interface JobSchedule {
  job: JobDefinition<never>;
  cron: string;
}

/** What each `create<Module>Module(deps)` returns: its service, the job types its workers run, and their schedules. */
export interface FeatureModule<S> {
  service: S;
  jobs: JobDefinition<never>[];
  schedules: JobSchedule[];
}
