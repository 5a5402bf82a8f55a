// What each subscription in src/app/webhooks/webhooks-hsmeta.json does, in two steps (handler.ts):
// `prepareEvent` before the transaction (HubSpot reads), `applyEvent` inside the transaction that
// marks the inbox event done. Each subscription's handler lives in its own file.
import { conversationNewMessage } from './agent-reply.js';
import type { Handler, HandledEvent, HandlerDeps, HandlerResult, Prepared } from './handler.js';
import { conversationPropertyChange, ticketPropertyChange } from './property-change.js';
import { conversationCreation, ticketCreation } from './record-created.js';
import { contactDeletion, contactPrivacyDeletion, ticketDeletion } from './record-deleted.js';
import type { InboxEvent } from './webhooks.repository.js';
import type { Trx } from './webhooks.ports.js';

export type { HandlerDeps, HandlerResult, Prepared };

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

// Typed by the list above, so a subscription listed without a handler (or the reverse) fails to compile.
const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({
    'ticket.creation': ticketCreation,
    'ticket.deletion': ticketDeletion,
    'ticket.propertyChange': ticketPropertyChange,
    'contact.deletion': contactDeletion,
    'contact.privacyDeletion': contactPrivacyDeletion,
    'conversation.creation': conversationCreation,
    'conversation.propertyChange': conversationPropertyChange,
    'conversation.newMessage': conversationNewMessage,
  } satisfies Record<(typeof HANDLED_SUBSCRIPTIONS)[number], Handler>),
);

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

/** The handler of an event, if we handle its type (and it names its record). */
function handlerOf(event: InboxEvent): { handler: Handler; event: HandledEvent } | undefined {
  const handler = HANDLERS.get(normalisedType(event));
  return handler && event.objectId !== null ? { handler, event: { ...event, objectId: event.objectId } } : undefined;
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
export async function applyEvent(trx: Trx, event: InboxEvent, organizationId: string, deps: HandlerDeps, prepared: Prepared): Promise<HandlerResult> {
  if (prepared && 'final' in prepared) return prepared.final;
  const found = handlerOf(event);
  if (!found) return { status: 'ignored', outcome: 'no handler' };
  return found.handler.apply(trx, found.event, organizationId, deps, prepared?.facts ?? {});
}
