// contact.privacyDeletion (GDPR): every piece of the contact's personal data leaves every table.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import request from 'supertest';
import { expectEventually } from '../../../../test/support/expect-eventually.js';
import { connectOrganization, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';

const P = 62515;

describe('contact.privacyDeletion', () => {
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  beforeAll(async () => {
    stack = await startHubSpotStack();
    org = await connectOrganization(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** Rows (as text) of every table in our schema and pg-boss's that contain `needle`. */
  async function tablesContaining(needle: string): Promise<string[]> {
    const db = stack.backend.tdb.db;
    const tables = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`.execute(db);
    const hits: string[] = [];
    for (const t of tables.rows) {
      const ref = sql.raw(`"${t.schema}"."${t.name}"`);
      const found = await sql<{ n: number }>`select count(*)::int as n from ${ref} t where t::text ilike ${`%${needle}%`}`.execute(db);
      if ((found.rows[0]?.n ?? 0) > 0) hits.push(`${t.schema}.${t.name}`);
    }
    return hits;
  }

  it('when HubSpot privacy-deletes a contact, then its name, email, links and free text are gone from every table, and the erasure is recorded', async () => {
    const tag = crypto.randomBytes(4).toString('hex');
    const email = `zelda.${tag}@example.com`;
    const name = `Zelda Quixote${tag}`;
    const contact = await stack.hub.createContact(P, { properties: { email, firstname: 'Zelda', lastname: `Quixote${tag}` } });
    const ticket = await stack.hub.createTicket(P, { properties: { subject: 'Refund', hs_pipeline_stage: '1' }, associatedIds: [contact.id] });
    const api = () => request(stack.backend.app);

    const a = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `a-${tag}`, contactId: contact.id, ticketId: ticket.id, contactName: name, contactEmail: email });
    const b = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `b-${tag}`, contactId: String(contact.id), contactEmail: email });
    const other = await api().post('/api/v1/conversations').set('authorization', org.auth).send({ externalId: `c-${tag}`, contactId: 103, contactName: 'Maria Garcia' });
    expect([a.status, b.status, other.status]).toStrictEqual([201, 201, 201]);
    await api().post(`/api/v1/conversations/${a.body.id}/handoff`).set('authorization', org.auth).send({ reason: `${name} <${email}> wants a human` });
    await stack.backend.services.conversations.pause(org.id, b.body.id, { source: 'workflow', actor: 'workflow:9', reason: `VIP: ${email}` });
    await expectEventually(async () => {
      const rows = await stack.backend.tdb.db.selectFrom('note_writebacks').select('status').where('conversation_id', 'in', [a.body.id, b.body.id]).execute();
      expect(rows.map((r) => r.status)).toStrictEqual(['done', 'done']);
    });
    // A Send to AI event copies record properties and free text into the outbox (regression: these
    // stayed after an erasure when only the contactId key was scrubbed).
    await stack.backend.tdb.db.transaction().execute((trx) =>
      stack.backend.services.events.record(trx, {
        organizationId: org.id,
        type: 'record.sent_to_ai',
        data: {
          conversationId: b.body.id,
          aiState: 'paused',
          callbackId: 'cb-privacy-1',
          workflowId: '9',
          instructions: `Help ${name} today`,
          priority: 'normal',
          contactId: String(contact.id),
          record: { objectType: 'contact', objectId: String(contact.id), properties: { email, firstname: 'Zelda' } },
          respondBy: new Date(Date.now() + 3_600_000).toISOString(),
        },
      }),
    );
    // Before: the data is there (so the checks below are not vacuous).
    expect(await tablesContaining(email)).toEqual(expect.arrayContaining(['public.conversations', 'public.conversation_transitions', 'public.events']));
    expect(await tablesContaining(name)).toEqual(expect.arrayContaining(['public.conversations']));

    await stack.hub.privacyDeleteContact(P, contact.id);

    await expectEventually(async () => {
      const erasures = await stack.backend.tdb.db.selectFrom('privacy_erasures').selectAll().where('contact_id', '=', contact.id).execute();
      expect(erasures.map((e) => [e.organization_id, e.portal_id, e.conversations_unlinked])).toStrictEqual([[org.id, P, 2]]);
    });
    expect(await tablesContaining(email)).toStrictEqual([]);
    expect(await tablesContaining(name)).toStrictEqual([]);
    expect(await tablesContaining(`"contactId": "${contact.id}"`)).toStrictEqual([]);
    const conversations = await stack.backend.tdb.db.selectFrom('conversations').selectAll().where('id', 'in', [a.body.id, b.body.id]).orderBy('external_id').execute();
    expect(conversations.map((c) => [c.contact_id, c.contact_name, c.contact_email, c.ticket_id])).toStrictEqual([
      [null, null, null, ticket.id],
      [null, null, null, null],
    ]);
    const writebacks = await stack.backend.tdb.db.selectFrom('note_writebacks').select('contact_id').where('contact_id', '=', contact.id).execute();
    expect(writebacks).toStrictEqual([]);
    // Someone else's data is untouched.
    const untouched = await api().get(`/api/v1/conversations/${other.body.id}`).set('authorization', org.auth);
    expect(untouched.body).toMatchObject({ contactId: '103', contactName: 'Maria Garcia' });
    // The vendor is told, with what it needs to erase its own copy and nothing more.
    const feed = await api().get('/api/v1/events?limit=500').set('authorization', org.auth);
    const erased = (feed.body.events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === 'contact.erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]?.data).toStrictEqual({
      portalId: String(P),
      hubspotContactId: String(contact.id),
      conversations: expect.arrayContaining([
        { conversationId: a.body.id, externalId: `a-${tag}` },
        { conversationId: b.body.id, externalId: `b-${tag}` },
      ]),
    });
    // Nor did it ever reach the logs.
    expect(stack.backend.logs.text()).not.toContain(email);
  });
});
