import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { AppError, statusByCode } from './errors.js';
import { runWithContext } from './context.js';
import type { Logger } from './logger.js';

/** Retry and expiry policy of one queue (pg-boss options; configuration, not code). */
export interface QueuePolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  /** Poll interval of this process's worker (pg-boss minimum 0.5 s; local sends also wake it). */
  pollingIntervalSeconds?: number;
  /** Jobs fetched per poll; the handler still runs them one at a time. */
  batchSize?: number;
  /** Parallel workers in this process for this queue. */
  workers?: number;
}

/** A job type: its queue, payload schema, policy and handler. */
export interface JobDefinition<T> {
  queue: string;
  schema: z.ZodType<T>;
  policy: QueuePolicy;
  /** Runs one job. Throw to retry (AppErrors with a status < 500 complete with a warning instead). */
  handle(data: T, meta: { jobId: string; retryCount: number }): Promise<void>;
  /** Called once when a job has used its last retry (e.g. to park it as dead with its error). */
  onExhausted?(data: T, error: unknown, meta: { jobId: string }): Promise<void>;
}

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
  send<T>(def: JobDefinition<T>, data: T, options?: SendOptions): Promise<string | null>;
  /**
   * Enqueues many jobs of one type in a single statement (e.g. one per stored webhook event), with
   * the queue's policy; inside `options.trx` when given.
   */
  sendMany<T>(def: JobDefinition<T>, items: readonly T[], options?: Pick<SendOptions, 'trx'>): Promise<void>;
  /** Runs `queue` on a cron schedule (once across all processes). */
  schedule(def: JobDefinition<never>, cron: string): Promise<void>;
  /** Wakes this process's workers for a queue now (e.g. after a transaction that enqueued jobs committed). */
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
  boss.on('error', (err) => opts.log.error({ err }, 'pg-boss error'));
  let started: Promise<unknown> | undefined;
  const workerIds = new Map<string, string[]>();

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
        if (err instanceof AppError && statusByCode[err.code] < 500) {
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
        await boss.createQueue(def.queue, { name: def.queue, retryLimit, retryDelay, retryBackoff, expireInSeconds }).catch(async (err: unknown) => {
          // Another process created it first.
          if (!(await boss.getQueue(def.queue))) throw err;
        });
        await boss.updateQueue(def.queue, { name: def.queue, retryLimit, retryDelay, retryBackoff, expireInSeconds });
        if (!work) continue;
        const ids: string[] = [];
        for (let i = 0; i < (def.policy.workers ?? 1); i++) {
          ids.push(
            await boss.work<unknown>(
              def.queue,
              { includeMetadata: true, batchSize: def.policy.batchSize ?? 1, pollingIntervalSeconds: def.policy.pollingIntervalSeconds ?? 2 },
              async (jobs) => {
                for (const job of jobs) await run(def as JobDefinition<unknown>, job);
              },
            ),
          );
        }
        workerIds.set(def.queue, ids);
      }
    },
    async send(def, data, options = {}) {
      const id = await boss.send(def.queue, data as object, {
        ...(options.trx ? { db: kyselyExecutor(options.trx) } : {}),
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      });
      // Wake this process's worker now rather than at its next poll (other processes still poll).
      if (!options.trx) for (const wid of workerIds.get(def.queue) ?? []) boss.notifyWorker(wid);
      return id;
    },
    async sendMany(def, items, options = {}) {
      if (items.length === 0) return;
      await boss.insert(
        items.map((data) => ({ name: def.queue, data: data as object })),
        options.trx ? { db: kyselyExecutor(options.trx) } : {},
      );
      if (!options.trx) for (const wid of workerIds.get(def.queue) ?? []) boss.notifyWorker(wid);
    },
    async schedule(def, cron) {
      await boss.schedule(def.queue, cron, {});
    },
    wake(queue) {
      for (const wid of workerIds.get(queue) ?? []) boss.notifyWorker(wid);
    },
    async queueSize(queue) {
      return boss.getQueueSize(queue);
    },
    async stop() {
      if (!started) return;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
