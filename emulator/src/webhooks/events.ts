// Which subscriptions a change matches, and the event HubSpot would send for each
// (https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks,
// https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide).
// Each matching subscription yields its own event, as in HubSpot, where an app subscribed to both
// `ticket.creation` and `object.creation`/`ticket` receives both.
import type { Subscription } from '../manifests.js';
import type { CrmChange, WebhookEvent } from './types.js';

/** A subscription with the id HubSpot would have given it. */
export interface IdentifiedSubscription extends Subscription {
  subscriptionId: number;
}

// objectTypeId of generic `object.*` events (https://developers.hubspot.com/docs/api-reference/2026-03/webhooks/guide).
const OBJECT_TYPE_IDS: Record<string, string> = {
  contact: '0-1',
  company: '0-2',
  deal: '0-3',
  ticket: '0-5',
  product: '0-7',
  line_item: '0-8',
};

// Objects that are not CRM objects: their hub events carry no property filter.
const HUB_OBJECTS = new Set(['conversation']);

/**
 * Gives each subscription a stable id: manifest order, from a fixed base, so ids repeat across runs.
 * @param subscriptions as loaded from the manifest
 * @returns the same subscriptions with `subscriptionId`
 */
export function identifySubscriptions(subscriptions: Subscription[]): IdentifiedSubscription[] {
  return subscriptions.map((sub, index) => ({ ...sub, subscriptionId: 1001 + index }));
}

/**
 * Lists the active subscriptions a change matches: legacy/hub types by name, generic `object.*` types by
 * verb and object type; CRM `propertyChange` also by property name.
 * @param subscriptions the app's subscriptions
 * @param change the change in legacy form (`ticket.propertyChange`)
 * @returns matching subscriptions, in manifest order
 */
export function matchSubscriptions(subscriptions: IdentifiedSubscription[], change: CrmChange): IdentifiedSubscription[] {
  const [object, verb] = splitType(change.subscriptionType);
  return subscriptions.filter((sub) => {
    if (!sub.active) return false;
    const generic = sub.subscriptionType.startsWith('object.');
    if (generic) {
      if (sub.subscriptionType !== `object.${verb}` || sub.objectType !== object) return false;
    } else if (sub.subscriptionType !== change.subscriptionType) {
      return false;
    }
    if (verb === 'propertyChange' && !HUB_OBJECTS.has(object)) {
      return sub.propertyName !== undefined && sub.propertyName === change.propertyName;
    }
    return true;
  });
}

/**
 * Builds the event HubSpot sends for one change and one subscription (attemptNumber 0).
 * Key order follows HubSpot's published sample body (https://developers.hubspot.com/docs/faq/v1-request-validation).
 * @param sub the matching subscription
 * @param change the change
 * @param eventId the id to give the event
 * @param appId the app's id
 * @returns the event
 */
export function buildEvent(sub: IdentifiedSubscription, change: CrmChange, eventId: number, appId: number): WebhookEvent {
  const [object, verb] = splitType(change.subscriptionType);
  const generic = sub.subscriptionType.startsWith('object.');
  const event: WebhookEvent = {
    eventId,
    subscriptionId: sub.subscriptionId,
    portalId: change.portalId,
    appId,
    occurredAt: change.occurredAt,
    subscriptionType: sub.subscriptionType,
    attemptNumber: 0,
    objectId: change.objectId,
  };
  if (generic) {
    const typeId = change.objectTypeId ?? OBJECT_TYPE_IDS[object];
    if (typeId !== undefined) event.objectTypeId = typeId;
  }
  if (verb === 'propertyChange') {
    if (change.propertyName !== undefined) event.propertyName = change.propertyName;
    if (change.propertyValue !== undefined) event.propertyValue = change.propertyValue;
  }
  const changeSource = change.changeSource ?? (HUB_OBJECTS.has(object) ? undefined : 'CRM');
  if (changeSource !== undefined) event.changeSource = changeSource;
  if (change.sourceId !== undefined) event.sourceId = change.sourceId;
  const changeFlag = changeFlagFor(object, verb);
  if (changeFlag !== undefined) event.changeFlag = changeFlag;
  if (change.subscriptionType === 'conversation.newMessage') {
    if (change.messageId !== undefined) event.messageId = change.messageId;
    if (change.messageType !== undefined) event.messageType = change.messageType;
  }
  return event;
}

// The changeFlag enum is undocumented; `NEW` on creation is in HubSpot's own sample, the
// conversation value is the reference's illustrative one (listed as unconfirmed in the README).
function changeFlagFor(object: string, verb: string): string | undefined {
  if (object === 'conversation' && verb === 'newMessage') return 'NEW_MESSAGE';
  if (verb === 'creation') return 'NEW';
  return undefined;
}

function splitType(subscriptionType: string): [string, string] {
  const dot = subscriptionType.indexOf('.');
  if (dot < 0) return [subscriptionType.toLowerCase(), ''];
  return [subscriptionType.slice(0, dot).toLowerCase(), subscriptionType.slice(dot + 1)];
}
