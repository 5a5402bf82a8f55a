// The vendor confirms it delivered an agent reply to the customer (or could not): the status goes to
// HubSpot, which shows it on the message in the thread.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
import { AppError } from '../../platform/errors.js';
import { requireChannelAccess } from './connect-channel.js';
import type { HelpdeskDeps } from './helpdesk.ports.js';
import { helpdeskRepository as repo } from './helpdesk.repository.js';
import type { DeliveryStatus } from './helpdesk.table.js';

const HUBSPOT_STATUS = { sent: 'SENT', failed: 'FAILED', read: 'READ' } as const;

/**
 * Reports a delivery status of an agent reply of the conversation.
 * @throws AppError not_found (conversation, or no such agent reply in it) | missing_scope | hubspot_* errors
 */
export async function reportDelivery(
  deps: HelpdeskDeps,
  organizationId: string,
  conversationId: string,
  messageId: string,
  input: { status: DeliveryStatus; errorMessage?: string },
): Promise<{ messageId: string; status: DeliveryStatus }> {
  await deps.conversations.getConversation(organizationId, conversationId);
  const { channel } = await requireChannelAccess(deps, organizationId);
  if (!(await repo.setDeliveryStatus(deps.db, organizationId, conversationId, messageId, input.status))) {
    throw new AppError('not_found', 'No agent reply with this id in this conversation');
  }
  await deps.hubspot.updateMessageStatus(organizationId, channel.channelId, messageId, HUBSPOT_STATUS[input.status], input.status === 'failed' ? input.errorMessage : undefined);
  return { messageId, status: input.status };
}
