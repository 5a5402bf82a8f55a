import { z } from 'zod';
import { expectOk, type HubSpotClient } from './hubspot-client.js';
import { HUBSPOT_PATHS } from './paths.js';

/**
 * Internal comments on a conversations thread (`POST /conversations/v3/conversations/threads/{threadId}/messages`
 * with `type: COMMENT`, scope `conversations.write`,
 * https://developers.hubspot.com/docs/api-reference/legacy/conversations/inbox-and-messages/guide).
 * The custom channels API has no comments: its messages always reach the customer.
 * HubSpot's `PublicCommentEgg` requires `type`, `text` and `attachments`; unlike a `MESSAGE` it names
 * no sender, so the comment is sent as the app. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-206
 */

const commentSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

/** The thread comment call made for an organization, with its portal's token. */
export interface HubSpotThreadCommentsApi {
  /**
   * Posts an internal comment (agents see it, the customer never does). Not idempotent at HubSpot:
   * the client does not repeat it on a 5xx, the caller's job does.
   * @returns HubSpot's message id of the comment
   * @throws AppError hubspot_unavailable (429/5xx: retry) | hubspot_upstream_error (refused)
   */
  postThreadComment(organizationId: string, threadId: string, comment: { text: string; richText?: string }): Promise<{ messageId: string }>;
}

/** Builds the thread comment call over the budgeted client. */
export function createHubSpotThreadCommentsApi(deps: { client: Pick<HubSpotClient, 'request'> }): HubSpotThreadCommentsApi {
  return Object.freeze({
    async postThreadComment(organizationId: string, threadId: string, comment: { text: string; richText?: string }) {
      const body = { type: 'COMMENT', text: comment.text, ...(comment.richText ? { richText: comment.richText } : {}), attachments: [] };
      const res = expectOk(await deps.client.request(organizationId, { method: 'POST', path: HUBSPOT_PATHS.threadMessages(threadId), body, lane: 'bulk' }), 'post thread comment');
      return { messageId: commentSchema.parse(res.body).id };
    },
  });
}
