// A handoff request reaches the help-desk thread: agents working in HubSpot's help desk see, on the
// conversation's own thread, that the AI asks a person to take over, why, and which team it asks.
// HubSpot threads cannot be assigned to a team (the assignee endpoint takes one agent actor), so
// the thread is not moved: an internal comment carries the request.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-207
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { HandoffCommentPayload } from './helpdesk.jobs.js';
import type { HelpdeskUseCaseDeps, Trx } from './helpdesk.ports.js';
import { helpdeskRepository as repo } from './helpdesk.repository.js';

/** The scope HubSpot asks for to post on a thread (not one of the help desk's own scopes). */
export const COMMENT_SCOPE = 'conversations.write';

const teamSchema = z.object({ id: z.string(), name: z.string() });

const SOURCE_TEXT: Record<string, string> = {
  workflow: 'a HubSpot workflow',
  card: 'a HubSpot user on the conversation card',
  api: 'the AI',
};

/** The comment's text: what was asked, by whom, why, and which team. */
export function handoffCommentText(productName: string, t: { source: string; actor: string | null; reason: string | null; details: Record<string, unknown> | null }): string {
  const team = teamSchema.safeParse(t.details?.team);
  const by = SOURCE_TEXT[t.source] ?? t.source;
  return [
    `${productName}: handoff requested by ${by}${t.actor ? ` (${t.actor})` : ''}. The AI has stopped answering on this conversation; a person should take over.`,
    `Reason: ${t.reason?.trim() ? t.reason.trim() : 'none given'}`,
    ...(team.success ? [`Team asked: ${team.data.name} (HubSpot team ${team.data.id})`] : []),
  ].join('\n');
}

/**
 * Inside the handoff's transaction: queues the comment when the conversation is mirrored in the help
 * desk (a conversation without a thread costs no HubSpot call).
 */
export async function queueHandoffComment(deps: HelpdeskUseCaseDeps, trx: Trx, handoff: HandoffCommentPayload): Promise<void> {
  if (!(await repo.hasThread(trx, handoff.conversationId))) return;
  await deps.enqueueHandoffComment(trx, handoff);
}

/**
 * Job body: posts the comment. Nothing is sent without `conversations.write` or a live connection;
 * a thread whose first message is still in the outbox makes the job wait (retry) for it.
 * @throws AppError hubspot_unavailable (the job retries) | Error while the thread is not created yet
 */
export async function postHandoffComment(deps: HelpdeskUseCaseDeps, p: HandoffCommentPayload): Promise<void> {
  const connection = await deps.connections.findByOrganization(p.organizationId);
  if (!connection || connection.status !== 'connected') {
    deps.log.info({ conversationId: p.conversationId }, 'handoff comment skipped: the organization is not connected to HubSpot');
    return;
  }
  if (!connection.scopes.includes(COMMENT_SCOPE)) {
    deps.log.info({ conversationId: p.conversationId }, `handoff comment skipped: the connection lacks ${COMMENT_SCOPE}`);
    return;
  }
  const threadId = await repo.findThread(deps.db, p.conversationId);
  if (threadId === null) throw new Error('The help-desk thread is not created yet; the handoff comment waits for it');
  const transition = (await deps.conversations.getHistory(p.organizationId, p.conversationId)).transitions.find((t) => t.id === p.transitionId);
  if (!transition) return;
  try {
    const sent = await deps.hubspot.postThreadComment(p.organizationId, threadId, { text: handoffCommentText(deps.config.branding.productName, transition) });
    deps.log.info({ conversationId: p.conversationId, threadId, messageId: sent.messageId }, 'handoff comment posted on the help-desk thread');
  } catch (error) {
    // HubSpot refused it for good (a 4xx): retrying would not change the answer.
    if (error instanceof AppError && error.code === 'hubspot_upstream_error') {
      deps.log.warn({ err: error, conversationId: p.conversationId, threadId }, 'handoff comment refused by HubSpot');
      return;
    }
    throw error;
  }
}

/** After the job's last retry: the comment is given up (the handoff itself stands; the ticket note and the vendor event carry it). */
export function onHandoffCommentExhausted(deps: HelpdeskUseCaseDeps, p: HandoffCommentPayload, error: unknown): Promise<void> {
  deps.log.error({ err: error, conversationId: p.conversationId, transitionId: p.transitionId }, 'handoff comment not posted on the help-desk thread after every retry');
  return Promise.resolve();
}
