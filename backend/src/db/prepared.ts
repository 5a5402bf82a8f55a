// Named prepared statements for the few hot statements that opt in. Postgres parses, analyses and
// plans a statement sent without a name on every execution; for the long statements of the
// workflow-action path (the claim with its lock, the transition with its audit row, write-back, job
// and event) that was a measured share of Postgres's CPU per action. A statement marked with
// {@link prepared} is sent under a name derived from its text, so each connection parses it once and
// Postgres can keep its plan (pg tracks which names each connection has prepared). Only marked
// statements: texts that vary with their input (IN lists) would each leave a statement behind on
// every connection. Needs a session per connection (direct or session pooling; docs/SCALING.md).
import crypto from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */ ';
const names = new Map<string, string>();
// A bound on distinct marked texts per process: a statement whose text varied unexpectedly would
// otherwise grow this map and every connection's statements without limit.
const MAX_NAMES = 200;

/** Marks a statement to run as a named prepared statement (see this file's header). */
export function prepared<T>(statement: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(MARK)}${statement}`;
}

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `sb_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

/** Makes `client` send marked statements (see {@link prepared}) as named prepared statements. */
export function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && text.startsWith(MARK) && Array.isArray(values)) {
      const name = nameOf(text);
      if (name !== undefined) return query({ name, text, values });
    }
    return query(...args);
  }) as typeof client.query;
}
