// The webhook events the bench sends: HubSpot-shaped, a mix of the subscribed types.

/**
 * One event of the bench's mix (src/app/webhooks/webhooks-hsmeta.json), on records no conversation
 * is linked to, as most of a portal's traffic is: each still runs its handler's queries
 * (watermarks, link lookups), so processing costs what it would.
 */
export function benchEvent(id: number, portalId: number, appId: number, now: number): Record<string, unknown> {
  const base = { eventId: id, portalId, appId, occurredAt: now, attemptNumber: 0 };
  const objectId = 1_000_000 + (id % 50_000);
  switch (id % 4) {
    case 0:
      return { ...base, subscriptionId: 1001, subscriptionType: 'ticket.creation', objectId, changeFlag: 'NEW', changeSource: 'CRM_UI' };
    case 1:
      return { ...base, subscriptionId: 1003, subscriptionType: 'ticket.propertyChange', objectId, propertyName: 'hubspot_owner_id', propertyValue: String(51_000_000 + (id % 7)), changeSource: 'CRM_UI' };
    case 2:
      return { ...base, subscriptionId: 1008, subscriptionType: 'conversation.newMessage', objectId, messageId: `m-${id}`, messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE' };
    default:
      return { ...base, subscriptionId: 1007, subscriptionType: 'conversation.propertyChange', objectId, propertyName: 'status', propertyValue: id % 8 === 3 ? 'CLOSED' : 'OPEN' };
  }
}
