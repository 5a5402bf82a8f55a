// Group commit of intake, on a real database: requests arriving while an insert runs share the next
// one; each is answered only once its rows are committed; a shared insert that fails because of one
// request's rows is redone request by request, so the others are stored (once) and only that one fails.
// The insert is held with an advisory lock taken by a trigger, and the fault is a trigger refusing
// one event id: both are real Postgres behaviour, nothing of ours is replaced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { eventually } from '../../../../test/support/eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { createInboxWriter } from './inbox-group-commit.js';
import { acceptedRow } from './inbox-rows.js';
import { checkEvent } from './check-event.js';

const PORTAL = 73_001;
const HOLD_KEY = 73_001;
const REFUSED_EVENT_ID = 666_666;
let nextEventId = 1;

const rowsOf = (eventIds: number[]) =>
  eventIds.map((eventId) => {
    const raw = { eventId, portalId: PORTAL, appId: 1, occurredAt: 1_700_000_000_000, subscriptionType: 'ticket.creation', objectId: 5_000 + eventId, attemptNumber: 0 };
    const checked = checkEvent(raw);
    if (!checked.ok) throw new Error(checked.reason);
    return acceptedRow(checked.event, raw);
  });
const ids = (n: number) => Array.from({ length: n }, () => nextEventId++);

describe('intake group commit', () => {
  let tb: TestBackend;
  beforeAll(async () => {
    tb = await createTestBackend();
    // Every insert into the inbox first waits for a shared lock the test can hold; one event id is refused.
    await sql`create function test_hold_inbox() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock_shared(${sql.lit(HOLD_KEY)});
        if new.event_id = ${sql.lit(REFUSED_EVENT_ID)} then raise exception 'refused by the test'; end if;
        return new;
      end $$`.execute(tb.tdb.db);
    await sql`create trigger test_hold_inbox before insert on webhook_events for each row execute function test_hold_inbox()`.execute(tb.tdb.db);
  });
  afterAll(async () => {
    await sql`drop trigger if exists test_hold_inbox on webhook_events`.execute(tb.tdb.db);
    await tb.destroy();
  });

  const storedEventIds = async (eventIds: number[]) => {
    const rows = await tb.tdb.db.selectFrom('webhook_events').select('event_id').where('portal_id', '=', PORTAL).where('event_id', 'in', eventIds).execute();
    return rows.map((r) => Number(r.event_id)).sort((a, b) => a - b);
  };

  // Holds every inbox insert until the returned release is called (on a connection of its own).
  const holdInserts = async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const done = tb.tdb.db.connection().execute(async (c) => {
      await sql`select pg_advisory_lock(${HOLD_KEY})`.execute(c);
      held();
      await released;
      await sql`select pg_advisory_unlock(${HOLD_KEY})`.execute(c);
    });
    await isHeld;
    return async () => {
      release();
      await done;
    };
  };
  // Waits until an insert is blocked on the held lock (so it is the one in flight).
  const insertBlocked = () =>
    eventually(async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objid = ${HOLD_KEY}`.execute(tb.tdb.db);
      return r.rows[0]!.n >= 1;
    });

  it('stores the requests that arrive during an insert in one shared insert, each answered after its rows committed', async () => {
    let wakeUps = 0;
    const writer = createInboxWriter(tb.tdb.db, () => wakeUps++);
    const [a, b, c] = [ids(3), ids(2), ids(2)];
    // The same event in two requests of one group is stored once, for the first of them.
    c.push(b[0]!);
    const release = await holdInserts();
    const answered: string[] = [];
    const first = writer.insert(rowsOf(a)).then((r) => (answered.push('a'), r));
    await insertBlocked();
    const second = writer.insert(rowsOf(b)).then(async (r) => {
      // Answered only once committed: another connection already sees every row of it.
      expect(await storedEventIds(b)).toEqual([...b].sort((x, y) => x - y));
      answered.push('b');
      return r;
    });
    const third = writer.insert(rowsOf(c)).then((r) => (answered.push('c'), r));
    expect(writer.waiting).toBe(2);
    expect(answered).toEqual([]);
    expect(await storedEventIds([...a, ...b, ...c])).toEqual([]);

    await release();
    const [ra, rb, rc] = await Promise.all([first, second, third]);
    expect(ra).toHaveLength(3);
    expect(rb).toHaveLength(2);
    expect(rc).toHaveLength(2);
    expect(new Set([...ra, ...rb, ...rc]).size).toBe(7);
    expect(await storedEventIds([...a, ...b, ...c])).toEqual([...a, ...b, ...c.slice(0, 2)].sort((x, y) => x - y));
    // One wake-up per insert: the first request's, and the shared one.
    expect(wakeUps).toBe(2);
  });

  it('a shared insert failing on one request stores each other request once and fails only that one', async () => {
    const writer = createInboxWriter(tb.tdb.db, () => undefined);
    const [a, b, bad, d] = [ids(2), ids(3), [...ids(2), REFUSED_EVENT_ID], ids(1)];
    const release = await holdInserts();
    const first = writer.insert(rowsOf(a));
    await insertBlocked();
    const outcome = (p: Promise<number[]>) => p.then((stored) => ({ stored, error: undefined }), (error: unknown) => ({ stored: undefined, error }));
    const results = Promise.all([b, bad, d].map((e) => outcome(writer.insert(rowsOf(e)))));
    expect(writer.waiting).toBe(3);
    await release();
    expect(await first).toHaveLength(2);
    const [rb, rbad, rd] = await results;
    expect(rb?.stored).toHaveLength(3);
    expect(rd?.stored).toHaveLength(1);
    expect(rbad?.stored).toBeUndefined();
    expect(String(rbad?.error)).toMatch(/refused by the test/);
    // Nothing of the failed request, everything of the others, each once.
    expect(await storedEventIds([...a, ...b, ...bad, ...d])).toEqual([...a, ...b, ...d].sort((x, y) => x - y));
    const counts = await tb.tdb.db.selectFrom('webhook_events').select(sql<number>`count(*)::int`.as('n')).where('portal_id', '=', PORTAL).where('event_id', 'in', [...b, ...d]).executeTakeFirstOrThrow();
    expect(counts.n).toBe(4);
    // A retry of the failed request, without its bad event, is stored in full.
    expect(await writer.insert(rowsOf(bad.slice(0, 2)))).toHaveLength(2);
  });
});
