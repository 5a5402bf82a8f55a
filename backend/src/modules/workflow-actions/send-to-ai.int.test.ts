// Send to AI end to end: the emulator's workflow engine runs the action against a listening backend,
// HubSpot waits (BLOCK), the vendor reports the result over the API, a job completes the callback at the
// emulator's 2026-03 callbacks API, and the engine records the final state. The backend runs on a manual
// clock so the expiry sweep and Pause AI's automatic resume can be driven without waiting a day.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { ExecutionRecord } from '../../../../emulator/src/workflows/types.js';
import type { ManualClock } from '../../platform/clock.js';
import { connectOrganization, createOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { eventually } from '../../../../test/support/eventually.js';
import { renderTroubleshooting } from '../connect-page/troubleshooting.view.js';
import { AI_TIMEOUT_MESSAGE, EXPIRY_MARGIN_MS, SEND_TO_AI_EXPIRATION } from './workflow-actions.constants.js';
import { COMPLETE_CALLBACKS_JOB, SWEEP_JOB } from './workflow-actions.jobs.js';

let stack: HubSpotStack;
let org: ConnectedOrganization;
let clock: ManualClock;
let seq = 0;

beforeAll(async () => {
  // Webhook delivery off: its handlers' HubSpot reads would take the faults injected below.
  // Real HubSpot timings for the action calls (a 20 s timeout, not the stack's 1/100 scale).
  stack = await startHubSpotStack({ manualClockAt: Date.now(), emulator: { webhooks: false, timeScale: 1 } });
  clock = stack.backend.clock as ManualClock;
  org = await connectOrganization(stack);
});
afterEach(() => {
  // Back to real time: the emulator signs with its own (real) clock and the v3 window is 5 minutes.
  clock.set(Date.now());
});
afterAll(async () => {
  await stack?.stop();
});

type Json = Record<string, unknown>;

async function api(method: string, path: string, body?: unknown, auth = org.auth): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${stack.backendUrl}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

function execute(input: { actionUid: string; objectType: 'TICKET' | 'CONTACT'; objectId: number; inputFields?: Json; workflowId?: number; portalId?: number }): Promise<ExecutionRecord> {
  return stack.hub.request<ExecutionRecord>('POST', '/_emulator/workflows/execute', { portalId: DEMO_PORTAL_ID, ...input });
}

const execution = (id: string) => stack.hub.request<ExecutionRecord>('GET', `/_emulator/executions/${id}`);

/** Waits until the emulator's execution reaches `state` (the callback was completed). */
function settled(id: string, state: ExecutionRecord['state'], timeoutMs = 10_000): Promise<ExecutionRecord> {
  return eventually(
    async () => {
      const current = await execution(id);
      if (current.state !== state) throw new Error(`execution ${id} is ${current.state}, waiting for ${state}`);
      return current;
    },
    { timeoutMs },
  );
}

async function newTicket(portalId = DEMO_PORTAL_ID): Promise<number> {
  seq += 1;
  return (await stack.hub.createTicket(portalId, { properties: { subject: `Where is my refund? #${seq}`, hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' } })).id;
}

/** Emulator-recorded completions in a portal: single ones for `callbackId`, or batch calls. */
async function completionCalls(callbackId?: string, portalId = DEMO_PORTAL_ID): Promise<{ method: string; path: string; status: number }[]> {
  const requests = await stack.hub.requests({ portalId });
  return requests
    .filter((r) => r.method === 'POST' && (callbackId === undefined ? r.path === '/automation/actions/callbacks/2026-03/complete' : r.path === `/automation/actions/callbacks/2026-03/${callbackId}/complete`))
    .map(({ method, path, status }) => ({ method, path, status }));
}

async function callbackRow(callbackId: string) {
  return stack.backend.tdb.db.selectFrom('workflow_action_callbacks').select(['status', 'output_fields', 'attempts']).where('callback_id', '=', callbackId).executeTakeFirstOrThrow();
}

async function sendToAi(
  ticketId: number,
  inputFields: Json = { instructions: 'Check the order and refund it if it never shipped' },
  opts: { workflowId?: number; portalId?: number } = {},
): Promise<ExecutionRecord> {
  const record = await execute({ actionUid: 'send-to-ai', objectType: 'TICKET', objectId: ticketId, inputFields, ...opts });
  expect(record.state).toBe('BLOCKED');
  return record;
}

/** Waits until no completion job is queued or running. */
async function completionJobsDrained(): Promise<void> {
  await eventually(async () => (await stack.backend.jobs.queueSize(COMPLETE_CALLBACKS_JOB.queue)) === 0);
}

describe('Send to AI', () => {
  test('when it runs on a ticket with no conversation, then HubSpot waits (BLOCK) and the vendor gets record.sent_to_ai with the instructions and record properties', async () => {
    const ticketId = await newTicket();

    const record = await sendToAi(ticketId, { instructions: 'Summarise and propose a refund', priority: 'high' }, { workflowId: 31337 });

    const conversations = (await api('GET', `/api/v1/conversations?ticketId=${ticketId}`)).body.conversations as Json[];
    expect(conversations).toHaveLength(1);
    const conversationId = conversations[0]!.id as string;
    expect(conversations[0]).toMatchObject({ externalId: `hubspot-ticket-${ticketId}`, ticketId: String(ticketId), aiState: 'active' });
    expect(record.outputFields).toStrictEqual({
      hs_execution_state: 'BLOCK',
      hs_expiration_duration: 'P1D',
      ai_state: 'active',
      conversation_id: conversationId,
      error_code: '',
      ai_result: '',
    });
    expect(record.blocked).toMatchObject({ executionState: 'BLOCK', expirationDuration: 'P1D' });
    const events = ((await api('GET', '/api/v1/events?limit=500')).body.events as Json[]).filter((e) => e.type === 'record.sent_to_ai');
    expect(events.map((e) => e.data)).toContainEqual({
      conversationId,
      aiState: 'active',
      callbackId: record.callbackId,
      workflowId: '31337',
      instructions: 'Summarise and propose a refund',
      priority: 'high',
      ticketId: String(ticketId),
      record: { objectType: 'ticket', objectId: String(ticketId), properties: { subject: expect.stringMatching(/^Where is my refund\?/), hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' } },
      respondBy: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await callbackRow(record.callbackId)).toMatchObject({ status: 'pending', output_fields: null });
  });

  test('when the vendor reports success, then a job completes the callback at the 2026-03 API and the emulator records SUCCESS with the outputs', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;

    const res = await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true, outputs: { ai_result: 'Refund of 42 EUR issued' } });

    expect(res).toStrictEqual({ status: 202, body: { conversationId, callbacks: [{ callbackId: record.callbackId, executionState: 'SUCCESS' }] } });
    const done = await settled(record.id, 'SUCCESS');
    expect(done.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'active', conversation_id: conversationId, error_code: '', ai_result: 'Refund of 42 EUR issued' });
    expect(done.executionRule).toBeUndefined();
    // Our side commits `completed` after HubSpot's answer arrived (so the emulator has logged the call).
    await eventually(async () => (await callbackRow(record.callbackId)).status === 'completed');
    expect(await completionCalls(record.callbackId)).toStrictEqual([{ method: 'POST', path: `/automation/actions/callbacks/2026-03/${record.callbackId}/complete`, status: 204 }]);
  });

  test('when the vendor reports a failure, then HubSpot gets FAIL_CONTINUE AI_FAILED and the rule message carries the reason', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;

    const res = await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: false, error: 'The order number is unknown' });

    expect(res.status).toBe(202);
    const done = await settled(record.id, 'FAIL_CONTINUE');
    expect(done.outputFields).toStrictEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      ai_state: 'active',
      conversation_id: conversationId,
      error_code: 'AI_FAILED',
      ai_result: 'The order number is unknown',
    });
    expect(done.executionRule).toStrictEqual({ labelName: 'aiFailed', message: 'The AI could not complete the task: The order number is unknown' });
  });

  test('when the vendor reports again after the callback was completed, then it answers 409 conflict and HubSpot is not called again', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;
    await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true });
    await eventually(async () => (await callbackRow(record.callbackId)).status === 'completed');

    const again = await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: false, error: 'late' });

    expect(again).toStrictEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'Every Send to AI execution on this conversation was already completed or has expired' } },
    });
    await completionJobsDrained();
    expect(await completionCalls(record.callbackId)).toHaveLength(1);
  });

  test('when the conversation belongs to another organization or never waited, then it answers 404; a bad body answers 400', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;
    const other = await createOrganization(stack.backend, 'Someone else');
    const idle = (await api('POST', '/api/v1/conversations', { externalId: `idle-${ticketId}` })).body.id as string;

    expect(await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true }, other.auth)).toStrictEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Conversation not found' } },
    });
    expect(await api('POST', `/api/v1/conversations/${idle}/ai-result`, { success: true })).toStrictEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'No Send to AI execution is waiting on this conversation' } },
    });
    expect(await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true, outputs: { ai_state: 'paused' } })).toStrictEqual({
      status: 400,
      body: { error: { code: 'invalid_body', message: 'Request body is invalid', details: [{ path: 'outputs.ai_state', message: 'Unknown output field; allowed: ai_result' }] } },
    });
    expect((await callbackRow(record.callbackId)).status).toBe('pending');
  });

  test('when several Send to AI executions wait on one conversation, then one batch call completes them all', async () => {
    const ticketId = await newTicket();
    const records = [await sendToAi(ticketId), await sendToAi(ticketId), await sendToAi(ticketId)];
    const conversationId = records[0]!.outputFields.conversation_id as string;
    expect(new Set(records.map((r) => r.outputFields.conversation_id))).toStrictEqual(new Set([conversationId]));
    const batchesBefore = (await completionCalls()).length;

    const res = await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true, outputs: { ai_result: 'done' } });

    expect((res.body.callbacks as unknown[]).length).toBe(3);
    for (const record of records) {
      const done = await settled(record.id, 'SUCCESS');
      expect(done.outputFields.ai_result).toBe('done');
      await eventually(async () => (await callbackRow(record.callbackId)).status === 'completed');
    }
    expect((await completionCalls()).slice(batchesBefore)).toStrictEqual([{ method: 'POST', path: '/automation/actions/callbacks/2026-03/complete', status: 204 }]);
    for (const record of records) expect(await completionCalls(record.callbackId)).toStrictEqual([]);
  });

  test('when HubSpot answers 500 to the completion, then the job retries and completes it once HubSpot recovers', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;
    await stack.hub.setFaults({ apiFailures: { remaining: 1, status: 500 } });

    await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true, outputs: { ai_result: 'after a retry' } });

    const done = await settled(record.id, 'SUCCESS', 20_000);
    expect(done.outputFields.ai_result).toBe('after a retry');
    // HubSpot answered before our transaction marking it completed committed.
    await eventually(async () => (await callbackRow(record.callbackId)).status === 'completed');
    expect(await callbackRow(record.callbackId)).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await completionCalls(record.callbackId)).map((c) => c.status)).toStrictEqual([500, 204]);
  }, 30_000);
});

describe('a completion HubSpot refuses naming a field of our request', () => {
  test('when it happens, then it is logged as an error, counted in /metrics, shown in troubleshooting, kept decided (not rejected) and completed by a later run', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    const conversationId = record.outputFields.conversation_id as string;
    await stack.hub.setFaults({ callbackRefusals: { remaining: 1, field: 'typedOutputs' } });

    await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true, outputs: { ai_result: 'refused once' } });

    await eventually(async () => (await callbackRow(record.callbackId)).attempts === 1);
    await completionJobsDrained();
    expect(await callbackRow(record.callbackId)).toMatchObject({ status: 'completing', attempts: 1 });
    expect((await completionCalls(record.callbackId)).map((c) => c.status)).toStrictEqual([400]);
    const errors = stack.backend.logs.records().filter((r) => r.level === 50 && r.callbackId === record.callbackId);
    expect(errors).toEqual([expect.objectContaining({ fields: ['typedOutputs'], status: 400 })]);
    const metrics = await stack.backend.services.metrics.render();
    expect(metrics.body).toContain('switchboard_hubspot_requests_invalid_total{endpoint="callback_completion"} 1');
    const executions = await stack.backend.services.workflowActions.listRecentExecutions(org.id, 10);
    const row = executions.find((x) => x.callbackId === record.callbackId);
    expect(row?.completionError).toBe('HubSpot refused our completion request (400): invalid typedOutputs');
    expect(renderTroubleshooting({ webhookDeliveries: [], workflowExecutions: executions, tokenRefreshes: [], noteWritebacks: [] })).toContain('HubSpot refused our completion request (400): invalid typedOutputs');
    const executionBefore = await execution(record.id);
    expect(executionBefore.state).toBe('BLOCKED');

    // After the fix (here: the refusal is gone), the next run sends it again.
    expect(await stack.backend.services.workflowActions.completeDueCallbacks(org.id)).toBe(1);
    expect((await settled(record.id, 'SUCCESS')).outputFields.ai_result).toBe('refused once');
    expect(await callbackRow(record.callbackId)).toMatchObject({ status: 'completed' });
  });
});

describe('the sweep', () => {
  const sweepJob = () => SWEEP_JOB;
  const runSweepJob = async () => {
    await stack.backend.jobs.send(sweepJob(), {});
    await eventually(async () => (await stack.backend.jobs.queueSize(sweepJob().queue)) === 0);
  };

  test('when the AI never reports, then shortly before expiry the callback is completed FAIL_CONTINUE AI_TIMEOUT exactly once', async () => {
    // A portal of its own, so this callback is the only one the sweep completes there (a single call).
    const { portal } = await stack.hub.createPortal({ name: 'Quiet AI Co' });
    const quiet = await connectOrganization(stack, portal.id, 'Quiet AI Co');
    const ticketId = await newTicket(portal.id);
    const record = await sendToAi(ticketId, undefined, { portalId: portal.id });
    const conversationId = record.outputFields.conversation_id as string;
    clock.advance(SEND_TO_AI_EXPIRATION.ms - EXPIRY_MARGIN_MS + 60_000);

    // Two sweeps at the same moment, then the scheduled job's own run, then one more.
    await Promise.all([stack.backend.services.workflowActions.sweep(), stack.backend.services.workflowActions.sweep()]);
    await runSweepJob();
    const done = await settled(record.id, 'FAIL_CONTINUE');
    await stack.backend.services.workflowActions.sweep();
    await completionJobsDrained();

    expect(done.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: conversationId, error_code: 'AI_TIMEOUT', ai_result: AI_TIMEOUT_MESSAGE });
    expect(done.executionRule).toStrictEqual({ labelName: 'aiTimeout', message: 'The AI did not report a result in time, so the workflow continued without it.' });
    expect(await completionCalls(record.callbackId, portal.id)).toStrictEqual([{ method: 'POST', path: `/automation/actions/callbacks/2026-03/${record.callbackId}/complete`, status: 204 }]);
    expect(await completionCalls(undefined, portal.id)).toStrictEqual([]);
    expect((await api('POST', `/api/v1/conversations/${conversationId}/ai-result`, { success: true }, quiet.auth)).status).toBe(409);
    // Concurrent sweeps may share the expiring rows between them (SKIP LOCKED), so each logs its own share.
    expect(stack.backend.logs.records().some((l) => l.msg === 'Send to AI callbacks about to expire unanswered; completing them with AI_TIMEOUT' && l.level === 40)).toBe(true);
  });

  test('when HubSpot already stopped waiting, then the callback is marked expired and never sent', async () => {
    const ticketId = await newTicket();
    const record = await sendToAi(ticketId);
    clock.advance(SEND_TO_AI_EXPIRATION.ms + 60_000);

    const report = await stack.backend.services.workflowActions.sweep();

    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect((await callbackRow(record.callbackId)).status).toBe('expired');
    await completionJobsDrained();
    expect(await completionCalls(record.callbackId)).toStrictEqual([]);
  });
});

describe('Pause AI with duration_minutes', () => {
  async function pausedFor(minutes: number): Promise<{ conversationId: string; workflowId: number }> {
    const ticketId = await newTicket();
    const conversationId = (await api('POST', '/api/v1/conversations', { externalId: `chat-auto-${ticketId}`, ticketId })).body.id as string;
    const workflowId = 7000 + seq;
    const record = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { duration_minutes: minutes, reason: 'quiet hours' }, workflowId });
    expect(record.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', ai_state: 'paused' });
    return { conversationId, workflowId };
  }
  const aiState = async (id: string) => (await api('GET', `/api/v1/conversations/${id}`)).body.aiState;

  test('when the duration has passed, then the sweep resumes the AI through the conversations service, once', async () => {
    const { conversationId, workflowId } = await pausedFor(30);

    clock.advance(29 * 60_000);
    await stack.backend.services.workflowActions.sweep();
    expect(await aiState(conversationId)).toBe('paused');

    clock.advance(2 * 60_000);
    await Promise.all([stack.backend.services.workflowActions.sweep(), stack.backend.services.workflowActions.sweep()]);

    expect(await aiState(conversationId)).toBe('active');
    const transitions = (await api('GET', `/api/v1/conversations/${conversationId}/transitions`)).body.transitions as Json[];
    expect(transitions.map((t) => [t.to, t.source, t.actor])).toStrictEqual([
      ['paused', 'workflow', `workflow:${workflowId}`],
      ['active', 'workflow', `workflow:${workflowId}`],
    ]);
    expect(transitions[1]!.reason).toBe('Automatic resume: the pause duration set in the workflow has passed');
  });

  test('when someone changed the AI state after the pause, then the automatic resume is skipped', async () => {
    const { conversationId } = await pausedFor(10);
    await api('POST', `/api/v1/conversations/${conversationId}/resume`, {});
    await api('POST', `/api/v1/conversations/${conversationId}/pause`, { reason: 'an agent took over' });

    clock.advance(11 * 60_000);
    const report = await stack.backend.services.workflowActions.sweep();

    expect(report.autoResumeSkipped).toBeGreaterThanOrEqual(1);
    expect(await aiState(conversationId)).toBe('paused');
  });
});
