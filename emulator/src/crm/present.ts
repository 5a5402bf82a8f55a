// Turns records into HubSpot's JSON shapes (SimplePublicObject, PublicOwner, PublicThread, messages):
// string ids, ISO timestamps; null for a requested property the portal defines but the record has no
// value for, and nothing at all for a requested property the portal does not define, as HubSpot does. `@hubspot/api-client` parses
// these with its generated models, so field names and types must match exactly.
import { associatedIds, associationTypes, type CrmObject, type EmulatorState, type Message, type ObjectType, type Owner, type Thread } from '../state.js';

/** Properties HubSpot returns when the request names none. */
export const defaultProperties: Record<ObjectType, string[]> = {
  tickets: ['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject'],
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

// Always returned, even when the request names other properties.
const alwaysReturned: Record<ObjectType, string[]> = {
  tickets: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

// Properties a new HubSpot portal defines that Switchboard and its tests use, besides the defaults.
// Any property a record has been given also counts as defined (the emulator accepts free-text names).
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-13
const definedProperties: Record<ObjectType, Set<string>> = {
  tickets: new Set([...defaultProperties.tickets, 'hubspot_owner_id', 'hs_ticket_id', 'closed_date', 'source_type', 'hs_all_associated_contact_emails']),
  contacts: new Set([...defaultProperties.contacts, 'hubspot_owner_id', 'phone', 'company', 'lifecyclestage', 'hs_language']),
  notes: new Set([...defaultProperties.notes, 'hubspot_owner_id', 'hs_note_body', 'hs_timestamp', 'hs_attachment_ids']),
};

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Presents a CRM record as a SimplePublicObject.
 * @param requested property names asked for (empty: the defaults)
 * @param associations object types whose associations to include (`associations=` query)
 */
export function presentObject(state: EmulatorState, object: CrmObject, requested: string[] = [], associations: ObjectType[] = []): Record<string, unknown> {
  const names = requested.length > 0 ? [...new Set([...requested, ...alwaysReturned[object.type]])] : defaultProperties[object.type];
  const defined = (n: string) => object.properties[n] !== undefined || definedProperties[object.type].has(n);
  const properties = Object.fromEntries(names.filter(defined).map((n) => [n, object.properties[n] ?? null]));
  const out: Record<string, unknown> = {
    id: String(object.id),
    properties,
    createdAt: iso(object.createdAt),
    updatedAt: iso(object.updatedAt),
    archived: object.archived,
  };
  if (object.archivedAt !== null) out.archivedAt = iso(object.archivedAt);
  const groups = associations
    .map((toType) => {
      const results = associatedIds(state.ctx, object.portalId, object.type, object.id, toType).map((a) => ({
        id: String(a.id),
        type: associationTypes[a.typeId]?.label ?? String(a.typeId),
      }));
      return [toType, { results }] as const;
    })
    .filter(([, group]) => group.results.length > 0);
  if (groups.length > 0) out.associations = Object.fromEntries(groups);
  return out;
}

/** Presents an owner as a PublicOwner. */
export function presentOwner(owner: Owner): Record<string, unknown> {
  return {
    id: String(owner.id),
    email: owner.email,
    type: owner.type,
    firstName: owner.firstName,
    lastName: owner.lastName,
    ...(owner.userId !== null ? { userId: owner.userId, userIdIncludingInactive: owner.userId } : {}),
    createdAt: iso(owner.createdAt),
    updatedAt: iso(owner.updatedAt),
    archived: owner.archived,
    teams: [],
  };
}

/** Presents a thread as a PublicThread; `assignedTo` is an agent actor id (`A-<userId>`). */
export function presentThread(thread: Thread, messages: Message[]): Record<string, unknown> {
  const latest = (direction?: Message['direction']) =>
    messages.filter((m) => m.type !== 'COMMENT' && (direction === undefined || m.direction === direction)).at(-1)?.createdAt;
  const out: Record<string, unknown> = {
    id: String(thread.id),
    createdAt: iso(thread.createdAt),
    status: thread.status,
    originalChannelId: thread.originalChannelId,
    originalChannelAccountId: thread.originalChannelAccountId,
    inboxId: thread.inboxId,
    spam: false,
    archived: thread.archived,
  };
  if (thread.closedAt !== null) out.closedAt = iso(thread.closedAt);
  if (thread.assignedTo !== null) out.assignedTo = `A-${thread.assignedTo}`;
  if (thread.associatedContactId !== null) out.associatedContactId = String(thread.associatedContactId);
  const latestAny = latest();
  if (latestAny !== undefined) out.latestMessageTimestamp = iso(latestAny);
  const sent = latest('OUTGOING');
  if (sent !== undefined) out.latestMessageSentTimestamp = iso(sent);
  const received = latest('INCOMING');
  if (received !== undefined) out.latestMessageReceivedTimestamp = iso(received);
  if (thread.associatedTicketId !== null) out.threadAssociations = { associatedTicketId: String(thread.associatedTicketId) };
  return out;
}

/** Presents a message (`MESSAGE`) or an internal comment (`COMMENT`). */
export function presentMessage(message: Message): Record<string, unknown> {
  const client = message.integrationAppId !== null ? { clientType: 'INTEGRATION', integrationAppId: message.integrationAppId } : { clientType: 'HUBSPOT' };
  const base: Record<string, unknown> = {
    type: message.type,
    id: message.id,
    conversationsThreadId: String(message.threadId),
    createdAt: iso(message.createdAt),
    updatedAt: iso(message.createdAt),
    createdBy: message.senderActorId,
    client,
    text: message.text,
    richText: message.richText,
    attachments: [],
    archived: false,
  };
  if (message.type === 'COMMENT') return base;
  return {
    ...base,
    senders: [{ actorId: message.senderActorId, senderField: 'FROM' }],
    recipients: message.recipients,
    ...(message.subject !== null ? { subject: message.subject } : {}),
    truncationStatus: 'NOT_TRUNCATED',
    status: { statusType: message.direction === 'INCOMING' ? 'RECEIVED' : 'SENT' },
    direction: message.direction,
    channelId: message.channelId,
    channelAccountId: message.channelAccountId,
  };
}

/**
 * Slices a list into a HubSpot page with an offset cursor.
 * @returns `{ results, paging? }` where `paging.next.after` is the next offset
 */
export function page<T>(items: T[], after: number, limit: number): { results: T[]; paging?: { next: { after: string } } } {
  const results = items.slice(after, after + limit);
  return after + limit < items.length ? { results, paging: { next: { after: String(after + limit) } } } : { results };
}
