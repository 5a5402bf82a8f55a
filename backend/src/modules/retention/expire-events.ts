// The outbox keeps EVENTS_RETENTION_DAYS (30 by default) of events, the vendor's feed and its push
// log. An event whose push is still waiting or retrying is kept until the push ends, however old.
// A feed cursor naming a deleted event resumes at the oldest event kept (events.repository.ts).
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** Deletes events (and their push attempts) past the feed's retention. @returns rows deleted */
export async function expireEvents(deps: RetentionDeps): Promise<{ events: number; deliveries: number }> {
  const deleted = await repo.deleteEventsBefore(deps.db, new Date(deps.clock.now() - deps.eventsRetentionDays * DAY_MS));
  if (deleted.events + deleted.deliveries > 0) deps.log.info(deleted, 'events and push attempts past retention deleted');
  return deleted;
}
