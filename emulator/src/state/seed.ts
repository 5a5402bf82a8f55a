// The demo portal every instance starts with (and returns to on reset), so the consent page has an
// account to pick and the backend has records to read. Ids come from the fixed sequences, so they are
// the same in every instance; `seedIds` names them for tests.
import { associate, createObject } from './crm-objects.js';
import { assignThread, createThread } from './conversations.js';
import { createPortal, createUser } from './portals.js';
import type { StateContext } from './store.js';

/** The ids of the seeded demo data. */
export const seedIds = Object.freeze({
  portalId: 62515,
  superAdminUserId: 1_000_001,
  agentUserId: 1_000_002,
  superAdminOwnerId: 51_000_001,
  agentOwnerId: 51_000_002,
  contactIds: Object.freeze([101, 102, 103]),
  ticketIds: Object.freeze([1001, 1002, 1003]),
  threadIds: Object.freeze([7_400_000_001, 7_400_000_002]),
});

/** Fills an empty state with the demo portal. Publishes nothing: it is the starting point, not a change. */
export function seedDemoPortal(ctx: StateContext): void {
  const origin = { changeSource: 'CRM_UI' };
  const { portal } = createPortal(ctx, {
    id: seedIds.portalId,
    name: 'Switchboard Demo',
    domain: 'switchboard-demo.example.com',
    superAdmin: { email: 'ada.admin@switchboard-demo.example.com', firstName: 'Ada', lastName: 'Admin' },
  });
  createUser(ctx, portal.id, { email: 'sam.agent@switchboard-demo.example.com', firstName: 'Sam', lastName: 'Agent' });
  const contacts = [
    { email: 'jane.doe@example.com', firstname: 'Jane', lastname: 'Doe' },
    { email: 'john.roe@example.com', firstname: 'John', lastname: 'Roe' },
    { email: 'maria.garcia@example.com', firstname: 'Maria', lastname: 'Garcia' },
  ].map((properties) => createObject(ctx, portal.id, 'contacts', { properties }, origin));
  const ticketProperties: Record<string, string>[] = [
    { subject: 'Printer is on fire', content: 'Smoke everywhere.', hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH', hubspot_owner_id: String(seedIds.agentOwnerId) },
    { subject: 'Cannot log in', content: 'Password reset email never arrives.', hs_pipeline_stage: '2', hs_ticket_priority: 'MEDIUM' },
    { subject: 'Refund request', content: 'Charged twice in March.', hs_pipeline_stage: '4', hs_ticket_priority: 'LOW' },
  ];
  const tickets = ticketProperties.map((properties) => createObject(ctx, portal.id, 'tickets', { properties }, origin));
  tickets.forEach((ticket, i) => {
    const contact = contacts[i];
    if (contact) associate(ctx, portal.id, 'tickets', ticket.id, 'contacts', contact.id, 16);
  });
  createThread(ctx, portal.id, {
    associatedContactId: contacts[0]?.id ?? null,
    associatedTicketId: tickets[0]?.id ?? null,
    firstMessage: { text: 'Hi, my printer is on fire. Can you help?', subject: 'Printer' },
  }, origin);
  const chat = createThread(ctx, portal.id, {
    channelId: '1000',
    channelAccountId: '240984',
    associatedContactId: contacts[1]?.id ?? null,
    firstMessage: { text: 'Hello, I cannot log in.' },
  }, origin);
  assignThread(ctx, portal.id, chat.id, seedIds.agentUserId, origin);
}
