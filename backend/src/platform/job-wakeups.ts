import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * Wakes the pg-boss workers of every process when work is queued, through Postgres LISTEN/NOTIFY.
 * pg-boss workers poll (every 0.5–2 s here); `notifyWorker` only reaches the workers of the
 * process that queued the job. With web and worker processes apart, a webhook stored by a web
 * process would otherwise wait for the next poll of some worker process. Polling stays as the
 * safety net: a lost notification only costs one interval.
 */
export interface JobWakeups {
  /** Tells every process (this one included) that `queue` has work; coalesced per event-loop turn. */
  announce(queue: string): void;
  /** Starts listening; `onWake` is called with each announced queue name. */
  listen(onWake: (queue: string) => void): Promise<void>;
  stop(): Promise<void>;
}

const CHANNEL = 'switchboard_jobs';

/** Creates the wake-up channel on `connectionString` (one extra connection per listening process). */
export function createJobWakeups(opts: { connectionString: string; log: Logger; execute: (text: string, values: unknown[]) => Promise<unknown> }): JobWakeups {
  let pending = new Set<string>();
  let scheduled = false;
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const flush = () => {
    scheduled = false;
    const queues = [...pending];
    pending = new Set();
    // Best effort: the workers' own polling picks the job up if this fails.
    opts.execute(`select pg_notify('${CHANNEL}', q) from unnest($1::text[]) as q`, [queues]).catch((err: unknown) => opts.log.debug({ err }, 'job wake-up notify failed'));
  };

  const connect = async (onWake: (queue: string) => void): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.connectionString, application_name: 'switchboard-wakeups' });
    c.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) onWake(n.payload);
    });
    c.on('error', (err) => {
      opts.log.warn({ err }, 'job wake-up listener lost its connection; reconnecting');
      c.end().catch(() => undefined);
      if (client === c) client = undefined;
      if (!stopped) retryTimer = setTimeout(() => void connect(onWake).catch(() => undefined), 1_000);
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
      client = c;
    } catch (err) {
      c.end().catch(() => undefined);
      opts.log.warn({ err }, 'job wake-up listener could not connect; workers rely on polling until it does');
      if (!stopped) retryTimer = setTimeout(() => void connect(onWake).catch(() => undefined), 1_000);
    }
  };

  return {
    announce(queue) {
      pending.add(queue);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    listen: connect,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
