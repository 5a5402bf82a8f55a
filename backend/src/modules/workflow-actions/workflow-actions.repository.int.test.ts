// The two row-level guarantees the workflow actions rest on, shown on real Postgres without timing
// luck: a concurrent claim of one callbackId waits for the first transaction and then sees its answer,
// and a Send to AI callback is decided once however many deciders race for it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'kysely';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { eventually } from '../../../../test/support/eventually.js';
import { callbacksRepository } from './callbacks.repository.js';
import { workflowActionsRepository as repo } from './workflow-actions.repository.js';

let backend: TestBackend;
let organizationId: string;

beforeAll(async () => {
  backend = await createTestBackend();
  organizationId = (await backend.services.organizations.createOrganization({ name: 'Repo Org' })).organization.id;
});
afterAll(async () => {
  await backend?.destroy();
});

const execution = (callbackId: string) => ({ callbackId, actionName: 'pause-ai', portalId: 1, workflowId: 2, objectType: 'TICKET', objectId: 3 });

/** Resolves once some session waits on a lock (the second claim is blocked, not merely slow). */
async function someoneWaitsOnALock(): Promise<void> {
  await eventually(async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(backend.tdb.db);
    return rows[0]!.n > 0;
  });
}

describe('claimExecution', () => {
  test('when a second transaction claims a callbackId the first holds uncommitted, then it waits, and then reads the first answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimedByA!: () => void;
    const aClaimed = new Promise<void>((resolve) => (claimedByA = resolve));
    const a = backend.tdb.db.transaction().execute(async (trx) => {
      const claimed = await repo.claimExecution(trx, execution('cb-race'));
      claimedByA();
      await gate;
      await repo.storeExecutionAnswer(trx, 'cb-race', { executionState: 'SUCCESS', outputFields: { hs_execution_state: 'SUCCESS', ai_state: 'paused' } });
      return claimed;
    });
    await aClaimed;

    const b = backend.tdb.db.transaction().execute(async (trx) => {
      const claimed = await repo.claimExecution(trx, execution('cb-race'));
      return { claimed, stored: await repo.findExecution(trx, 'cb-race') };
    });
    await someoneWaitsOnALock();
    release();

    expect(await a).toBe(true);
    expect(await b).toStrictEqual({
      claimed: false,
      stored: { callbackId: 'cb-race', actionName: 'pause-ai', portalId: 1, answer: { hs_execution_state: 'SUCCESS', ai_state: 'paused' } },
    });
  });

  test('when the first transaction rolls back, then the waiting one claims the callbackId itself', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let claimedByA!: () => void;
    const aClaimed = new Promise<void>((resolve) => (claimedByA = resolve));
    const a = backend.tdb.db.transaction().execute(async (trx) => {
      await repo.claimExecution(trx, execution('cb-crash'));
      claimedByA();
      await gate;
      throw new Error('the process died');
    });
    await aClaimed;

    const b = backend.tdb.db.transaction().execute((trx) => repo.claimExecution(trx, execution('cb-crash')));
    await someoneWaitsOnALock();
    release();

    await expect(a).rejects.toThrow('the process died');
    expect(await b).toBe(true);
  });
});

describe('deciding a callback', () => {
  test('when the vendor result and the expiry sweep race for one pending callback, then exactly one decides it', async () => {
    const now = new Date();
    await backend.tdb.db.transaction().execute((trx) =>
      callbacksRepository.insertPendingCallback(trx, { callbackId: 'cb-decide', organizationId, portalId: 1, conversationId: 'conv-1', expiresAt: new Date(now.getTime() + 60_000) }),
    );

    const decisions = await Promise.all([
      backend.tdb.db.transaction().execute((trx) => callbacksRepository.decideConversationCallbacks(trx, { organizationId, conversationId: 'conv-1', now }, () => ({ hs_execution_state: 'SUCCESS' }))),
      backend.tdb.db.transaction().execute((trx) => callbacksRepository.decideExpiringCallbacks(trx, { expiringBefore: new Date(now.getTime() + 120_000), now, limit: 10 }, () => ({ hs_execution_state: 'FAIL_CONTINUE' }))),
      backend.tdb.db.transaction().execute((trx) => callbacksRepository.decideExpiringCallbacks(trx, { expiringBefore: new Date(now.getTime() + 120_000), now, limit: 10 }, () => ({ hs_execution_state: 'FAIL_CONTINUE' }))),
    ]);

    expect(decisions.flat().map((c) => c.callbackId)).toStrictEqual(['cb-decide']);
    const stored = await callbacksRepository.findCallback(backend.tdb.db, 'cb-decide');
    expect(stored?.status).toBe('completing');
    expect(stored?.outputFields).toStrictEqual(decisions.flat()[0]!.outputFields);
  });
});
