// The help-desk service (`services.helpdesk`): HubSpot's custom channel as the home of the vendor's
// AI conversations. Each use case lives in its own file; this one lists them.
import type { Transaction } from 'kysely';
import type { FeatureModule } from '../../platform/module.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { receiveChannelWebhook, type ChannelWebhookResult } from './channel-webhook.js';
import { completeHubSpotConnect, connectInbox, getHelpdeskStatus, listInboxes, type HelpdeskStatus } from './connect-channel.js';
import { onHandoffCommentExhausted, postHandoffComment, queueHandoffComment } from './handoff-comment.js';
import { createInboxCache } from './inbox-cache.js';
import { createHandoffCommentJob, createSendMessagesJob, type HandoffCommentPayload } from './helpdesk.jobs.js';
import type { HelpdeskDeps, HelpdeskUseCaseDeps } from './helpdesk.ports.js';
import type { ChannelAccount, OutboxMessage } from './helpdesk.repository.js';
import type { DeliveryStatus } from './helpdesk.table.js';
import { listMessages, publishMessage, type PublishInput } from './publish-message.js';
import { registerChannel, type RegistrationResult } from './register-channel.js';
import { reportDelivery } from './report-delivery.js';
import { failOldestPending, sendPending } from './send-outbox.js';
import { onThreadAssigneeChanged } from './thread-handoff.js';
import type { Trx } from './helpdesk.ports.js';

export type { ChannelAccount, ChannelWebhookResult, HelpdeskDeps, HelpdeskStatus, OutboxMessage, PublishInput, RegistrationResult };

/** The help-desk service. */
export interface HelpdeskService {
  /** Registers or updates the app's channel at HubSpot (idempotent). */
  registerChannel(input: { developerApiKey?: string }): Promise<RegistrationResult>;
  /** The organization's help-desk state (missing scopes, account, failed messages). */
  getStatus(organizationId: string): Promise<HelpdeskStatus>;
  /** The portal's inboxes and help desks. */
  listInboxes(organizationId: string): Promise<{ id: string; name: string }[]>;
  /** Connects the channel to an inbox. */
  connectInbox(organizationId: string, input: { inboxId: string; name?: string }): Promise<ChannelAccount>;
  /** Completes HubSpot's own connect flow (redirect with an account token). */
  completeHubSpotConnect(input: { accountToken: string; portalId: number }): Promise<{ organizationId: string }>;
  /** Queues a turn for the conversation's thread. */
  publishMessage(organizationId: string, conversationId: string, input: PublishInput): Promise<{ message: OutboxMessage; created: boolean }>;
  /** The conversation's published turns and its HubSpot thread id. */
  listMessages(organizationId: string, conversationId: string): Promise<{ threadId: string | null; messages: OutboxMessage[] }>;
  /** Reports the delivery status of an agent reply to HubSpot. */
  reportDelivery(organizationId: string, conversationId: string, messageId: string, input: { status: DeliveryStatus; errorMessage?: string }): Promise<{ messageId: string; status: DeliveryStatus }>;
  /** Handles a channel webhook body. */
  receiveWebhook(body: unknown): Promise<ChannelWebhookResult>;
  /** Job body: delivers a conversation's outbox. */
  sendPending(conversationId: string): Promise<void>;
  onSendExhausted(conversationId: string, error: unknown): Promise<void>;
  /** A thread's assignee changed (webhook transaction): pause or resume its conversation; undefined when not a help-desk thread. */
  onAssigneeChanged(trx: Trx, organizationId: string, change: { threadId: number; userId: string; occurredAt: Date }): ReturnType<typeof onThreadAssigneeChanged>;
  /** A handoff was requested (the transition's transaction): queues the thread comment when the conversation has a help-desk thread. */
  onHandoffRequested(trx: Trx, handoff: HandoffCommentPayload): Promise<void>;
  /** Job body: posts the handoff comment on the thread. */
  postHandoffComment(payload: HandoffCommentPayload): Promise<void>;
  /** The organization's connection changed (connect, reconnect, disconnect): its cached inbox list is dropped. */
  onConnectionChanged(organizationId: string): void;
}

/**
 * Builds the help-desk module: the service first, then its send job, which receives the service.
 * @param deps the module's dependencies and the job system
 */
export function createHelpdeskModule(deps: HelpdeskDeps & { jobs: Jobs }): FeatureModule<HelpdeskService> {
  const { jobs, ...rest } = deps;
  const runner = { sendPending: (id: string) => service.sendPending(id), onSendExhausted: (id: string, e: unknown) => service.onSendExhausted(id, e) };
  const sendJob = createSendMessagesJob(runner);
  const commentJob = createHandoffCommentJob({
    postHandoffComment: (p) => service.postHandoffComment(p),
    onHandoffCommentExhausted: (p, e) => onHandoffCommentExhausted(ucDeps, p, e),
  });
  const ucDeps: HelpdeskUseCaseDeps = {
    ...rest,
    async enqueueSend(trx, conversationId) {
      await jobs.send(sendJob, { conversationId }, { trx: trx as unknown as Transaction<never> });
    },
    wakeSend: () => jobs.wake(sendJob.queue),
    inboxCache: createInboxCache(rest.clock),
    async enqueueHandoffComment(trx, payload) {
      await jobs.send(commentJob, payload, { trx: trx as unknown as Transaction<never> });
    },
  };
  const service: HelpdeskService = Object.freeze({
    registerChannel: (input: { developerApiKey?: string }) => registerChannel(ucDeps, input),
    getStatus: (organizationId: string) => getHelpdeskStatus(ucDeps, organizationId),
    listInboxes: (organizationId: string) => listInboxes(ucDeps, organizationId),
    connectInbox: (organizationId: string, input: { inboxId: string; name?: string }) => connectInbox(ucDeps, organizationId, input),
    completeHubSpotConnect: (input: { accountToken: string; portalId: number }) => completeHubSpotConnect(ucDeps, input),
    publishMessage: (organizationId: string, conversationId: string, input: PublishInput) => publishMessage(ucDeps, organizationId, conversationId, input),
    listMessages: (organizationId: string, conversationId: string) => listMessages(ucDeps, organizationId, conversationId),
    reportDelivery: (organizationId: string, conversationId: string, messageId: string, input: { status: DeliveryStatus; errorMessage?: string }) =>
      reportDelivery(ucDeps, organizationId, conversationId, messageId, input),
    receiveWebhook: (body: unknown) => receiveChannelWebhook(ucDeps, body),
    sendPending: (conversationId: string) => sendPending(ucDeps, conversationId),
    onSendExhausted: (conversationId: string, error: unknown) => failOldestPending(ucDeps, conversationId, error),
    onAssigneeChanged: (trx: Trx, organizationId: string, change: { threadId: number; userId: string; occurredAt: Date }) => onThreadAssigneeChanged(ucDeps, trx, organizationId, change),
    onHandoffRequested: (trx: Trx, handoff: HandoffCommentPayload) => queueHandoffComment(ucDeps, trx, handoff),
    postHandoffComment: (payload: HandoffCommentPayload) => postHandoffComment(ucDeps, payload),
    onConnectionChanged: (organizationId: string) => ucDeps.inboxCache.forget(organizationId),
  });
  return { service, jobs: [sendJob as unknown as JobDefinition<never>, commentJob as unknown as JobDefinition<never>], schedules: [] };
}
