// Handoff follows the help-desk thread: assigning it to a HubSpot user pauses the AI (source
// `hubspot-thread-assignee`); unassigning it lets the AI resume when the organization follows
// HubSpot's assignments (the `pauseOnOwnerChange` setting) and the pause came from an assignment.
// Closing the thread closes the conversation through the generic status handler. Handing the thread
// back to the channel's own actor (the integration) or to a bot counts as unassigning it.
import { AppError } from '../../platform/errors.js';
import type { HelpdeskDeps, Trx } from './helpdesk.ports.js';
import { helpdeskRepository as repo } from './helpdesk.repository.js';

/**
 * The HubSpot user an `assignedTo` value names, or null when no person holds the thread: empty, or an
 * actor that is not an agent (`I-<appId>` our channel's integration, `B-…` a bot, `S-hubspot` the system).
 * Actor ids: https://developers.hubspot.com/docs/guides/api/conversations/inbox-and-messages
 * Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-205
 */
export function humanAssignee(value: string): string | null {
  const v = value.trim();
  if (/^\d+$/.test(v)) return v;
  return /^A-(\d+)$/.exec(v)?.[1] ?? null;
}

type Result = Awaited<ReturnType<HelpdeskDeps['conversations']['transitionInTransaction']>>;

/**
 * Reacts to an assignee change of a thread, inside the webhook's transaction.
 * @returns undefined when the thread is not a help-desk thread
 */
export async function onThreadAssigneeChanged(
  deps: HelpdeskDeps,
  trx: Trx,
  organizationId: string,
  change: { threadId: number; userId: string; occurredAt: Date },
): Promise<{ outcome: string; transitions: Result[] } | undefined> {
  const conversationId = await repo.findConversationByThread(trx, organizationId, String(change.threadId));
  if (!conversationId) return undefined;
  if (!(await deps.settings.getSettings(organizationId, trx)).pauseOnOwnerChange) return { outcome: 'help-desk thread: following assignments is off', transitions: [] };
  const userId = humanAssignee(change.userId);
  const assigned = userId !== null;
  const toBot = !assigned && change.userId.trim() !== '';
  const cause = {
    source: 'hubspot-thread-assignee' as const,
    actor: assigned ? `hubspot-user:${userId}` : 'hubspot-thread-assignee',
    reason: assigned ? 'The help-desk thread was assigned to a HubSpot user' : toBot ? 'The help-desk thread was handed back to the channel or a bot' : 'The help-desk thread was unassigned',
    occurredAt: change.occurredAt,
    details: { hubspotUserId: userId, threadId: String(change.threadId), ...(toBot ? { assignedTo: change.userId } : {}) },
  };
  if (!assigned) {
    const last = (await deps.conversations.lastTransitions(organizationId, [conversationId])).get(conversationId);
    // Only a pause an assignment made is undone (this rule's, or the generic one's when the thread's
    // creation was handled after the assignment); a pause asked for by the vendor or a workflow stays.
    if (!last || last.toState !== 'paused' || (last.source !== 'hubspot-thread-assignee' && last.source !== 'assignment')) return { outcome: 'help-desk thread unassigned: nothing to resume', transitions: [] };
    const resumed = await deps.conversations.transitionInTransaction(trx, organizationId, conversationId, 'resume', cause);
    return { outcome: resumed.changed ? 'help-desk thread unassigned: AI resumed' : 'help-desk thread unassigned', transitions: resumed.changed ? [resumed] : [] };
  }
  try {
    const paused = await deps.conversations.transitionInTransaction(trx, organizationId, conversationId, 'pause', cause);
    return { outcome: paused.changed ? 'help-desk thread assigned: AI paused' : 'help-desk thread assigned: already paused', transitions: paused.changed ? [paused] : [] };
  } catch (error) {
    // A pending handoff: humans are already asked, which is what the assignment answers.
    if (error instanceof AppError && error.code === 'invalid_transition') return { outcome: 'help-desk thread assigned: a handoff is pending', transitions: [] };
    throw error;
  }
}
