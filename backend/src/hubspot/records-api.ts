import { z } from 'zod';
import { expectOk, type HubSpotClient } from './hubspot-client.js';
import type { HubSpotLane } from './http.js';
import { objectCreateModel } from './models/requests.js';
import { HUBSPOT_PATHS } from './paths.js';

/**
 * Typed calls on CRM records and inbox threads for an organization: the only code that knows these
 * HubSpot paths and payloads. Answers are parsed here (unknown fields are ignored); a non-2xx
 * becomes the house error through `expectOk`.
 */

// HubSpot-defined association types of a note (https://developers.hubspot.com/docs/api-reference/2026-03/crm/associations/associations-v4/guide).
const NOTE_TO_TICKET = 228;
const NOTE_TO_CONTACT = 202;

// Only the fields we read from HubSpot's answers.
const ticketSchema = z.object({ properties: z.object({ hubspot_owner_id: z.string().nullable().optional() }) });
const threadSchema = z.object({ status: z.string(), assignedTo: z.union([z.string(), z.number()]).nullable().optional() });
const messageSchema = z.object({
  createdBy: z.string().optional(),
  senders: z.array(z.object({ actorId: z.string() })).optional(),
  client: z.object({ clientType: z.string() }).optional(),
});
const createdSchema = z.object({ id: z.string() });

/** A note to attach to a ticket and/or a contact. */
export interface NoteInput {
  /** `hs_timestamp`: where the note sits on the record timeline. */
  timestamp: Date;
  /** `hs_note_body` (HTML). */
  body: string;
  ticketId: number | null;
  contactId: number | null;
}

/** What we read of a thread. */
export interface ThreadFacts {
  status: string;
  /** The assigned user's id without the `A-` actor prefix, or '' when unassigned. */
  assigneeUserId: string;
}

/** What we read of a message. */
export interface MessageFacts {
  /** `INTEGRATION` for messages an app posted. */
  clientType: string | undefined;
  /** The sending actor (`A-<userId>` for an agent), first sender or creator. */
  senderActorId: string | undefined;
}

/** CRM records and inbox threads of an organization's portal. */
export interface HubSpotRecordsApi {
  /**
   * `GET /crm/objects/2026-03/tickets/{ticketId}?properties=hubspot_owner_id`.
   * @returns the owner id, or '' when the ticket has none
   * @throws AppError hubspot_unavailable | hubspot_upstream_error | install_not_found | reinstall_required
   */
  readTicketOwner(organizationId: string, ticketId: number, lane?: HubSpotLane): Promise<string>;
  /**
   * `POST /crm/objects/2026-03/notes` with its associations.
   * @returns HubSpot's id of the new note (null if the answer lacks it)
   * @throws AppError as readTicketOwner
   * @throws Error when neither a ticket nor a contact is given (the reference requires an association)
   */
  createNote(organizationId: string, note: NoteInput, lane?: HubSpotLane): Promise<{ id: string | null }>;
  /** `GET /conversations/v3/conversations/threads/{threadId}`. @throws AppError as readTicketOwner */
  readThread(organizationId: string, threadId: number, lane?: HubSpotLane): Promise<ThreadFacts>;
  /** `GET /conversations/v3/conversations/threads/{threadId}/messages/{messageId}`. @throws AppError as readTicketOwner */
  readThreadMessage(organizationId: string, threadId: number, messageId: string, lane?: HubSpotLane): Promise<MessageFacts>;
}

/** Builds the records API over the organization-scoped client. */
export function createHubSpotRecordsApi(deps: { client: Pick<HubSpotClient, 'request'> }): HubSpotRecordsApi {
  const { client } = deps;
  return Object.freeze({
    async readTicketOwner(organizationId: string, ticketId: number, lane: HubSpotLane = 'bulk') {
      const res = expectOk(await client.request(organizationId, { method: 'GET', path: HUBSPOT_PATHS.ticket(ticketId), query: { properties: 'hubspot_owner_id' }, lane }), 'read ticket owner');
      return ticketSchema.parse(res.body).properties.hubspot_owner_id ?? '';
    },

    async createNote(organizationId: string, note: NoteInput, lane: HubSpotLane = 'bulk') {
      const association = (id: number, typeId: number) => ({ to: { id: String(id) }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as const, associationTypeId: typeId }] });
      const associations = [
        ...(note.ticketId !== null ? [association(note.ticketId, NOTE_TO_TICKET)] : []),
        ...(note.contactId !== null ? [association(note.contactId, NOTE_TO_CONTACT)] : []),
      ];
      if (associations.length === 0) throw new Error('a note needs a ticket or a contact to hang off');
      const body = objectCreateModel.parse({ properties: { hs_timestamp: note.timestamp.toISOString(), hs_note_body: note.body }, associations });
      const res = expectOk(await client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.notes, body, lane }), 'create note');
      const created = createdSchema.safeParse(res.body);
      return { id: created.success ? created.data.id : null };
    },

    async readThread(organizationId: string, threadId: number, lane: HubSpotLane = 'bulk') {
      const res = expectOk(await client.request(organizationId, { method: 'GET', path: HUBSPOT_PATHS.thread(threadId), lane }), 'read thread');
      const thread = threadSchema.parse(res.body);
      // The thread API gives the assignee as an actor id (`A-<userId>`); webhooks give the bare user id.
      const assigneeUserId = thread.assignedTo === null || thread.assignedTo === undefined ? '' : String(thread.assignedTo).replace(/^A-/, '');
      return { status: thread.status, assigneeUserId };
    },

    async readThreadMessage(organizationId: string, threadId: number, messageId: string, lane: HubSpotLane = 'bulk') {
      const res = expectOk(await client.request(organizationId, { method: 'GET', path: HUBSPOT_PATHS.threadMessage(threadId, messageId), lane }), 'read message');
      const message = messageSchema.parse(res.body);
      return { clientType: message.client?.clientType, senderActorId: message.senders?.[0]?.actorId ?? message.createdBy };
    },
  });
}
