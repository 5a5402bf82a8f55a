// The hourly retention sweep on a real database: rows past their window are deleted, rows inside it
// and rows still in use (a pending push, an open Send to AI callback, a scheduled automatic resume, an
// unfinished write-back) are kept; the conversation audit trail is never swept, and a privacy-erasure
// record is kept for PRIVACY_ERASURES_RETENTION_DAYS. Old rows are inserted with old timestamps.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { PUSH_EVENT_JOB } from '../events/events.jobs.js';
import { RETENTION_SWEEP_JOB } from './retention.jobs.js';
import { retentionRepository } from './retention.repository.js';
import { createRetentionService } from './retention.service.js';

const DAY = 24 * 3600_000;

describe('retention sweep', () => {
  let tb: TestBackend;
  let org: string;
  let conversationId: string;
  beforeAll(async () => {
    tb = await createTestBackend();
    const created = await tb.services.organizations.createOrganization({ name: 'Retention Org' });
    org = created.organization.id;
    conversationId = (await sql<{ id: string }>`insert into conversations (organization_id, external_id) values (${org}, 'c-retention') returning id`.execute(tb.tdb.db)).rows[0]!.id;
  });
  afterAll(async () => {
    await tb.destroy();
  });

  const ago = (days: number) => new Date(tb.clock.now() - days * DAY);
  const db = () => tb.tdb.db;

  async function insertEvent(daysAgo: number, organizationId = org): Promise<number> {
    const row = await sql<{ id: string }>`insert into events (organization_id, type, data, created_at) values (${organizationId}, 'connection.connected', '{"portalId":"77001","auth":"oauth"}', ${ago(daysAgo)}) returning id`.execute(db());
    return Number(row.rows[0]!.id);
  }
  async function insertDelivery(eventId: number, daysAgo: number): Promise<void> {
    await sql`insert into event_deliveries (organization_id, event_id, url, attempt, status, duration_ms, created_at)
              values (${org}, ${eventId}, 'https://vendor.example.com/events', 1, 'failed', 5, ${ago(daysAgo)})`.execute(db());
  }
  const ids = async (table: 'events' | 'event_deliveries' | 'note_writebacks' | 'conversation_transitions', column = 'id') =>
    (await sql<{ v: string }>`select ${sql.ref(column)} as v from ${sql.table(table)} order by 1`.execute(db())).rows.map((r) => Number(r.v));

  it('deletes events (and their push attempts) older than 30 days, keeps newer ones and old ones whose push is still pending', async () => {
    const old = await insertEvent(31);
    const oldPending = await insertEvent(40);
    const recent = await insertEvent(29);
    await insertDelivery(old, 31);
    await insertDelivery(oldPending, 39);
    await insertDelivery(recent, 29);
    // A push job still waiting (no workers run in this test) for the old pending event.
    await tb.jobs.send(PUSH_EVENT_JOB, { eventId: oldPending });

    const swept = await tb.services.retention.sweep();

    expect(swept.events).toBe(1);
    expect(swept.eventDeliveries).toBe(1);
    expect(await ids('events')).toStrictEqual([oldPending, recent]);
    expect(await ids('event_deliveries', 'event_id')).toStrictEqual([oldPending, recent]);
  });

  it('when the feed cursor names an event deleted by retention, and every event after it was deleted too, then the feed resumes at the oldest event kept', async () => {
    const reader = await tb.services.organizations.createOrganization({ name: 'Slow Feed Reader' });
    const cursor = await insertEvent(60, reader.organization.id);
    await insertEvent(45, reader.organization.id); // never read, deleted: past the feed's 30 days
    const oldestKept = await insertEvent(20, reader.organization.id);
    const newest = await insertEvent(1, reader.organization.id);
    await tb.services.retention.sweep();

    const res = await request(tb.app).get(`/api/v1/events?after=${cursor}`).set('authorization', `Bearer ${reader.apiKey}`);

    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { id: string }) => e.id)).toStrictEqual([String(oldestKept), String(newest)]);
    expect(res.body.nextCursor).toBe(String(newest));
  });

  it('deletes workflow action executions answered over 30 days ago, keeps newer ones, unanswered ones and ones whose callback is still open', async () => {
    const insert = (id: string, daysAgo: number, answer: string | null) =>
      sql`insert into workflow_action_executions (callback_id, action_name, portal_id, organization_id, object_type, object_id, answer, created_at)
          values (${id}, 'send-to-ai', 77001, ${org}, 'TICKET', 1, ${answer}, ${ago(daysAgo)})`.execute(db());
    await insert('old-answered', 31, '{"hs_execution_state":"SUCCESS"}');
    await insert('recent-answered', 29, '{"hs_execution_state":"SUCCESS"}');
    await insert('old-open-callback', 45, '{"hs_execution_state":"BLOCK"}');
    await insert('old-unanswered', 31, null);
    await sql`insert into workflow_action_callbacks (callback_id, organization_id, portal_id, conversation_id, status, expires_at)
              values ('old-open-callback', ${org}, 77001, ${conversationId}, 'pending', ${new Date(tb.clock.now() + DAY)})`.execute(db());

    const swept = await tb.services.retention.sweep();

    expect(swept.workflowActionExecutions).toBe(1);
    const left = (await sql<{ id: string }>`select callback_id as id from workflow_action_executions order by 1`.execute(db())).rows.map((r) => r.id);
    expect(left).toStrictEqual(['old-open-callback', 'old-unanswered', 'recent-answered']);
  });

  it('deletes note write-backs finished over 30 days ago, keeps recent and unfinished ones, and never the conversation audit trail', async () => {
    const transition = Number((await sql<{ id: string }>`insert into conversation_transitions (conversation_id, organization_id, from_state, to_state, source, occurred_at, created_at)
      values (${conversationId}, ${org}, 'active', 'paused', 'api', ${ago(400)}, ${ago(400)}) returning id`.execute(db())).rows[0]!.id);
    const insert = async (status: string, daysAgo: number) =>
      (await sql<{ id: string }>`insert into note_writebacks (organization_id, conversation_id, transition_id, status, created_at, updated_at)
        values (${org}, ${conversationId}, ${transition}, ${status}, ${ago(daysAgo + 1)}, ${ago(daysAgo)}) returning id`.execute(db())).rows.map((r) => Number(r.id))[0]!;
    await insert('done', 31);
    await insert('failed', 31);
    const recentDone = await insert('done', 29);
    const oldPending = await insert('pending', 90);
    const oldWaiting = await insert('waiting_connection', 90);

    const swept = await tb.services.retention.sweep();

    expect(swept.noteWritebacks).toBe(2);
    expect(await ids('note_writebacks')).toStrictEqual([recentDone, oldPending, oldWaiting]);
    expect(await ids('conversation_transitions')).toStrictEqual([transition]);
  });

  it('deletes Send to AI callbacks finished over 30 days ago, keeps recent ones and open ones however old, and a second sweep deletes nothing more', async () => {
    const insert = (id: string, status: string, finishedDaysAgo: number | null, createdDaysAgo: number) =>
      sql`insert into workflow_action_callbacks (callback_id, organization_id, portal_id, conversation_id, status, expires_at, completed_at, created_at)
          values (${id}, ${org}, 77001, ${conversationId}, ${status}, ${ago(createdDaysAgo - 1)}, ${finishedDaysAgo === null ? null : ago(finishedDaysAgo)}, ${ago(createdDaysAgo)})`.execute(db());
    await insert('cb-completed-old', 'completed', 31, 32);
    await insert('cb-expired-old', 'expired', 31, 32);
    await insert('cb-rejected-old', 'rejected', 31, 32);
    await insert('cb-completed-recent', 'completed', 29, 30);
    // Open, and past HubSpot's wait (the workflow-action sweep has not closed them yet): kept.
    await insert('cb-pending-old', 'pending', null, 90);
    await insert('cb-completing-old', 'completing', null, 90);
    const left = async () => (await sql<{ id: string }>`select callback_id as id from workflow_action_callbacks where callback_id like 'cb-%' order by 1`.execute(db())).rows.map((r) => r.id);

    const swept = await tb.services.retention.sweep();

    expect(swept.workflowActionCallbacks).toBe(3);
    expect(await left()).toStrictEqual(['cb-completed-recent', 'cb-completing-old', 'cb-pending-old']);
    expect((await tb.services.retention.sweep()).workflowActionCallbacks).toBe(0);
    expect(await left()).toStrictEqual(['cb-completed-recent', 'cb-completing-old', 'cb-pending-old']);
  });

  it('deletes automatic resumes that ran over 30 days ago, keeps recent ones and scheduled ones however old, and a second sweep deletes nothing more', async () => {
    const insert = (callbackId: string, status: string, doneDaysAgo: number | null, resumeAt: Date) =>
      sql`insert into workflow_auto_resumes (organization_id, conversation_id, callback_id, pause_transition_id, resume_at, status, done_at, created_at)
          values (${org}, ${conversationId}, ${callbackId}, 1, ${resumeAt}, ${status}, ${doneDaysAgo === null ? null : ago(doneDaysAgo)}, ${ago(60)})`.execute(db());
    await insert('ar-resumed-old', 'resumed', 31, ago(31));
    await insert('ar-skipped-old', 'skipped', 31, ago(31));
    await insert('ar-resumed-recent', 'resumed', 29, ago(29));
    // Overdue (no worker runs the workflow-action sweep here), and one still weeks ahead: both kept.
    await insert('ar-scheduled-overdue', 'scheduled', null, ago(45));
    await insert('ar-scheduled-ahead', 'scheduled', null, new Date(tb.clock.now() + 7 * DAY));
    const left = async () => (await sql<{ id: string }>`select callback_id as id from workflow_auto_resumes order by 1`.execute(db())).rows.map((r) => r.id);

    const swept = await tb.services.retention.sweep();

    expect(swept.workflowAutoResumes).toBe(2);
    expect(await left()).toStrictEqual(['ar-resumed-recent', 'ar-scheduled-ahead', 'ar-scheduled-overdue']);
    expect((await tb.services.retention.sweep()).workflowAutoResumes).toBe(0);
    expect(await left()).toStrictEqual(['ar-resumed-recent', 'ar-scheduled-ahead', 'ar-scheduled-overdue']);
  });

  it('keeps privacy-erasure records for PRIVACY_ERASURES_RETENTION_DAYS (3 years by default), then deletes them; a shorter setting is honoured', async () => {
    const insert = async (contactId: number, daysAgo: number) =>
      sql`insert into privacy_erasures (organization_id, portal_id, contact_id, conversations_unlinked, erased_at) values (${org}, 77001, ${contactId}, 1, ${ago(daysAgo)})`.execute(db());
    await insert(1, 1096);
    await insert(2, 1094);
    await insert(3, 91);
    await insert(4, 89);
    const left = async () => (await sql<{ id: string }>`select contact_id as id from privacy_erasures order by 1`.execute(db())).rows.map((r) => Number(r.id));

    const swept = await tb.services.retention.sweep();

    expect(tb.config.privacyErasuresRetentionDays).toBe(1095);
    expect(swept.privacyErasures).toBe(1);
    expect(await left()).toStrictEqual([2, 3, 4]);
    expect((await tb.services.retention.sweep()).privacyErasures).toBe(0);

    // An operator whose data-protection officer chose 90 days.
    const shorter = createRetentionService({ db: db(), clock: tb.clock, log: tb.logs.log, eventsRetentionDays: 30, privacyErasuresRetentionDays: 90 });
    expect((await shorter.sweep()).privacyErasures).toBe(2);
    expect(await left()).toStrictEqual([4]);
  });

  it('a sweep right after a sweep deletes nothing in any table and leaves every row in place', async () => {
    await tb.services.retention.sweep();
    const tables = ['events', 'event_deliveries', 'workflow_action_executions', 'workflow_action_callbacks', 'workflow_auto_resumes', 'note_writebacks', 'privacy_erasures', 'conversation_transitions'];
    const counts = async () => Promise.all(tables.map(async (t) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db())).rows[0]!.n)));
    const before = await counts();

    const again = await tb.services.retention.sweep();

    expect(again).toStrictEqual({ events: 0, eventDeliveries: 0, workflowActionExecutions: 0, workflowActionCallbacks: 0, workflowAutoResumes: 0, noteWritebacks: 0, privacyErasures: 0 });
    expect(before.some((n) => n > 0)).toBe(true);
    expect(await counts()).toStrictEqual(before);
  });

  it('deletes in batches until nothing past the window is left', async () => {
    for (let i = 0; i < 7; i++) await insertEvent(50);
    const before = (await ids('events')).length;

    // The sweep uses 5,000-row statements; a batch of 3 makes the loop run three statements here.
    const deleted = await retentionRepository.deleteEventsBefore(db(), ago(30), 3);

    expect(deleted.events).toBe(7);
    expect((await ids('events')).length).toBe(before - 7);
    expect((await tb.services.retention.sweep()).events).toBe(0);

    // The same loop for the workflow-action and erasure statements: 3 old rows each, 2 per statement.
    for (let i = 0; i < 3; i++) {
      await sql`insert into workflow_action_callbacks (callback_id, organization_id, portal_id, conversation_id, status, expires_at, completed_at, created_at)
                values (${`batch-${i}`}, ${org}, 77001, ${conversationId}, 'completed', ${ago(50)}, ${ago(50)}, ${ago(51)})`.execute(db());
      await sql`insert into workflow_auto_resumes (organization_id, conversation_id, callback_id, pause_transition_id, resume_at, status, done_at)
                values (${org}, ${conversationId}, ${`batch-${i}`}, 1, ${ago(50)}, 'resumed', ${ago(50)})`.execute(db());
      await sql`insert into privacy_erasures (organization_id, portal_id, contact_id, conversations_unlinked, erased_at) values (${org}, 77001, ${900 + i}, 0, ${ago(2000)})`.execute(db());
    }
    expect(await retentionRepository.deleteCallbacksBefore(db(), ago(30), 2)).toBe(3);
    expect(await retentionRepository.deleteAutoResumesBefore(db(), ago(30), 2)).toBe(3);
    expect(await retentionRepository.deleteErasuresBefore(db(), ago(1095), 2)).toBe(3);
  });

  it('the backend defines the hourly sweep job, and running it deletes what is past retention', async () => {
    const old = await insertEvent(90);
    const sweep = tb.jobDefinitions.find((j) => j.queue === RETENTION_SWEEP_JOB.queue);
    expect(sweep).toBeDefined();

    await sweep!.handle({} as never, { jobId: 'retention-test', retryCount: 0 });

    expect(await ids('events')).not.toContain(old);
  });
});
