import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';

/** Dependencies of the retention sweep. */
export interface RetentionDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Days the vendor feed keeps an event (EVENTS_RETENTION_DAYS). */
  eventsRetentionDays: number;
  /** Days a privacy-erasure record is kept as proof (PRIVACY_ERASURES_RETENTION_DAYS). */
  privacyErasuresRetentionDays: number;
}

/** One day in milliseconds. */
export const DAY_MS = 24 * 3600_000;
