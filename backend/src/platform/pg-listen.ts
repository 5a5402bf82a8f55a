import pg from 'pg';
import type { Logger } from './logger.js';

/** One dedicated LISTEN connection that reconnects by itself. */
export interface PgListener {
  /** Connects and listens; resolves after the first attempt (a failed attempt retries in the background). */
  start(): Promise<void>;
  /** Whether the LISTEN is in place right now. */
  readonly listening: boolean;
  /** The server process id of the listening connection (for operators and tests). */
  readonly pid: number | undefined;
  /** Closes the connection; no more reconnects. */
  stop(): Promise<void>;
}

/** What a {@link createPgListener} reports. */
export interface PgListenerOptions {
  connectionString: string;
  channel: string;
  /** Shown in pg_stat_activity, so operators can tell this connection apart. */
  applicationName: string;
  log: Logger;
  /** Each notification's payload (empty string when none). */
  onNotify(payload: string): void;
  /**
   * Called once LISTEN is in place, first time and after each reconnect. Notifications sent while
   * no LISTEN was in place are lost for good: the caller resynchronises here.
   */
  onListening(): void;
  /** Called when the connection is lost (or closed by stop); notifications may be missed from now on. */
  onLost(): void;
  /** Wait before a reconnect (default 1 s). */
  retryMs?: number;
}

/**
 * Listens on a Postgres channel over its own connection (a pooled one would drop the LISTEN when
 * it goes back to the pool). A lost connection is reported, then re-established every `retryMs`.
 */
export function createPgListener(opts: PgListenerOptions): PgListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new Error(`invalid channel name: ${opts.channel}`);
  let client: pg.Client | undefined;
  let listening = false;
  let pid: number | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, opts.retryMs ?? 1_000);
    retryTimer.unref();
  };

  const lose = (c: pg.Client, err: unknown) => {
    if (client !== c) return;
    client = undefined;
    pid = undefined;
    const was = listening;
    listening = false;
    c.end().catch(() => undefined);
    if (was) opts.onLost();
    if (!stopped) {
      opts.log.warn({ err, channel: opts.channel }, 'LISTEN connection lost; reconnecting');
      scheduleRetry();
    }
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    let c: pg.Client;
    try {
      // keepAlive: a half-open connection (a silent network drop) is then noticed by the kernel.
      c = new pg.Client({ connectionString: opts.connectionString, application_name: opts.applicationName, keepAlive: true });
    } catch (err) {
      // Not the error itself: it may quote the connection string, password included.
      opts.log.error({ channel: opts.channel, errName: err instanceof Error ? err.name : typeof err }, 'LISTEN connection cannot be configured');
      return;
    }
    client = c;
    c.on('notification', (n) => {
      if (n.channel === opts.channel) opts.onNotify(n.payload ?? '');
    });
    c.on('error', (err) => lose(c, err));
    c.on('end', () => lose(c, new Error('connection ended')));
    try {
      await c.connect();
      await c.query(`listen ${opts.channel}`);
      if (client !== c) return;
      pid = (c as unknown as { processID?: number }).processID;
      listening = true;
      opts.onListening();
    } catch (err) {
      if (client === c) {
        client = undefined;
        c.end().catch(() => undefined);
        if (!stopped) {
          opts.log.warn({ err, channel: opts.channel }, 'LISTEN connection could not be opened; retrying');
          scheduleRetry();
        }
      }
    }
  };

  return {
    start: connect,
    get listening() {
      return listening;
    },
    get pid() {
      return pid;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      pid = undefined;
      if (listening) {
        listening = false;
        opts.onLost();
      }
      await c?.end().catch(() => undefined);
    },
  };
}
