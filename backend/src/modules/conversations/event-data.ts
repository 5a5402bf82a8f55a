// The fields every vendor event about a conversation opens with. HubSpot ids travel as strings.
import type { Conversation } from './conversations.repository.js';

const idString = (value: number | null) => (value === null ? null : String(value));

/** The conversation's ids as vendor events carry them: ours, the vendor's, and HubSpot's (as strings). */
export function conversationEventData(c: Conversation): { conversationId: string; externalId: string; ticketId: string | null; contactId: string | null; threadId: string | null } {
  return { conversationId: c.id, externalId: c.externalId, ticketId: idString(c.ticketId), contactId: idString(c.contactId), threadId: idString(c.threadId) };
}
