// Group commit of intake. Each request's batch is one multi-row insert; with several requests at
// once (HubSpot sends up to 10 per portal concurrently), separate inserts contend for the same index
// pages (the id, time and pending indexes all grow at their right end) and each pays its own commit
// and WAL flush. Here, batches that arrive while an insert is running wait and go together in the
// next one: one statement, one commit, one wake-up of the processors for all of them. A request is
// answered only after the statement holding its rows committed. Should a shared insert fail, each
// of its requests is inserted again on its own, so one request's failure never fails another's.
import type { Db } from '../../db/database.js';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import type { NewWebhookEventRow } from './webhooks.table.js';

/** Rows of one shared insert, at most (a bigger backlog goes in several, one after the other). */
export const GROUP_COMMIT_MAX_ROWS = 2_000;

/** Writes accepted inbox rows, batches of concurrent requests together. */
export interface InboxWriter {
  /**
   * Stores a request's accepted rows (duplicates skipped); resolves once they are committed.
   * @returns the ids of the rows newly stored for this request
   * @throws the database error when they could not be stored (nothing of this request is stored)
   */
  insert(rows: readonly NewWebhookEventRow[]): Promise<number[]>;
  /** Requests waiting for the next insert (for tests and gauges). */
  readonly waiting: number;
}

interface Waiting {
  rows: readonly NewWebhookEventRow[];
  resolve(ids: number[]): void;
  reject(err: unknown): void;
}

/**
 * Creates the writer of one process.
 * @param afterCommit called once after each insert that stored anything (the processors' wake-up)
 */
export function createInboxWriter(db: Db, afterCommit: () => void): InboxWriter {
  const queued: Waiting[] = [];
  let running = false;

  const takeGroup = (): Waiting[] => {
    let rows = 0;
    let n = 0;
    while (n < queued.length && (n === 0 || rows + queued[n]!.rows.length <= GROUP_COMMIT_MAX_ROWS)) rows += queued[n++]!.rows.length;
    return queued.splice(0, n);
  };

  const run = async () => {
    running = true;
    try {
      while (queued.length > 0) {
        const stored = await write(db, takeGroup());
        if (stored) afterCommit();
      }
    } finally {
      running = false;
    }
  };

  return {
    insert(rows) {
      if (rows.length === 0) return Promise.resolve([]);
      return new Promise<number[]>((resolve, reject) => {
        queued.push({ rows, resolve, reject });
        if (!running) void run();
      });
    },
    get waiting() {
      return queued.length;
    },
  };
}

// One shared insert; a request's rows get the ids of the rows stored from them (a key repeated
// across requests of the group is stored once, for the first request that has it).
async function write(db: Db, group: Waiting[]): Promise<boolean> {
  let inserted: { id: number; dedupeKey: string }[];
  try {
    inserted = await queue.insertAcceptedKeyed(db, group.flatMap((w) => w.rows));
  } catch (err) {
    if (group.length === 1) {
      group[0]!.reject(err);
      return false;
    }
    // The statement stored nothing; each request alone, so only the one at fault fails.
    let stored = false;
    for (const w of group) {
      try {
        const ids = await queue.insertAccepted(db, w.rows);
        stored ||= ids.length > 0;
        w.resolve(ids);
      } catch (e) {
        w.reject(e);
      }
    }
    return stored;
  }
  const idByKey = new Map(inserted.map((r) => [r.dedupeKey, r.id]));
  for (const w of group) {
    const ids: number[] = [];
    for (const row of w.rows) {
      const id = idByKey.get(row.dedupe_key);
      if (id === undefined) continue;
      idByKey.delete(row.dedupe_key);
      ids.push(id);
    }
    w.resolve(ids);
  }
  return inserted.length > 0;
}
