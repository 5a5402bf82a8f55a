// What each subscription in src/app/webhooks/webhooks-hsmeta.json does. A handler has two steps:
// `read` (optional) runs before any transaction and is where HubSpot is called, so an HTTP call never
// holds a pooled connection or a row lock; `apply` runs inside the transaction that also marks the
// inbox event done, so its effects and the "processed" mark commit together (a crash in between
// re-runs the handler on a clean slate). Handlers are idempotent: pauses skip conversations that are
// not active (re-checked under the row lock in `apply`), unlinks and erasures are no-ops the second time.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { HubSpotRecordsApi } from '../../hubspot/records-api.js';
import type { ConversationsService, TransitionResult } from '../conversations/conversations.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { webhooksRepository as repo, type InboxEvent } from './webhooks.repository.js';

/** What a handler did, for the inbox row and the metrics. */
export interface HandlerResult {
  status: 'processed' | 'ignored';
  outcome: string;
  /** Transitions made (counted and woken after commit). */
  transitions?: TransitionResult[];
  /** The transitions were a human takeover seen in HubSpot: measure occurredAt → pause. */
  takeover?: boolean;
}

/** What handlers use. */
export interface HandlerDeps {
  conversations: ConversationsService;
  /** The help desk's own handling of its threads' assignee changes (the help-desk module). */
  threadAssignee?: ThreadAssigneePort;
  settings: Pick<SettingsService, 'getSettings'>;
  hubspot: Pick<HubSpotRecordsApi, 'readTicketOwner' | 'readThread' | 'readThreadMessage'>;
}

/**
 * A module that owns some threads (the help desk) and decides what their assignee changes do.
 * @returns undefined when the thread is not the module's: the generic takeover rule applies
 */
export interface ThreadAssigneePort {
  onAssigneeChanged(trx: Transaction<Database>, organizationId: string, change: { threadId: number; userId: string; occurredAt: Date }): Promise<{ outcome: string; transitions: TransitionResult[] } | undefined>;
}

/** What `read` found: facts for `apply`, or already the final result (nothing to write but the mark). */
export type Prepared = { final: HandlerResult } | { facts: Record<string, string> } | undefined;

// Handled subscriptions always name their record (the intake refuses them without one).
type HandledEvent = InboxEvent & { objectId: number };

interface Handler {
  read?(event: HandledEvent, organizationId: string, deps: HandlerDeps): Promise<Prepared>;
  apply(trx: Transaction<Database>, event: HandledEvent, organizationId: string, deps: HandlerDeps, facts: Record<string, string>): Promise<HandlerResult>;
}

/** The handler of an event, if we handle its type (and it names its record). */
function handlerOf(event: InboxEvent): { handler: Handler; event: HandledEvent } | undefined {
  const handler = HANDLERS[normalisedType(event)];
  return handler && event.objectId !== null ? { handler, event: { ...event, objectId: event.objectId } } : undefined;
}

const applyOnly = (apply: Handler['apply']): Handler => ({ apply });

/** Every subscription type we handle (legacy form; generic object.* events are mapped onto them). */
export const HANDLED_SUBSCRIPTIONS = [
  'ticket.creation',
  'ticket.deletion',
  'ticket.propertyChange',
  'contact.deletion',
  'contact.privacyDeletion',
  'conversation.creation',
  'conversation.propertyChange',
  'conversation.newMessage',
] as const;

const OBJECT_PREFIX_BY_TYPE_ID: Record<string, string> = { '0-1': 'contact', '0-5': 'ticket' };

/**
 * The legacy-form type of an event: `object.propertyChange` with objectTypeId `0-5` becomes
 * `ticket.propertyChange`, so the generic and legacy subscription forms share handlers.
 */
export function normalisedType(event: Pick<InboxEvent, 'subscriptionType' | 'payload'>): string {
  if (!event.subscriptionType.startsWith('object.')) return event.subscriptionType;
  const prefix = OBJECT_PREFIX_BY_TYPE_ID[String(event.payload.objectTypeId ?? '')];
  return prefix ? `${prefix}.${event.subscriptionType.slice('object.'.length)}` : event.subscriptionType;
}

/**
 * Step one, outside any transaction: whatever the handler must read from HubSpot.
 * @returns facts for {@link applyEvent}, or the final result when there is nothing to apply
 */
export async function prepareEvent(event: InboxEvent, organizationId: string, deps: HandlerDeps): Promise<Prepared> {
  const found = handlerOf(event);
  if (!found) return { final: { status: 'ignored', outcome: 'no handler' } };
  return found.handler.read ? found.handler.read(found.event, organizationId, deps) : undefined;
}

/**
 * Step two, inside the transaction that marks the event done.
 * @returns what it did
 */
export async function applyEvent(trx: Transaction<Database>, event: InboxEvent, organizationId: string, deps: HandlerDeps, prepared: Prepared): Promise<HandlerResult> {
  if (prepared && 'final' in prepared) return prepared.final;
  const found = handlerOf(event);
  if (!found) return { status: 'ignored', outcome: 'no handler' };
  return found.handler.apply(trx, found.event, organizationId, deps, prepared?.facts ?? {});
}

const HANDLERS: Record<string, Handler> = {
  'ticket.propertyChange': applyOnly(async (trx, event, organizationId, deps) => {
    if (event.propertyName !== 'hubspot_owner_id') return { status: 'ignored', outcome: `property ${event.propertyName ?? '(none)'} not handled` };
    return takeover(trx, event, organizationId, deps, {
      watermark: { objectType: 'ticket', propertyName: 'hubspot_owner_id' },
      filter: { ticketId: event.objectId },
      source: 'owner_change',
      // hubspot_owner_id holds an owner id (not a user id, reference §10.2).
      actor: (value) => `hubspot-owner:${value}`,
      reason: 'A HubSpot user took ownership of the linked ticket',
    });
  }),

  'conversation.propertyChange': applyOnly(async (trx, event, organizationId, deps) => {
    if (event.propertyName === 'assignedTo') {
      return takeover(trx, event, organizationId, deps, {
        watermark: { objectType: 'conversation', propertyName: 'assignedTo' },
        filter: { threadId: event.objectId },
        source: 'assignment',
        // assignedTo holds a user id (reference §10.4).
        actor: (value) => `hubspot-user:${value}`,
        reason: 'The linked HubSpot conversation was assigned to a user',
        delegate: deps.threadAssignee && ((value) => deps.threadAssignee!.onAssigneeChanged(trx, organizationId, { threadId: event.objectId, userId: value, occurredAt: event.occurredAt })),
      });
    }
    if (event.propertyName === 'status') {
      const fresh = await repo.advanceWatermark(trx, { portalId: event.portalId, objectType: 'conversation', objectId: event.objectId, propertyName: 'status' }, event.occurredAt, event.propertyValue);
      if (!fresh) return { status: 'ignored', outcome: 'stale: a newer status change was already applied' };
      const status = (event.propertyValue ?? '').toUpperCase();
      const changed = await deps.conversations.recordThreadStatusInTransaction(trx, organizationId, event.objectId, status, event.occurredAt);
      return { status: 'processed', outcome: `thread status ${status} recorded on ${changed} conversation(s)` };
    }
    return { status: 'ignored', outcome: `property ${event.propertyName ?? '(none)'} not handled` };
  }),

  'ticket.deletion': applyOnly(async (trx, event, organizationId, deps) => {
    const count = await deps.conversations.unlinkInTransaction(trx, organizationId, 'ticket', event.objectId);
    return { status: 'processed', outcome: `ticket unlinked from ${count} conversation(s)` };
  }),

  'contact.deletion': applyOnly(async (trx, event, organizationId, deps) => {
    // A plain deletion can be undone in HubSpot for a while: unlink, keep what the vendor gave us.
    // A GDPR deletion also sends contact.privacyDeletion, which erases (reference §5.5).
    const count = await deps.conversations.unlinkInTransaction(trx, organizationId, 'contact', event.objectId);
    return { status: 'processed', outcome: `contact unlinked from ${count} conversation(s)` };
  }),

  'contact.privacyDeletion': applyOnly(async (trx, event, organizationId, deps) => {
    const { conversationsUnlinked } = await deps.conversations.eraseContactInTransaction(trx, organizationId, event.portalId, event.objectId);
    const scrubbed = await repo.scrubContactEvents(trx, event.portalId, event.objectId);
    return { status: 'processed', outcome: `contact erased: ${conversationsUnlinked} conversation(s), ${scrubbed} stored event(s) scrubbed` };
  }),

  'ticket.creation': {
    // A ticket created already owned sends no owner propertyChange here, and ordering is not
    // guaranteed: when a conversation is linked, re-read the owner from HubSpot (reference §5.4).
    async read(event, organizationId, deps) {
      const linked = await deps.conversations.findByRecord(organizationId, { ticketId: event.objectId });
      if (!linked.some((c) => c.aiState === 'active')) return { final: { status: 'processed', outcome: 'no active linked conversation' } };
      if (!(await deps.settings.getSettings(organizationId)).pauseOnOwnerChange) return { final: { status: 'processed', outcome: 'pause on owner change is off' } };
      const owner = await deps.hubspot.readTicketOwner(organizationId, event.objectId);
      if (owner === '') return { final: { status: 'processed', outcome: 'ticket has no owner' } };
      return { facts: { owner } };
    },
    async apply(trx, event, organizationId, deps, facts) {
      const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, { ticketId: event.objectId }, {
        source: 'owner_change',
        actor: `hubspot-owner:${facts.owner}`,
        reason: 'The linked ticket was created with an owner',
        occurredAt: event.occurredAt,
        details: { hubspotOwnerId: facts.owner },
      });
      return { status: 'processed', outcome: `paused ${transitions.length} conversation(s)`, transitions, takeover: true };
    },
  },

  'conversation.creation': {
    // Same reasoning as ticket.creation: a thread created already assigned sends no assignedTo change.
    async read(event, organizationId, deps) {
      const linked = await deps.conversations.findByRecord(organizationId, { threadId: event.objectId });
      if (linked.length === 0) return { final: { status: 'processed', outcome: 'no linked conversation' } };
      const thread = await deps.hubspot.readThread(organizationId, event.objectId);
      const assignee = thread.assigneeUserId;
      const pause = assignee !== '' && (await deps.settings.getSettings(organizationId)).pauseOnOwnerChange;
      return { facts: { status: thread.status, assignee: pause ? assignee : '' } };
    },
    async apply(trx, event, organizationId, deps, facts) {
      await deps.conversations.recordThreadStatusInTransaction(trx, organizationId, event.objectId, facts.status ?? 'OPEN', event.occurredAt);
      if (!facts.assignee) return { status: 'processed', outcome: `thread status ${facts.status} recorded` };
      const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, { threadId: event.objectId }, {
        source: 'assignment',
        actor: `hubspot-user:${facts.assignee}`,
        reason: 'The linked HubSpot conversation was created assigned to a user',
        occurredAt: event.occurredAt,
        details: { hubspotUserId: facts.assignee },
      });
      return { status: 'processed', outcome: `paused ${transitions.length} conversation(s)`, transitions, takeover: true };
    },
  },

  'conversation.newMessage': {
    // A human agent answering in HubSpot is a takeover too, even without an assignment. The event
    // does not say who sent the message, so it is read, and only for threads whose AI is active.
    async read(event, organizationId, deps) {
      const linked = await deps.conversations.findByRecord(organizationId, { threadId: event.objectId });
      if (!linked.some((c) => c.aiState === 'active')) return { final: { status: 'processed', outcome: 'no active linked conversation' } };
      // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-10 (a message id may come as a number)
      const rawMessageId = event.payload.messageId;
      const messageId = typeof rawMessageId === 'string' || typeof rawMessageId === 'number' ? String(rawMessageId) : undefined;
      if (event.payload.messageType !== 'MESSAGE' || !messageId) return { final: { status: 'processed', outcome: 'not a customer-facing message' } };
      if (!(await deps.settings.getSettings(organizationId)).pauseOnOwnerChange) return { final: { status: 'processed', outcome: 'pause on owner change is off' } };
      const message = await deps.hubspot.readThreadMessage(organizationId, event.objectId, messageId);
      // Messages posted through an app (the vendor's AI among them) are not a human taking over.
      if (message.clientType === 'INTEGRATION') return { final: { status: 'processed', outcome: 'message sent by an integration' } };
      const agent = /^A-(\d+)$/.exec(message.senderActorId ?? '');
      if (!agent?.[1]) return { final: { status: 'processed', outcome: 'message not sent by a human agent' } };
      return { facts: { userId: agent[1], messageId } };
    },
    async apply(trx, event, organizationId, deps, facts) {
      const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, { threadId: event.objectId }, {
        source: 'assignment',
        actor: `hubspot-user:${facts.userId}`,
        reason: 'A HubSpot user replied on the linked conversation',
        occurredAt: event.occurredAt,
        details: { hubspotUserId: facts.userId, messageId: facts.messageId },
      });
      return { status: 'processed', outcome: `paused ${transitions.length} conversation(s)`, transitions, takeover: true };
    },
  },
};

interface TakeoverRule {
  watermark: { objectType: string; propertyName: string };
  filter: { ticketId: number } | { threadId: number };
  source: 'owner_change' | 'assignment';
  actor(value: string): string;
  reason: string;
  /** Asked first (after the staleness check); its answer replaces the rule when it owns the record. */
  delegate?: ((value: string) => Promise<{ outcome: string; transitions: TransitionResult[] } | undefined>) | undefined;
}

// An owner set on a ticket, or an assignee on a thread: a human took over. Stale events (older than
// the last one applied for that object) are ignored; clearing the owner pauses nothing (only an
// explicit resume re-activates the AI).
async function takeover(trx: Transaction<Database>, event: HandledEvent, organizationId: string, deps: HandlerDeps, rule: TakeoverRule): Promise<HandlerResult> {
  const value = event.propertyValue ?? '';
  const fresh = await repo.advanceWatermark(
    trx,
    { portalId: event.portalId, objectType: rule.watermark.objectType, objectId: event.objectId, propertyName: rule.watermark.propertyName },
    event.occurredAt,
    value,
  );
  if (!fresh) return { status: 'ignored', outcome: 'stale: a newer change was already applied' };
  const delegated = await rule.delegate?.(value);
  if (delegated) return { status: 'processed', outcome: delegated.outcome, transitions: delegated.transitions, takeover: delegated.transitions.length > 0 };
  if (value === '') return { status: 'processed', outcome: 'cleared: nothing to pause' };
  if (!(await deps.settings.getSettings(organizationId, trx)).pauseOnOwnerChange) return { status: 'processed', outcome: 'pause on owner change is off' };
  const transitions = await deps.conversations.pauseLinkedInTransaction(trx, organizationId, rule.filter, {
    source: rule.source,
    actor: rule.actor(value),
    reason: rule.reason,
    occurredAt: event.occurredAt,
    details: { [rule.source === 'owner_change' ? 'hubspotOwnerId' : 'hubspotUserId']: value, changeSource: event.payload.changeSource ?? null, sourceId: event.payload.sourceId ?? null },
  });
  return { status: 'processed', outcome: transitions.length > 0 ? `paused ${transitions.length} conversation(s)` : 'no active linked conversation', transitions, takeover: true };
}
