// The outbox after a message failed for good: once the send job used its last retry, the oldest pending
// message is marked failed and the messages queued behind it get a new send job at once; they do not
// wait for the conversation's next publish. Workers are off, so the test decides when the job's retries
// ran out and runs the queued job's body itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import { AppError } from '../../platform/errors.js';

const DEVELOPER_KEY = 'devkey-helpdesk-exhausted-0123456789';

let stack: HubSpotStack;
let org: ConnectedOrganization;
beforeAll(async () => {
  stack = await startHubSpotStack({ workers: false, emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
  org = await connectOrganization(stack);
  await stack.backend.services.helpdesk.registerChannel({});
  await stack.backend.services.helpdesk.connectInbox(org.id, { inboxId: (await stack.backend.services.helpdesk.listInboxes(org.id))[0]!.id });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const queuedSends = async (conversationId: string) =>
  (await sql<{ state: string }>`select state from pgboss.job where name = 'helpdesk-send-messages' and data->>'conversationId' = ${conversationId}`.execute(stack.backend.tdb.db)).rows.map((r) => r.state);

describe('help-desk outbox after a message failed for good', () => {
  it('when the send job gave up, then the oldest message fails and the ones behind it are sent by a new job, without another publish', async () => {
    const api = () => request(stack.backend.app);
    const conversation = (await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'exhausted-1' })).body as { id: string };
    for (const text of ['first', 'second', 'third']) {
      await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text, customer: { email: 'sam@example.com' } }).expect(202);
    }
    // The job's last retry ended (HubSpot was away the whole time): no send job is left.
    await sql`delete from pgboss.job where name = 'helpdesk-send-messages' and data->>'conversationId' = ${conversation.id}`.execute(stack.backend.tdb.db);
    await stack.backend.services.helpdesk.onSendExhausted(conversation.id, new AppError('hubspot_unavailable', 'HubSpot answered 503'));

    const afterGiveUp = (await api().get(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth)).body as { messages: { text: string; status: string; lastError: string | null }[] };
    expect(afterGiveUp.messages.map((m) => [m.text, m.status])).toStrictEqual([['first', 'failed'], ['second', 'pending'], ['third', 'pending']]);
    expect(afterGiveUp.messages[0]!.lastError).toBe('HubSpot answered 503');
    expect(await queuedSends(conversation.id)).toStrictEqual(['created']);

    // What that new job runs: the rest reaches HubSpot, in order.
    await stack.backend.services.helpdesk.sendPending(conversation.id);
    const done = (await api().get(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth)).body as { threadId: string; messages: { text: string; status: string }[] };
    expect(done.messages.map((m) => [m.text, m.status])).toStrictEqual([['first', 'failed'], ['second', 'sent'], ['third', 'sent']]);
    const thread = (await stack.hub.inboxThreads(org.portalId)).find((t) => t.id === Number(done.threadId))!;
    expect(thread.messages.map((m) => m.text)).toStrictEqual(['second', 'third']);
    expect((await stack.backend.services.helpdesk.getStatus(org.id)).failedMessages).toBe(1);
  });

  it('when the message that gave up was the last one, then no job is queued', async () => {
    const api = () => request(stack.backend.app);
    const conversation = (await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: 'exhausted-2' })).body as { id: string };
    await api().post(`/api/v1/conversations/${conversation.id}/messages`).set('authorization', org.auth).send({ author: 'customer', text: 'only', customer: { email: 'kim@example.com' } }).expect(202);
    await sql`delete from pgboss.job where name = 'helpdesk-send-messages' and data->>'conversationId' = ${conversation.id}`.execute(stack.backend.tdb.db);
    await stack.backend.services.helpdesk.onSendExhausted(conversation.id, new AppError('hubspot_unavailable', 'HubSpot answered 503'));
    expect(await queuedSends(conversation.id)).toStrictEqual([]);
  });
});
