// The vendor creates a conversation, or updates its HubSpot links and contact, by its own id.
import type { ConversationsDeps } from './conversations.ports.js';
import { conversationsRepository as repo, type Conversation, type ConversationFields } from './conversations.repository.js';

/**
 * Creates or updates the conversation with this external id (only the given fields change).
 * @returns the conversation and whether it was created
 */
export async function upsertByExternalId(
  deps: Pick<ConversationsDeps, 'db' | 'log'>,
  organizationId: string,
  input: { externalId: string } & ConversationFields,
): Promise<{ conversation: Conversation; created: boolean }> {
  const { externalId, ...fields } = input;
  const result = await repo.upsertConversation(deps.db, organizationId, externalId, fields);
  if (result.created) deps.log.debug({ organizationId, conversationId: result.conversation.id }, 'conversation created');
  return result;
}
