// The feed's cursor never passes an event that commits later. Writers take no lock, so ids are not
// committed in id order; these tests hold transactions open on real Postgres to force both orders a
// lock-free outbox gets wrong when it reads by id alone.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'kysely';
import pg from 'pg';
import type { Trx } from '../../db/database.js';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { serverUrlWithDb } from '../../../../test/support/pg-urls.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';

let backend: TestBackend;
let organizationId: string;

beforeAll(async () => {
  backend = await createTestBackend();
  organizationId = (await backend.services.organizations.createOrganization({ name: 'Outbox Order Org' })).organization.id;
});
afterAll(async () => {
  await backend?.destroy();
});

/** A transaction that runs `steps` and then stays open until `commit()` is called. */
function openTransaction(steps: (trx: Trx) => Promise<void>) {
  let commit!: () => void;
  const gate = new Promise<void>((resolve) => (commit = resolve));
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const done = backend.tdb.db.transaction().execute(async (trx) => {
    await steps(trx);
    ready();
    await gate;
  });
  return { started, commit, done };
}

const record = (trx: Trx, type: string) => backend.services.events.record(trx, { organizationId, type, data: {} });

/** Reads the feed from `cursor` to its current end. */
async function readFrom(cursor: string): Promise<{ types: string[]; cursor: string }> {
  const types: string[] = [];
  for (;;) {
    const page = await backend.services.events.listFeed(organizationId, { after: Number(cursor), limit: 2 });
    types.push(...page.events.map((e) => e.type));
    if (page.nextCursor === cursor) return { types, cursor };
    cursor = page.nextCursor;
  }
}

/** Keeps reading from `cursor` until `expected` types arrived (events of other tests' transactions may be held back a moment). */
async function readUntil(cursor: string, seen: string[], expected: string[]): Promise<string[]> {
  let at = cursor;
  await expectEventually(async () => {
    const next = await readFrom(at);
    seen.push(...next.types);
    at = next.cursor;
    expect([...seen].sort()).toStrictEqual([...expected].sort());
  });
  return seen;
}

/** The organization's event types in id order (to show the ids really were taken in the order the test means). */
async function idOrder(): Promise<string[]> {
  const rows = await backend.tdb.db.selectFrom('events').select('type').where('organization_id', '=', organizationId).orderBy('id').execute();
  return rows.map((r) => r.type);
}

describe('the event feed while writers commit out of id order', () => {
  test('when the transaction holding the lower id commits last, then a read in between does not return the higher id, and a later read returns both in id order', async () => {
    const start = (await readFrom('0')).cursor;
    const first = openTransaction(async (trx) => {
      await record(trx, 'test.lower_id');
    });
    await first.started;
    await backend.tdb.db.transaction().execute(async (trx) => {
      await record(trx, 'test.higher_id');
    });
    const during = await readFrom(start).finally(() => first.commit());
    await first.done;

    expect(during.types).toStrictEqual([]);
    expect(await readUntil(during.cursor, [], ['test.lower_id', 'test.higher_id'])).toStrictEqual(['test.lower_id', 'test.higher_id']);
    expect(await idOrder()).toStrictEqual(['test.lower_id', 'test.higher_id']);
  });

  test('when the writer that began first takes the higher id and commits first, then the event of the other, committed later, is still read after it', async () => {
    const start = (await readFrom('0')).cursor;
    // B gets its transaction id first; A then writes its event (the lower id) and stays open; B writes
    // its event (the higher id) and commits. A feed that held back only running transactions but read
    // in id order would return B, move its cursor past A's id, and never return A.
    let bHasXid!: () => void;
    const bStarted = new Promise<void>((resolve) => (bHasXid = resolve));
    let aWrote!: () => void;
    const aDone = new Promise<void>((resolve) => (aWrote = resolve));
    const b = backend.tdb.db.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
      bHasXid();
      await aDone;
      await record(trx, 'test.b_began_first');
    });
    await bStarted;
    const a = openTransaction(async (trx) => {
      await record(trx, 'test.a_lower_id');
    });
    await a.started;
    aWrote();
    await b;
    const during = await readFrom(start).finally(() => a.commit());
    await a.done;

    expect(during.types).not.toContain('test.a_lower_id');
    const all = await readUntil(during.cursor, [...during.types], ['test.b_began_first', 'test.a_lower_id']);
    expect(all).toHaveLength(2);
    expect((await idOrder()).filter((t) => t !== 'test.lower_id' && t !== 'test.higher_id')).toStrictEqual(['test.a_lower_id', 'test.b_began_first']);
  });

  test('when the cursor names an event of another organization, then the feed continues after the nearest earlier event of this one', async () => {
    const other = (await backend.services.organizations.createOrganization({ name: 'Other Outbox Org' })).organization.id;
    const write = (org: string, type: string) => backend.tdb.db.transaction().execute((trx) => backend.services.events.record(trx, { organizationId: org, type, data: {} }));
    await write(organizationId, 'test.before_foreign');
    const foreign = await write(other, 'test.foreign');
    await write(organizationId, 'test.after_foreign');

    const seen = await readUntil(String(foreign.id), [], ['test.after_foreign']);

    expect(seen).toStrictEqual(['test.after_foreign']);
  });
});

describe('a transaction of another database on the same server', () => {
  test('when another database has a transaction open, then it does not hold this organization\'s feed back', async () => {
    const other = new pg.Client({ connectionString: serverUrlWithDb(process.env.SWITCHBOARD_TEST_PG_URL!, 'postgres') });
    await other.connect();
    try {
      await other.query('begin');
      // An assigned transaction id, older than the event's: it is in every snapshot taken until it ends.
      await other.query('select pg_current_xact_id()');
      const start = (await backend.services.events.listFeed(organizationId, { after: 0, limit: 500 })).nextCursor;
      await backend.tdb.db.transaction().execute((trx) => record(trx, 'cross.database'));
      // Read at once, while the other database's transaction is still open: the event is there.
      expect((await readFrom(start)).types).toStrictEqual(['cross.database']);
    } finally {
      await other.query('rollback').catch(() => undefined);
      await other.end();
    }
  });
});
