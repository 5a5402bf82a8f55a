// Reading conversations and their audit trail. Another organization's conversation reads as not found.
import { AppError } from '../../platform/errors.js';
import type { ConversationsDeps } from './conversations.ports.js';
import { conversationsRepository as repo, type Conversation } from './conversations.repository.js';
import { noteWritebacksRepository as writebacks, type NoteWriteback } from './note-writebacks.repository.js';
import { transitionsRepository as transitions, type Transition } from './transitions.repository.js';

/** The error for a conversation that does not exist in the organization. */
export function conversationNotFound(): AppError {
  return new AppError('not_found', 'Conversation not found');
}

/**
 * One conversation of the organization.
 * @throws AppError not_found
 */
export async function getConversation(deps: Pick<ConversationsDeps, 'db'>, organizationId: string, conversationId: string): Promise<Conversation> {
  const conversation = await repo.findConversationById(deps.db, organizationId, conversationId);
  if (!conversation) throw conversationNotFound();
  return conversation;
}

/**
 * The conversation's audit trail with its note write-backs, both oldest first.
 * @throws AppError not_found
 */
export async function getHistory(deps: Pick<ConversationsDeps, 'db'>, organizationId: string, conversationId: string): Promise<{ transitions: Transition[]; writebacks: NoteWriteback[] }> {
  const conversation = await getConversation(deps, organizationId, conversationId);
  const [trail, notes] = await Promise.all([transitions.findTransitions(deps.db, conversation.id), writebacks.findWritebacks(deps.db, conversation.id)]);
  return { transitions: trail, writebacks: notes };
}

/** The latest transition of each given conversation (ids of other organizations are ignored), by conversation id. */
export async function lastTransitions(deps: Pick<ConversationsDeps, 'db'>, organizationId: string, conversationIds: readonly string[]): Promise<Map<string, Transition>> {
  const latest = await transitions.findLastTransitions(deps.db, organizationId, conversationIds);
  return new Map(latest.map((t) => [t.conversationId, t]));
}
