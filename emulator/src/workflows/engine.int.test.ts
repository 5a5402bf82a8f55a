// The workflow engine against a throwaway action endpoint, driving the project's real action manifests
// (src/app/workflow-actions) with their actionUrl pointed at the receiver.
import { describe, it, expect, afterEach } from '@jest/globals';
import path from 'node:path';
import { Signature } from '@hubspot/api-client';
import { loadProjectManifests } from '../manifests.js';
import { normaliseV3Uri } from '../signing.js';
import { eventually, startReceiver } from '../outbound/__support__/receiver.js';
import type { Receiver, ReceivedRequest, ScriptedResponse } from '../outbound/__support__/receiver.js';
import { createWorkflowEngine, WorkflowRequestError } from './engine.js';
import type { ExecuteRequest, ExecutionRequestBody, WorkflowEngine } from './types.js';

const SRC_DIR = path.resolve(process.cwd(), 'src');
const SECRET = 'workflow-test-secret';
const PORTAL = 62515;
const TICKET = 904;
const WEEK_MS = 7 * 86_400_000;

interface Harness {
  receiver: Receiver;
  engine: WorkflowEngine;
  clock: { now: number };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(script: (req: ReceivedRequest, index: number) => ScriptedResponse, timeoutMs = 1_000_000): Promise<Harness> {
  const receiver = await startReceiver(script);
  const { workflowActions } = loadProjectManifests({ srcDir: SRC_DIR, profile: 'local', backendUrl: receiver.url });
  const clock = { now: Date.now() };
  const engine = createWorkflowEngine({
    actions: workflowActions,
    clientSecret: SECRET,
    appId: 54321,
    now: () => clock.now,
    // HubSpot's waits ×0.001: backoff starts at 1 ms, Retry-After: 100 (s) becomes 100 ms.
    timeScale: 0.001,
    // ×0.001 = 1 s real unless a test wants a timeout.
    timeoutMs,
    getObject: (portalId, objectType, objectId) =>
      portalId === PORTAL && objectType === 'TICKET' && objectId === TICKET
        ? { subject: 'Printer on fire', hubspot_owner_id: '51234567', content: 'not requested by the action' }
        : undefined,
  });
  cleanups.push(() => receiver.close(), () => engine.stop());
  return { receiver, engine, clock };
}

const run = (over: Partial<ExecuteRequest> = {}): ExecuteRequest => ({
  portalId: PORTAL,
  actionUid: 'switchboard_pause_ai',
  objectType: 'TICKET',
  objectId: TICKET,
  inputFields: { reason: 'Agent took over' },
  ...over,
});

const answer = (outputFields: Record<string, unknown>, status = 200): ScriptedResponse => ({ status, body: { outputFields } });
const bodyOf = (req: ReceivedRequest) => JSON.parse(req.rawBody.toString('utf8')) as ExecutionRequestBody;

describe('workflow engine: execution request and answers', () => {
  it('when the action answers SUCCESS, then the request has the documented execution-request shape, signed v2 and v3, and the record is SUCCESS', async () => {
    const { receiver, engine } = await setup(() => answer({ hs_execution_state: 'SUCCESS', ai_state: 'paused', conversation_id: 'c-1' }));
    const record = await engine.execute(run({ workflowId: 192814114 }));
    expect(record).toMatchObject({ state: 'SUCCESS', actionUid: 'switchboard_pause_ai', outputFields: { ai_state: 'paused', conversation_id: 'c-1' } });
    expect(record.executionRule).toBeUndefined();
    const [req] = receiver.requests;
    expect(req!.path).toBe('/hubspot/actions/pause-ai');
    const body = bodyOf(req!);
    expect(body.callbackId).toMatch(/^ap-62515-\d+-\d+-0$/);
    expect(body).toMatchObject({
      origin: { portalId: PORTAL, actionDefinitionVersion: 1, actionExecutionIndexIdentifier: { actionExecutionIndex: 0 } },
      context: { source: 'WORKFLOWS', workflowId: 192814114 },
      object: { objectId: TICKET, objectType: 'TICKET', properties: { subject: 'Printer on fire', hubspot_owner_id: '51234567' } },
      inputFields: { reason: 'Agent took over' },
      fields: { reason: 'Agent took over' },
    });
    expect(body.object.properties).not.toHaveProperty('content');
    const url = `${receiver.url}/hubspot/actions/pause-ai`;
    const raw = req!.rawBody.toString('utf8');
    expect(req!.headers['x-hubspot-signature-version']).toBe('v2');
    expect(Signature.isValid({ signatureVersion: 'v2', method: 'POST', url, requestBody: raw, clientSecret: SECRET, signature: String(req!.headers['x-hubspot-signature']) })).toBe(true);
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        method: 'POST',
        url: normaliseV3Uri(url),
        requestBody: raw,
        clientSecret: SECRET,
        timestamp: Number(req!.headers['x-hubspot-request-timestamp']),
        signature: String(req!.headers['x-hubspot-signature-v3']),
      }),
    ).toBe(true);
  });

  it('when the action answers a plain 2xx without a body, then the execution succeeds', async () => {
    const { engine } = await setup(() => ({ status: 204 }));
    expect((await engine.execute(run({ actionUid: 'pause-ai' }))).state).toBe('SUCCESS');
  });

  it('when the action answers FAIL_CONTINUE with an error code, then the execution-rule message is recorded', async () => {
    const { engine } = await setup(() => answer({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_TRANSITION', ai_state: 'paused' }));
    const record = await engine.execute(run());
    expect(record.state).toBe('FAIL_CONTINUE');
    expect(record.executionRule).toStrictEqual({
      labelName: 'invalidTransition',
      message: 'The AI on this conversation cannot change to that state (paused).',
    });
  });

  it('when the action answers an unknown hs_execution_state, then the execution fails', async () => {
    const { engine } = await setup(() => answer({ hs_execution_state: 'MAYBE' }));
    expect(await engine.execute(run())).toMatchObject({ state: 'FAILED', failureReason: 'unknown hs_execution_state "MAYBE"' });
  });
});

describe('workflow engine: BLOCK and callbacks', () => {
  it('when the action answers BLOCK, then it waits and complete() finishes it with the callback outputs', async () => {
    const { engine, clock } = await setup(() => answer({ hs_execution_state: 'BLOCK', hs_expiration_duration: 'PT1H' }));
    const blocked = await engine.execute(run({ actionUid: 'switchboard_send_to_ai', inputFields: { instructions: 'Summarise' } }));
    expect(blocked.state).toBe('BLOCKED');
    expect(blocked.blocked).toStrictEqual({ executionState: 'BLOCK', expirationDuration: 'PT1H', expiresAt: clock.now + 3_600_000 });
    expect(engine.complete(PORTAL + 1, blocked.callbackId, {})).toBe('unknown');
    expect(engine.complete(PORTAL, 'ap-no-such-callback', {})).toBe('unknown');
    expect(engine.complete(PORTAL, blocked.callbackId, { hs_execution_state: 'SUCCESS', ai_result: 'Done', ai_state: 'active' })).toBe('completed');
    const done = engine.execution(blocked.id);
    expect(done).toMatchObject({ state: 'SUCCESS', outputFields: { ai_result: 'Done' }, completion: { at: clock.now } });
    expect(engine.complete(PORTAL, blocked.callbackId, {})).toBe('already_completed');
  });

  it('when a blocked execution is completed with FAIL_CONTINUE, then the rule message comes from the completion outputs', async () => {
    const { engine } = await setup(() => answer({ hs_execution_state: 'ASYNC' }));
    const blocked = await engine.execute(run());
    expect(blocked.blocked?.executionState).toBe('ASYNC');
    engine.complete(PORTAL, blocked.callbackId, { hs_execution_state: 'FAIL_CONTINUE', error_code: 'NO_CONVERSATION' });
    expect(engine.execution(blocked.id)).toMatchObject({
      state: 'FAIL_CONTINUE',
      executionRule: { labelName: 'noConversation', message: 'No AI conversation is linked to this record.' },
    });
  });

  it('when nobody completes a BLOCK before hs_expiration_duration (default P1W), then it expires', async () => {
    const { engine, clock } = await setup(() => answer({ hs_execution_state: 'BLOCK' }));
    const blocked = await engine.execute(run());
    expect(blocked.blocked?.expirationDuration).toBe('P1W');
    clock.now += WEEK_MS - 1;
    expect(engine.execution(blocked.id)?.state).toBe('BLOCKED');
    clock.now += 1;
    expect(engine.executions({ portalId: PORTAL }).map((r) => r.state)).toEqual(['EXPIRED']);
    expect(engine.complete(PORTAL, blocked.callbackId, { hs_execution_state: 'SUCCESS' })).toBe('expired');
  });

  it('when the backend completes the callback before its BLOCK answer arrives, then the completion still counts', async () => {
    const ref: { engine?: WorkflowEngine } = {};
    const { engine } = await setup((req) => {
      expect(ref.engine!.complete(PORTAL, bodyOf(req).callbackId, { hs_execution_state: 'SUCCESS', ai_state: 'paused' })).toBe('completed');
      return answer({ hs_execution_state: 'BLOCK' });
    });
    ref.engine = engine;
    const record = await engine.execute(run());
    expect(record).toMatchObject({ state: 'SUCCESS', outputFields: { ai_state: 'paused' } });
  });
});

describe('workflow engine: retries by status', () => {
  it('when the action answers 5xx twice, then it is retried with the same body and callbackId until it succeeds', async () => {
    const { receiver, engine } = await setup((_req, i) => (i < 2 ? { status: 503 } : answer({ ai_state: 'paused' })));
    const record = await engine.execute(run());
    expect(record.state).toBe('SUCCESS');
    expect(record.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(new Set(receiver.requests.map((r) => r.rawBody.toString('utf8'))).size).toBe(1);
  });

  it('when the action keeps answering 5xx, then the execution fails after maxAttempts', async () => {
    const { receiver, engine } = await setup(() => ({ status: 500 }));
    const record = await engine.execute(run());
    expect(record).toMatchObject({ state: 'FAILED', failureReason: 'http_500' });
    expect(receiver.requests.length).toBe(5);
  });

  it('when the action answers 4xx, then the execution fails without a retry', async () => {
    const { receiver, engine } = await setup(() => ({ status: 400, body: { message: 'bad' } }));
    const record = await engine.execute(run());
    expect(record).toMatchObject({ state: 'FAILED', failureReason: 'http_400' });
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]!.responseBody).toStrictEqual({ message: 'bad' });
    expect(receiver.requests.length).toBe(1);
  });

  it('when the action answers 429 with Retry-After, then the retry waits that long (scaled) and succeeds', async () => {
    const { receiver, engine } = await setup((_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '100' } } : answer({})));
    const started = Date.now();
    const record = await engine.execute(run());
    expect(record.state).toBe('SUCCESS');
    expect(record.attempts.map((a) => [a.status, a.retryInMs])).toEqual([
      [429, 100],
      [200, undefined],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(receiver.requests.length).toBe(2);
  });

  it('when the action is slower than the timeout, then the attempt counts as a timeout and is retried', async () => {
    // The first attempt never answers in time (it would after 10 minutes); the timeout is 2 s real, so
    // the immediate second answer beats it even on a heavily loaded machine.
    const { engine } = await setup((_req, i) => (i === 0 ? { status: 200, delayMs: 600_000 } : answer({})), 2_000_000);
    const record = await engine.execute(run());
    expect(record.attempts.map((a) => a.error ?? a.status)).toEqual(['timeout', 200]);
    expect(record.state).toBe('SUCCESS');
  });
});

describe('workflow engine: refused requests', () => {
  it('when a required input is missing, an option is unknown or a number is not numeric, then execute throws 400 with details', async () => {
    const { receiver, engine } = await setup(() => answer({}));
    const error = await engine
      .execute(run({ actionUid: 'send-to-ai', inputFields: { priority: 'urgent', colour: 'red' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input_fields' });
    expect((error as WorkflowRequestError).details).toEqual(
      expect.arrayContaining([
        { path: 'inputFields.colour', message: 'Unknown input field' },
        { path: 'inputFields.instructions', message: 'Required' },
        expect.objectContaining({ path: 'inputFields.priority' }),
      ]),
    );
    await expect(engine.execute(run({ inputFields: { duration_minutes: 'soon' } }))).rejects.toMatchObject({ code: 'invalid_input_fields' });
    await expect(engine.execute(run({ inputFields: { duration_minutes: '30' } }))).resolves.toMatchObject({ state: 'SUCCESS' });
    expect(receiver.requests.length).toBe(1);
  });

  it('when the action, object type or record does not exist, then execute throws 404/400 and sends nothing', async () => {
    const { receiver, engine } = await setup(() => answer({}));
    await expect(engine.execute(run({ actionUid: 'nope' }))).rejects.toMatchObject({ status: 404, code: 'action_not_found' });
    await expect(engine.execute(run({ objectType: 'DEAL' }))).rejects.toMatchObject({ status: 400, code: 'invalid_object_type' });
    await expect(engine.execute(run({ objectId: 1 }))).rejects.toMatchObject({ status: 404, code: 'object_not_found' });
    expect(receiver.requests.length).toBe(0);
  });
});

describe('workflow engine: optionsUrl and lifecycle', () => {
  it('when options are requested for a field with optionsUrl, then the documented options body is POSTed signed and the answer returned', async () => {
    const options = { options: [{ label: 'Billing', value: 'billing' }], searchable: true };
    const { receiver, engine } = await setup(() => ({ status: 200, body: options }));
    const result = await engine.fetchOptions({ portalId: PORTAL, actionUid: 'request-handoff', inputFieldName: 'team', fetchOptions: { q: 'bil' } });
    expect(result.status).toBe(200);
    expect(result.body).toStrictEqual(options);
    const [req] = receiver.requests;
    expect(req!.path).toBe('/hubspot/actions/options/team');
    expect(JSON.parse(req!.rawBody.toString('utf8'))).toMatchObject({
      origin: { portalId: PORTAL, actionDefinitionVersion: 1 },
      objectTypeId: '0-5',
      inputFieldName: 'team',
      inputFields: {},
      fetchOptions: { q: 'bil' },
    });
    expect(req!.headers['x-hubspot-signature-v3']).toBeDefined();
    await expect(engine.fetchOptions({ portalId: PORTAL, actionUid: 'request-handoff', inputFieldName: 'note' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_options_field',
    });
  });

  it('when the same callbackId is executed twice, then both requests carry it and complete() targets the latest', async () => {
    const { receiver, engine } = await setup(() => answer({ hs_execution_state: 'BLOCK' }));
    await engine.execute(run({ callbackId: 'ap-fixed-1' }));
    const second = await engine.execute(run({ callbackId: 'ap-fixed-1' }));
    expect(receiver.requests.map((r) => bodyOf(r).callbackId)).toEqual(['ap-fixed-1', 'ap-fixed-1']);
    expect(engine.complete(PORTAL, 'ap-fixed-1', {})).toBe('completed');
    expect(engine.execution(second.id)?.state).toBe('SUCCESS');
  });

  it('when stopped during a long backoff, then execute resolves FAILED at once', async () => {
    const { engine } = await setup(() => ({ status: 429, headers: { 'Retry-After': '100000' } }));
    const pending = engine.execute(run());
    await eventually(() => engine.executions()[0]?.attempts.length === 1);
    await engine.stop();
    await expect(pending).resolves.toMatchObject({ state: 'FAILED', failureReason: 'cancelled' });
  });
});
