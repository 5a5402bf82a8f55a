import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { AppError, isRetryable } from './errors.js';
import { runWithContext } from './context.js';
import { createJobWakeups } from './job-wakeups.js';
import type { Logger } from './logger.js';

/** Retry and expiry policy of one queue (pg-boss options; configuration, not code). */
export interface QueuePolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  /** Poll interval of this process's worker (pg-boss minimum 0.5 s; local sends also wake it). */
  pollingIntervalSeconds?: number;
  /** Jobs fetched per poll. */
  batchSize?: number;
  /**
   * Jobs of one fetched batch run at most this many at a time (default 1: one after another).
   * Handlers must then be safe to run side by side (row locks, idempotency).
   */
  concurrency?: number;
  /** Parallel workers in this process for this queue. */
  workers?: number;
  /**
   * pg-boss queue policy. `short` keeps at most one waiting job per singleton key, so a wake-up sent
   * while one already waits is dropped (the waiting one does the work).
   */
  queuePolicy?: 'standard' | 'short';
}

/** A job type: its queue, payload schema, policy and handler. */
export interface JobDefinition<T> {
  queue: string;
  schema: z.ZodType<T>;
  policy: QueuePolicy;
  /** Runs one job. Throw to retry (an error `isRetryable` calls final completes the job with a warning instead). */
  handle(data: T, meta: { jobId: string; retryCount: number }): Promise<void>;
  /** Called once when a job has used its last retry (e.g. to park it as dead with its error). */
  onExhausted?(data: T, error: unknown, meta: { jobId: string }): Promise<void>;
}

/**
 * A job type without its handler: all a sender needs. A module declares it next to its jobs, so its
 * service can enqueue before the job definitions (which run the service) exist.
 */
export type JobType<T> = Pick<JobDefinition<T>, 'queue' | 'schema' | 'policy'>;

/** Declares a job type (identity function that keeps the payload type). */
export function defineJob<T>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

/** Options for one send. */
export interface SendOptions {
  /** Send inside this transaction, so a rollback drops the job too. */
  trx?: Transaction<never> | Kysely<never>;
  startAfterSeconds?: number;
  singletonKey?: string;
  priority?: number;
}

/** The job system of one process. */
export interface Jobs {
  /** Creates queues for `defs` and, when `work` is true, starts this process's workers. */
  start(defs: JobDefinition<never>[], opts: { work: boolean }): Promise<void>;
  /** Enqueues a job; returns its id (null when a singleton key suppressed it). */
  send<T>(def: JobType<T>, data: T, options?: SendOptions): Promise<string | null>;
  /**
   * Enqueues many jobs of one type in a single statement (e.g. one per stored webhook event), with
   * the queue's policy; inside `options.trx` when given.
   */
  sendMany<T>(def: JobType<T>, items: readonly T[], options?: Pick<SendOptions, 'trx'>): Promise<void>;
  /** Runs `queue` on a cron schedule (once across all processes). */
  schedule(def: JobDefinition<never>, cron: string): Promise<void>;
  /** Wakes the workers of a queue now, in every process (e.g. after a transaction that enqueued jobs committed). */
  wake(queue: string): void;
  /** Number of jobs waiting or running in a queue. */
  queueSize(queue: string): Promise<number>;
  /** Stops workers (waiting for running jobs up to the timeout) and closes pg-boss's pool. */
  stop(): Promise<void>;
  /** The underlying pg-boss (for tests and tooling). */
  readonly boss: PgBoss;
}

// pg-boss accepts any `{ executeSql }`; this one runs on the caller's Kysely transaction.
function kyselyExecutor(db: Transaction<never> | Kysely<never>): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

/**
 * True for the rejection pg-boss 10 leaves unhandled when it cannot record a job's end: its worker
 * calls `complete()` / `fail()` without awaiting them (manager.js `onFetch`), so while the database
 * is unreachable they reject with nobody listening. Nothing is lost: the job stays active, expires
 * and runs again (handlers are idempotent). The process must survive it (server.ts logs it instead
 * of exiting), or one database restart would take every worker down with it.
 */
export function isUnrecordedJobEnd(reason: unknown): boolean {
  const stack = reason instanceof Error ? (reason.stack ?? '') : '';
  return /pg-boss[\\/]src[\\/]manager\.js/.test(stack) && /\bManager\.(complete|fail)\b/.test(stack);
}

/**
 * Logs one pg-boss `error` event. Postgres ending a connection on purpose (57P01, "terminating
 * connection due to administrator command": the server is stopping or restarting) is expected, and
 * pg-boss reconnects; it is logged at info with its code only.
 */
export function logBossError(log: Logger, err: unknown): void {
  if ((err as { code?: unknown } | null)?.code === '57P01') {
    log.info({ code: '57P01' }, 'database connection closed by the server (it is stopping or restarting)');
    return;
  }
  log.error({ err }, 'pg-boss error');
}

/**
 * Creates a queue unless it exists. Several processes starting on a fresh database create the same
 * queues at once, and pg-boss's create_queue (a partition plus a foreign key) can deadlock with
 * itself (40P01): the loser retries after a short random pause, or finds the queue made by the winner.
 */
async function createQueueOnce(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, options);
      return;
    } catch (err) {
      if (await boss.getQueue(name)) return;
      if ((err as { code?: unknown }).code !== '40P01' || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * Creates the job system on the same Postgres as the data (pg-boss manages its own schema).
 * The runner logs each failure once and decides retry vs. give up from the error's code.
 */
export function createJobs(opts: { connectionString: string; log: Logger; max?: number }): Jobs {
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    max: opts.max ?? 5,
    application_name: 'switchboard-jobs',
    // Completed jobs are evidence for the troubleshooting panel for a week, then removed.
    deleteAfterDays: 7,
  });
  boss.on('error', (err) => logBossError(opts.log, err));
  let started: Promise<unknown> | undefined;
  const workerIds = new Map<string, string[]>();
  const wakeups = createJobWakeups({ connectionString: opts.connectionString, log: opts.log, execute: (text, values) => boss.getDb().executeSql(text, values) });
  let listening = false;
  // This process's workers at once; every other process's through LISTEN/NOTIFY (job-wakeups.ts).
  const wakeAll = (queue: string) => {
    for (const wid of workerIds.get(queue) ?? []) boss.notifyWorker(wid);
    wakeups.announce(queue);
  };

  const run = async <T>(def: JobDefinition<T>, job: PgBoss.JobWithMetadata<unknown>): Promise<void> => {
    await runWithContext({ jobId: job.id }, async () => {
      const parsed = def.schema.safeParse(job.data);
      if (!parsed.success) {
        opts.log.warn({ queue: def.queue, jobId: job.id }, 'job payload failed validation; dropped');
        return;
      }
      try {
        await def.handle(parsed.data, { jobId: job.id, retryCount: job.retryCount });
      } catch (err) {
        if (err instanceof AppError && !isRetryable(err)) {
          opts.log.warn({ queue: def.queue, jobId: job.id, code: err.code }, `job gave up: ${err.message}`);
          return;
        }
        const last = job.retryCount >= job.retryLimit;
        opts.log[last ? 'error' : 'warn']({ queue: def.queue, jobId: job.id, retryCount: job.retryCount, err }, last ? 'job failed for good' : 'job failed; will retry');
        if (last && def.onExhausted) await def.onExhausted(parsed.data, err, { jobId: job.id }).catch((e: unknown) => opts.log.error({ err: e }, 'onExhausted failed'));
        throw err;
      }
    });
  };

  return {
    boss,
    async start(defs, { work }) {
      started ??= boss.start();
      await started;
      for (const def of defs) {
        const { retryLimit, retryDelay, retryBackoff, expireInSeconds } = def.policy;
        const policy = def.policy.queuePolicy ?? 'standard';
        await createQueueOnce(boss, def.queue, { name: def.queue, policy, retryLimit, retryDelay, retryBackoff, expireInSeconds });
        await boss.updateQueue(def.queue, { name: def.queue, policy, retryLimit, retryDelay, retryBackoff, expireInSeconds });
        if (!work) continue;
        const ids: string[] = [];
        const batchSize = def.policy.batchSize ?? 1;
        for (let i = 0; i < (def.policy.workers ?? 1); i++) {
          let workerId = '';
          ids.push(
            (workerId = await boss.work<unknown>(
              def.queue,
              { includeMetadata: true, batchSize, pollingIntervalSeconds: def.policy.pollingIntervalSeconds ?? 2 },
              async (jobs) => {
                // Every job of the batch runs even when one fails: pg-boss fails the whole batch
                // afterwards, and a job it never ran would otherwise just wait for its retry (or,
                // when the database is away and that failure cannot be recorded, for its expiry).
                let firstError: unknown;
                let next = 0;
                const lane = async () => {
                  while (next < jobs.length) {
                    const job = jobs[next++]!;
                    try {
                      await run(def as JobDefinition<unknown>, job);
                    } catch (err) {
                      firstError ??= err;
                    }
                  }
                };
                await Promise.all(Array.from({ length: Math.min(jobs.length, def.policy.concurrency ?? 1) }, lane));
                if (firstError !== undefined) throw firstError;
                // pg-boss 10 sleeps out the polling interval after every fetch, even a full one,
                // which caps a worker at batchSize jobs per interval (10 jobs/s at 5 per 0.5 s). A
                // full batch means more may be waiting: fetch again at once.
                if (jobs.length >= batchSize) boss.notifyWorker(workerId);
              },
            )),
          );
        }
        workerIds.set(def.queue, ids);
      }
      if (work && !listening) {
        listening = true;
        await wakeups.listen((queue) => {
          for (const wid of workerIds.get(queue) ?? []) boss.notifyWorker(wid);
        });
      }
    },
    async send(def, data, options = {}) {
      const id = await boss.send(def.queue, data as object, {
        ...(options.trx ? { db: kyselyExecutor(options.trx) } : {}),
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      });
      // Wake the workers now rather than at their next poll (inside a transaction the caller wakes
      // them after commit, through wake()).
      if (!options.trx) wakeAll(def.queue);
      return id;
    },
    async sendMany(def, items, options = {}) {
      if (items.length === 0) return;
      await boss.insert(
        items.map((data) => ({ name: def.queue, data: data as object })),
        options.trx ? { db: kyselyExecutor(options.trx) } : {},
      );
      if (!options.trx) wakeAll(def.queue);
    },
    async schedule(def, cron) {
      await boss.schedule(def.queue, cron, {});
    },
    wake(queue) {
      wakeAll(queue);
    },
    async queueSize(queue) {
      return boss.getQueueSize(queue);
    },
    async stop() {
      await wakeups.stop();
      if (!started) return;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
