// The events module as the composition root builds it: the outbox service first (it enqueues pushes
// through the job's type), then the push job that runs it.
import type { FeatureModule } from '../../platform/module.js';
import { createEventsJobs } from './events.jobs.js';
import { createEventsService, type EventsDeps, type EventsService } from './events.service.js';

/** Builds the events outbox service and its push job. */
export function createEventsModule(deps: EventsDeps): FeatureModule<EventsService> {
  const service = createEventsService(deps);
  return { service, ...createEventsJobs(service) };
}
