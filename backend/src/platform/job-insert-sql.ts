// A pg-boss job enqueued by a data-modifying CTE of the caller's own statement, so a write that
// needs a job (a note write-back row) enqueues it without a round trip of its own.
//
// The row is the one pg-boss 10's `send` writes (its `insertJob` statement, with no per-send
// options and no constructor defaults, which is how platform/jobs.ts creates pg-boss): a new id, the
// queue's dead letter, expiry, retention, retry limit, delay and backoff and policy, read from
// pg-boss's queue table at insert time. A job of a queue that does not exist is not inserted, as with
// `send`. Workers cannot tell such a job from a sent one; job-insert-sql.int.test.ts compares the
// two rows column by column.
import { sql, type RawBuilder } from 'kysely';
import type { JobType } from './jobs.js';

/** pg-boss's schema (its default; platform/jobs.ts does not change it). */
const BOSS_SCHEMA = 'pgboss';

/**
 * The body of a data-modifying CTE that enqueues one job of `def` per row of `from`, with `data`
 * (a jsonb expression over `from`'s columns) as payload. The caller wakes the queue after commit.
 * @param def the job type (its queue must have been created by jobs.start)
 * @param data jsonb expression of the payload, e.g. sql`jsonb_build_object('id', wb.id)`
 * @param from the rows to enqueue for, e.g. sql`wb` (a CTE of the same statement)
 */
export function insertJobsSql<T>(def: JobType<T>, data: RawBuilder<unknown>, from: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into ${sql.table(`${BOSS_SCHEMA}.job`)} (id, name, data, priority, start_after, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
    select gen_random_uuid(), q.name, ${data}, 0, now(), q.dead_letter,
      case when q.expire_seconds is not null then q.expire_seconds * interval '1s' else interval '15 minutes' end,
      now() + cast(coalesce((q.retention_minutes * 60)::text, '14 days') as interval),
      coalesce(q.retry_limit, 2),
      case when coalesce(q.retry_backoff, false) then greatest(q.retry_delay, 1) else coalesce(q.retry_delay, 0) end,
      coalesce(q.retry_backoff, false),
      q.policy
    from ${from} join ${sql.table(`${BOSS_SCHEMA}.queue`)} q on q.name = ${def.queue}
    on conflict do nothing
    returning id`;
}
