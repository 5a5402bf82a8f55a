import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-db.js';
import type { Trx } from './database.js';
import { prepared } from './prepared.js';

describe('prepared statements (db/prepared.ts)', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.destroy();
  });

  // The statements this connection holds, read on the same connection (a transaction pins it).
  const held = (trx: Trx) =>
    sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx).then((r) => r.rows);

  it('when a marked statement runs twice on a connection, then it is prepared once under a name and both runs answer with their own parameters', async () => {
    const result = await tdb.db.transaction().execute(async (trx) => {
      const first = await prepared(sql<{ v: number }>`select ${41}::int + 1 as v`).execute(trx);
      const second = await prepared(sql<{ v: number }>`select ${1}::int + 1 as v`).execute(trx);
      return { first: first.rows[0]?.v, second: second.rows[0]?.v, statements: await held(trx) };
    });
    expect(result.first).toBe(42);
    expect(result.second).toBe(2);
    const mine = result.statements.filter((s) => s.statement.includes('::int + 1 as v'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toMatch(/^sb_[0-9a-f]{32}$/);
  });

  it('when a statement is not marked, then it is sent unnamed and no statement stays behind', async () => {
    const statements = await tdb.db.transaction().execute(async (trx) => {
      await sql`select ${7}::int * 3 as unmarked_probe`.execute(trx);
      return held(trx);
    });
    expect(statements.filter((s) => s.statement.includes('unmarked_probe'))).toHaveLength(0);
  });
});
