// Workflow actions driven by the emulator's workflow engine over HTTP against a listening backend: the
// engine reads the real manifests, signs each execution like HubSpot (v2 + v3) and records the outputs and
// the execution rule's message. Real Postgres, no module mocks.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { signedHeaders } from '../../../../emulator/src/signing.js';
import type { ExecutionRecord, OptionsResult } from '../../../../emulator/src/workflows/types.js';
import { connectOrganization, createOrganization, DEMO_PORTAL_ID, inTransaction, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';

let stack: HubSpotStack;
let org: ConnectedOrganization;
let seq = 0;

beforeAll(async () => {
  // Real HubSpot timings (a 20 s action timeout): at the stack's default 1/100 scale a loaded test
  // machine can take longer than the 200 ms left, and the engine would retry like HubSpot does.
  stack = await startHubSpotStack({ emulator: { timeScale: 1 } });
  org = await connectOrganization(stack);
});
afterAll(async () => {
  await stack?.stop();
});

// ---- helpers ----

type Json = Record<string, unknown>;

/** Calls the backend's vendor API as the organization. */
async function api(method: string, path: string, body?: unknown, auth = org.auth): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${stack.backendUrl}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** Runs an action through the emulator's workflow engine (it waits for the final or BLOCKED state). */
function execute(input: { actionUid: string; objectType: 'TICKET' | 'CONTACT'; objectId: number; inputFields?: Json; portalId?: number; workflowId?: number; callbackId?: string }): Promise<ExecutionRecord> {
  return stack.hub.request<ExecutionRecord>('POST', '/_emulator/workflows/execute', { portalId: DEMO_PORTAL_ID, ...input });
}

async function newTicket(portalId = DEMO_PORTAL_ID): Promise<number> {
  seq += 1;
  return (await stack.hub.createTicket(portalId, { properties: { subject: `Printer on fire #${seq}`, hs_pipeline_stage: '1' } })).id;
}

async function newContact(portalId = DEMO_PORTAL_ID): Promise<number> {
  seq += 1;
  return (await stack.hub.createContact(portalId, { properties: { email: `c${seq}@example.com`, firstname: 'Ada' } })).id;
}

/** A vendor conversation linked to a record, created through the vendor API. */
async function newConversation(link: { ticketId?: number; contactId?: number; threadId?: number }): Promise<string> {
  seq += 1;
  const res = await api('POST', '/api/v1/conversations', { externalId: `chat-${seq}`, ...link });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function conversation(id: string): Promise<Json> {
  return (await api('GET', `/api/v1/conversations/${id}`)).body;
}

async function transitions(id: string): Promise<Json[]> {
  return (await api('GET', `/api/v1/conversations/${id}/transitions`)).body.transitions as Json[];
}

async function executionRows(callbackId: string): Promise<unknown[]> {
  return stack.backend.tdb.db.selectFrom('workflow_action_executions').selectAll().where('callback_id', '=', callbackId).execute();
}

async function eventsOfType(type: string): Promise<Json[]> {
  const res = await api('GET', '/api/v1/events?limit=500');
  return (res.body.events as Json[]).filter((e) => e.type === type);
}

const actionUrl = (name: string) => `${stack.backendUrl}/hubspot/actions/${name}`;

/** A HubSpot-shaped execution request body (for the raw-HTTP rejection tests). */
function executionBody(objectId: number, inputFields: Json = {}): string {
  seq += 1;
  return JSON.stringify({
    callbackId: `raw-${seq}`,
    origin: { portalId: DEMO_PORTAL_ID, actionDefinitionId: 1, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 77 },
    object: { objectId, objectType: 'TICKET', properties: {} },
    inputFields,
  });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** Why the backend refused signatures, from its log (the reason is logged, never sent). */
const refusals = () => stack.backend.logs.records().filter((l) => l.msg === 'request signature refused').map((l) => ({ reason: l.reason, version: l.version }));

const SIGNATURE_INVALID = { error: { code: 'signature_invalid', message: 'Request signature is missing or invalid' } };

// ---- tests ----

describe('POST /hubspot/actions/:actionName (signature)', () => {
  let ticketId: number;
  let conversationId: string;
  beforeAll(async () => {
    ticketId = await newTicket();
    conversationId = await newConversation({ ticketId });
  });

  test('when the signature is missing, then it answers 401 signature_invalid and changes nothing', async () => {
    const body = executionBody(ticketId);

    const res = await post(actionUrl('pause-ai'), body, {});

    expect(res).toStrictEqual({ status: 401, body: SIGNATURE_INVALID });
    expect(await executionRows(JSON.parse(body).callbackId)).toStrictEqual([]);
    expect((await conversation(conversationId)).aiState).toBe('active');
  });

  test('when the v2 signature was made with another secret, then it answers 401 and changes nothing', async () => {
    const body = executionBody(ticketId);
    const headers = signedHeaders({ method: 'POST', url: actionUrl('pause-ai'), body, clientSecret: 'not-the-app-secret', timestamp: Date.now(), versions: ['v2'] });

    const res = await post(actionUrl('pause-ai'), body, headers);

    expect(res).toStrictEqual({ status: 401, body: SIGNATURE_INVALID });
    expect(await executionRows(JSON.parse(body).callbackId)).toStrictEqual([]);
    expect((await conversation(conversationId)).aiState).toBe('active');
    expect(refusals()).toContainEqual({ reason: 'mismatch', version: 'v2' });
    expect(stack.backend.logs.text()).not.toContain(headers['X-HubSpot-Signature']!);
  });

  test('when the v3 timestamp is 6 minutes old, then it answers 401 even though the v2 signature is valid', async () => {
    const body = executionBody(ticketId);
    const headers = signedHeaders({
      method: 'POST',
      url: actionUrl('pause-ai'),
      body,
      clientSecret: stack.emulator.app.clientSecret,
      timestamp: Date.now() - 6 * 60_000,
      versions: ['v2', 'v3'],
    });

    const res = await post(actionUrl('pause-ai'), body, headers);

    expect(res).toStrictEqual({ status: 401, body: SIGNATURE_INVALID });
    expect(await executionRows(JSON.parse(body).callbackId)).toStrictEqual([]);
    expect((await conversation(conversationId)).aiState).toBe('active');
    expect(refusals()).toContainEqual({ reason: 'stale_timestamp', version: 'v3' });
  });

  test('when the body was changed after signing, then it answers 401 and changes nothing', async () => {
    const body = executionBody(ticketId);
    const headers = signedHeaders({ method: 'POST', url: actionUrl('pause-ai'), body, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v2', 'v3'] });

    const res = await post(actionUrl('pause-ai'), body.replace('"workflowId":77', '"workflowId":78'), headers);

    expect(res).toStrictEqual({ status: 401, body: SIGNATURE_INVALID });
    expect((await conversation(conversationId)).aiState).toBe('active');
  });

  test('when the action is unknown, then it answers 404 not_found', async () => {
    const res = await post(actionUrl('delete-everything'), executionBody(ticketId), {});

    expect(res).toStrictEqual({ status: 404, body: { error: { code: 'not_found', message: 'No such workflow action' } } });
  });

  test('when a correctly signed body is not JSON, then HubSpot gets FAIL_CONTINUE INVALID_INPUT rather than a 4xx', async () => {
    const body = 'not json';
    const headers = signedHeaders({ method: 'POST', url: actionUrl('pause-ai'), body, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v2'] });

    const res = await post(actionUrl('pause-ai'), body, headers);

    expect(res).toStrictEqual({ status: 200, body: { outputFields: { hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: '', error_code: 'INVALID_INPUT' } } });
  });
});

describe('the actions run from the emulator', () => {
  test('when Pause AI runs on a ticket, then its conversation is paused with source workflow and the workflow id in the audit trail', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });

    const record = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { reason: 'Agent takes over' }, workflowId: 4242 });

    expect(record.state).toBe('SUCCESS');
    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'paused', conversation_id: conversationId, error_code: '' });
    expect(record.executionRule).toBeUndefined();
    expect((await conversation(conversationId)).aiState).toBe('paused');
    expect(await transitions(conversationId)).toMatchObject([{ from: 'active', to: 'paused', source: 'workflow', actor: 'workflow:4242', reason: 'Agent takes over' }]);
    const paused = (await eventsOfType('ai.paused')).filter((e) => (e.data as Json).conversationId === conversationId);
    expect(paused).toHaveLength(1);
    expect(paused[0]!.data).toMatchObject({ source: 'workflow', actor: 'workflow:4242', ticketId: String(ticketId) });
  });

  test('when Resume AI runs on a paused ticket conversation, then the AI is active again', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    await api('POST', `/api/v1/conversations/${conversationId}/pause`, { reason: 'agent' });

    const record = await execute({ actionUid: 'resume-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { note: 'back to the bot' }, workflowId: 5151 });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'active', conversation_id: conversationId, error_code: '' });
    expect((await conversation(conversationId)).aiState).toBe('active');
    expect((await transitions(conversationId)).at(-1)).toMatchObject({ from: 'paused', to: 'active', source: 'workflow', actor: 'workflow:5151', reason: 'back to the bot' });
  });

  test('when Request handoff runs with a team, then the conversation awaits humans and the event names the team', async () => {
    await api('PUT', '/api/v1/handoff-teams', { teams: [{ id: 'billing', name: 'Billing' }, { id: 'tier-2', name: 'Tier 2 support' }] });
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });

    const record = await execute({ actionUid: 'request-handoff', objectType: 'TICKET', objectId: ticketId, inputFields: { team: 'tier-2', note: 'Angry customer' }, workflowId: 6161 });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'handoff_requested', conversation_id: conversationId, error_code: '' });
    expect((await transitions(conversationId)).at(-1)).toMatchObject({ to: 'handoff_requested', source: 'workflow', actor: 'workflow:6161', reason: 'Angry customer' });
    const handoff = (await eventsOfType('ai.handoff_requested')).find((e) => (e.data as Json).conversationId === conversationId);
    expect(handoff?.data).toMatchObject({ team: { id: 'tier-2', name: 'Tier 2 support' } });
  });

  test('when Pause AI meets a pending handoff, then it answers FAIL_CONTINUE INVALID_TRANSITION and the emulator shows the rule message', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    await api('POST', `/api/v1/conversations/${conversationId}/handoff`, {});

    const record = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.state).toBe('FAIL_CONTINUE');
    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: 'handoff_requested', conversation_id: conversationId, error_code: 'INVALID_TRANSITION' });
    expect(record.executionRule).toStrictEqual({ labelName: 'invalidTransition', message: 'The AI on this conversation cannot change to that state (handoff_requested).' });
    expect((await conversation(conversationId)).aiState).toBe('handoff_requested');
  });

  test('when Pause AI runs on a contact, then its open conversations pause and its closed ones stay as they were', async () => {
    const contactId = await newContact();
    const open = await newConversation({ contactId, threadId: 900_000 + seq });
    const closedThread = 910_000 + seq;
    const closed = await newConversation({ contactId, threadId: closedThread });
    await inTransaction(stack.backend, (trx) => stack.backend.services.conversations.recordThreadStatusInTransaction(trx, org.id, closedThread, 'CLOSED', new Date()));

    const record = await execute({ actionUid: 'pause-ai', objectType: 'CONTACT', objectId: contactId });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'paused', conversation_id: open, error_code: '' });
    expect((await conversation(open)).aiState).toBe('paused');
    expect((await conversation(closed)).aiState).toBe('active');
  });

  test('when a ticket has two conversations, then both pause and the newest is reported', async () => {
    const ticketId = await newTicket();
    const older = await newConversation({ ticketId });
    const newer = await newConversation({ ticketId });

    const record = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.outputFields.conversation_id).toBe(newer);
    expect([(await conversation(older)).aiState, (await conversation(newer)).aiState]).toStrictEqual(['paused', 'paused']);
  });

  test('when no conversation is linked to the record, then it answers NO_CONVERSATION with the rule message', async () => {
    const ticketId = await newTicket();

    const record = await execute({ actionUid: 'resume-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: '', error_code: 'NO_CONVERSATION' });
    expect(record.executionRule).toStrictEqual({ labelName: 'noConversation', message: 'No AI conversation is linked to this record.' });
  });
});

describe('latency', () => {
  test('when every HubSpot API call takes 3 s, then each action still answers at once: nothing on the request path calls HubSpot', async () => {
    const ticketId = await newTicket();
    await newConversation({ ticketId });
    await stack.hub.setFaults({ apiLatencyMs: 3_000 });
    try {
      const records = [
        await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { duration_minutes: 5 } }),
        await execute({ actionUid: 'resume-ai', objectType: 'TICKET', objectId: ticketId }),
        await execute({ actionUid: 'request-handoff', objectType: 'TICKET', objectId: ticketId }),
        await execute({ actionUid: 'send-to-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { instructions: 'Summarise' } }),
      ];

      expect(records.map((r) => r.state)).toStrictEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'BLOCKED']);
      // One HubSpot call on the request path would take 3 s.
      for (const record of records) expect(record.attempts.map((a) => a.latencyMs < 2_000)).toStrictEqual([true]);
    } finally {
      await stack.hub.clearFaults();
    }
  });
});

describe('connections the actions refuse', () => {
  test('when no organization connected the portal, then it answers NOT_CONNECTED with the rule message', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Stranger Inc' });
    const ticketId = await newTicket(portal.id);

    const record = await execute({ portalId: portal.id, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: '', error_code: 'NOT_CONNECTED' });
    expect(record.executionRule?.labelName).toBe('notConnected');
    expect(record.executionRule?.message).toMatch(/^Switchboard is not connected to this HubSpot account/);
  });

  test('when the organization uses a Private App token, then it answers MIGRATE_TO_OAUTH and changes nothing', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Legacy Ltd' });
    const legacy = await createOrganization(stack.backend, 'Legacy Ltd');
    const pat = await stack.hub.createPrivateAppToken(portal.id, { scopes: ['tickets', 'crm.objects.contacts.read'] });
    await stack.backend.services.connections.setPrivateAppToken({ organizationId: legacy.id, token: pat.token });
    const ticketId = await newTicket(portal.id);
    const { conversation: conv } = await stack.backend.services.conversations.upsertByExternalId(legacy.id, { externalId: 'legacy-chat', ticketId });

    const record = await execute({ portalId: portal.id, actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: '', error_code: 'MIGRATE_TO_OAUTH' });
    expect(record.executionRule?.message).toMatch(/Migrate the connection to OAuth/);
    expect((await stack.backend.services.conversations.getConversation(legacy.id, conv.id)).aiState).toBe('active');
  });

  test('when the connection needs re-authorization, then it answers NEEDS_REAUTH', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Lapsed GmbH' });
    const lapsed = await connectOrganization(stack, portal.id, 'Lapsed GmbH');
    await inTransaction(stack.backend, (trx) => stack.backend.services.connections.markNeedsReauth(trx, lapsed.id, 'test: refresh token revoked'));
    const ticketId = await newTicket(portal.id);

    const record = await execute({ portalId: portal.id, actionUid: 'resume-ai', objectType: 'TICKET', objectId: ticketId });

    expect(record.outputFields).toStrictEqual({ hs_execution_state: 'FAIL_CONTINUE', ai_state: '', conversation_id: '', error_code: 'NEEDS_REAUTH' });
    expect(record.executionRule?.labelName).toBe('needsReauth');
  });
});

describe('invalid inputs', () => {
  const INVALID_INPUT_RULE = { labelName: 'invalidInput', message: 'An input of this action is invalid.' };

  test.each([
    ['pause-ai', { duration_minutes: -5 }],
    ['pause-ai', { duration_minutes: 999_999 }],
    ['send-to-ai', { instructions: '    ' }],
    ['request-handoff', { team: 'no-such-team' }],
  ])('when %s gets %j, then it answers FAIL_CONTINUE INVALID_INPUT and the emulator shows the rule message', async (actionUid, inputFields) => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });

    const record = await execute({ actionUid, objectType: 'TICKET', objectId: ticketId, inputFields });

    expect(record.state).toBe('FAIL_CONTINUE');
    expect(record.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'INVALID_INPUT', conversation_id: '' });
    expect(record.executionRule).toStrictEqual(INVALID_INPUT_RULE);
    expect((await conversation(conversationId)).aiState).toBe('active');
  });
});

describe('idempotency on callbackId', () => {
  test('when HubSpot delivers the same execution again, then the first answer is replayed and the action does not run again', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    const first = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, callbackId: 'cb-retry-1' });
    // The vendor resumes in between: a second run would pause again.
    await api('POST', `/api/v1/conversations/${conversationId}/resume`, {});

    const again = await execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, callbackId: 'cb-retry-1' });

    expect(again.outputFields).toStrictEqual(first.outputFields);
    expect((await conversation(conversationId)).aiState).toBe('active');
    expect((await transitions(conversationId)).map((t) => t.to)).toStrictEqual(['paused', 'active']);
    expect(await executionRows('cb-retry-1')).toHaveLength(1);
  });

  test('when two copies of one execution arrive at the same moment, then it runs once and both get the same answer', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    const run = () => execute({ actionUid: 'send-to-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { instructions: 'Summarise' }, callbackId: 'cb-concurrent-1' });

    const [a, b] = await Promise.all([run(), run()]);

    expect(a.outputFields).toStrictEqual(b.outputFields);
    expect(a.outputFields).toMatchObject({ hs_execution_state: 'BLOCK', conversation_id: conversationId });
    expect((await eventsOfType('record.sent_to_ai')).filter((e) => (e.data as Json).callbackId === 'cb-concurrent-1')).toHaveLength(1);
    expect(stack.backend.logs.records().filter((l) => l.msg === 'workflow action delivered again; stored answer replayed' && l.callbackId === 'cb-concurrent-1').length).toBeGreaterThanOrEqual(1);
    expect(await executionRows('cb-concurrent-1')).toHaveLength(1);
    const callbacks = await stack.backend.tdb.db.selectFrom('workflow_action_callbacks').select('callback_id').where('callback_id', '=', 'cb-concurrent-1').execute();
    expect(callbacks).toHaveLength(1);
  });

  test('when two copies of a pause arrive at the same moment, then one transition is recorded', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    const run = () => execute({ actionUid: 'pause-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { duration_minutes: 30 }, callbackId: 'cb-concurrent-2' });

    const [a, b] = await Promise.all([run(), run()]);

    expect(a.outputFields).toStrictEqual(b.outputFields);
    expect(await transitions(conversationId)).toHaveLength(1);
    const resumes = await stack.backend.tdb.db.selectFrom('workflow_auto_resumes').select('id').where('callback_id', '=', 'cb-concurrent-2').execute();
    expect(resumes).toHaveLength(1);
  });
  test('when ten copies of one Pause AI arrive at the same moment, then one transition, one audit row, one note write-back and one ai.paused event are recorded, and all ten get the same answer', async () => {
    const ticketId = await newTicket();
    const conversationId = await newConversation({ ticketId });
    const body = executionBody(ticketId, { reason: 'Ten at once' });
    const callbackId = JSON.parse(body).callbackId as string;
    const send = () => post(actionUrl('pause-ai'), body, signedHeaders({ method: 'POST', url: actionUrl('pause-ai'), body, clientSecret: stack.emulator.app.clientSecret, timestamp: Date.now(), versions: ['v2', 'v3'] }));

    const answers = await Promise.all(Array.from({ length: 10 }, send));

    expect(answers.map((a) => a.status)).toStrictEqual(Array(10).fill(200));
    for (const a of answers) expect(a.body).toStrictEqual(answers[0]!.body);
    expect(answers[0]!.body.outputFields).toStrictEqual({ hs_execution_state: 'SUCCESS', ai_state: 'paused', conversation_id: conversationId, error_code: '' });
    expect((await transitions(conversationId)).map((t) => t.to)).toStrictEqual(['paused']);
    expect((await eventsOfType('ai.paused')).filter((e) => (e.data as Json).conversationId === conversationId)).toHaveLength(1);
    expect(await executionRows(callbackId)).toHaveLength(1);
    const writebacks = await stack.backend.tdb.db.selectFrom('note_writebacks').select('id').where('conversation_id', '=', conversationId).execute();
    expect(writebacks).toHaveLength(1);
  });
});

describe('POST /hubspot/actions/options/:field and /api/v1/handoff-teams', () => {
  const teams = Array.from({ length: 25 }, (_, i) => ({ id: `team-${String(i + 1).padStart(2, '0')}`, name: i === 24 ? 'Escalations (VIP)' : `Support team ${i + 1}` }));
  const options = (fetchOptions?: { q?: string; after?: string }, portalId = DEMO_PORTAL_ID) =>
    stack.hub.request<OptionsResult>('POST', '/_emulator/workflows/options', { portalId, actionUid: 'request-handoff', inputFieldName: 'team', ...(fetchOptions ? { fetchOptions } : {}) });

  beforeAll(async () => {
    const res = await api('PUT', '/api/v1/handoff-teams', { teams });
    expect(res.status).toBe(200);
  });

  test('when the options request is unsigned, then it answers 401 signature_invalid', async () => {
    const res = await post(`${stack.backendUrl}/hubspot/actions/options/team`, JSON.stringify({ origin: { portalId: DEMO_PORTAL_ID }, inputFieldName: 'team' }), {});

    expect(res).toStrictEqual({ status: 401, body: SIGNATURE_INVALID });
  });

  test('when the field has no options, then it answers 404', async () => {
    const res = await post(`${stack.backendUrl}/hubspot/actions/options/priority`, '{}', {});

    expect(res).toStrictEqual({ status: 404, body: { error: { code: 'not_found', message: 'No options for this field' } } });
  });

  test('when the workflow editor opens the team dropdown, then it gets 20 teams, a cursor, and the rest with the cursor', async () => {
    const first = await options();
    const firstBody = first.body as { options: { label: string; value: string }[]; after?: string; searchable: boolean };

    expect(first.status).toBe(200);
    expect(firstBody.options).toHaveLength(20);
    expect(firstBody.options[0]).toStrictEqual({ label: 'Support team 1', value: 'team-01' });
    expect(firstBody.searchable).toBe(true);
    expect(typeof firstBody.after).toBe('string');

    const second = (await options({ after: firstBody.after })).body as { options: { value: string }[]; after?: string };

    expect(second.options.map((o) => o.value)).toStrictEqual(['team-21', 'team-22', 'team-23', 'team-24', 'team-25']);
    expect(second.after).toBeUndefined();
  });

  test('when the editor searches, then only matching teams come back, case-insensitively and with wildcards taken literally', async () => {
    expect((await options({ q: 'vip' })).body).toStrictEqual({ options: [{ label: 'Escalations (VIP)', value: 'team-25' }], searchable: true });
    expect((await options({ q: '%' })).body).toStrictEqual({ options: [], searchable: true });
  });

  test('when a portal no organization connected opens the dropdown, then it gets no options', async () => {
    const { portal } = await stack.hub.createPortal({ name: 'Nobody Corp' });

    expect((await options(undefined, portal.id)).body).toStrictEqual({ options: [], searchable: true });
  });

  test('when the vendor reads its teams, then they come back in order, and another organization sees none of them', async () => {
    const other = await createOrganization(stack.backend, 'Other Org');

    expect((await api('GET', '/api/v1/handoff-teams')).body).toStrictEqual({ teams });
    expect(await api('GET', '/api/v1/handoff-teams', undefined, other.auth)).toStrictEqual({ status: 200, body: { teams: [] } });
  });

  test('when the team list repeats an id, then it answers 400 invalid_body and keeps the old list', async () => {
    const res = await api('PUT', '/api/v1/handoff-teams', { teams: [{ id: 'a', name: 'A' }, { id: 'a', name: 'A again' }] });

    expect(res).toStrictEqual({
      status: 400,
      body: { error: { code: 'invalid_body', message: 'Request body is invalid', details: [{ path: 'teams.1.id', message: 'Duplicate team id "a"' }] } },
    });
    expect(((await api('GET', '/api/v1/handoff-teams')).body.teams as unknown[]).length).toBe(25);
  });

  test('when the API key is missing, then the teams API answers 401', async () => {
    expect((await api('GET', '/api/v1/handoff-teams', undefined, '')).status).toBe(401);
  });
});
