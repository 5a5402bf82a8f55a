import { describe, it, expect } from '@jest/globals';
import { buildEvent, identifySubscriptions, matchSubscriptions } from './events.js';
import type { CrmChange } from './types.js';

const subs = identifySubscriptions([
  { subscriptionType: 'object.creation', objectType: 'contact', active: true },
  { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'email', active: true },
  { subscriptionType: 'ticket.creation', active: true },
  { subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id', active: true },
  { subscriptionType: 'ticket.propertyChange', propertyName: 'subject', active: false },
  { subscriptionType: 'contact.privacyDeletion', active: true },
  { subscriptionType: 'conversation.propertyChange', active: true },
  { subscriptionType: 'conversation.newMessage', active: true },
]);

const change = (over: Partial<CrmChange>): CrmChange => ({
  portalId: 62515,
  subscriptionType: 'ticket.creation',
  objectId: 987,
  occurredAt: 1_767_225_600_000,
  ...over,
});

const typesOf = (c: CrmChange) => matchSubscriptions(subs, c).map((s) => `${s.subscriptionType}${s.propertyName ? `:${s.propertyName}` : ''}`);

describe('matchSubscriptions', () => {
  it('when a property changes that no active subscription names, then nothing matches', () => {
    expect(typesOf(change({ subscriptionType: 'ticket.propertyChange', propertyName: 'subject', propertyValue: 'x' }))).toEqual([]);
    expect(typesOf(change({ subscriptionType: 'ticket.propertyChange', propertyName: 'content' }))).toEqual([]);
  });

  it('when the subscribed ticket property changes, then only that legacy subscription matches', () => {
    expect(typesOf(change({ subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id' }))).toEqual([
      'ticket.propertyChange:hubspot_owner_id',
    ]);
  });

  it('when a contact is created, then the generic object.creation subscription for contacts matches', () => {
    expect(typesOf(change({ subscriptionType: 'contact.creation' }))).toEqual(['object.creation']);
    expect(typesOf(change({ subscriptionType: 'contact.propertyChange', propertyName: 'email' }))).toEqual([
      'object.propertyChange:email',
    ]);
  });

  it('when an object type has no subscription, then nothing matches', () => {
    expect(typesOf(change({ subscriptionType: 'deal.creation' }))).toEqual([]);
    expect(typesOf(change({ subscriptionType: 'contact.deletion' }))).toEqual([]);
  });

  it('when any conversation property changes, then the hub event matches without a property filter', () => {
    expect(typesOf(change({ subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo' }))).toEqual([
      'conversation.propertyChange',
    ]);
    expect(typesOf(change({ subscriptionType: 'contact.privacyDeletion' }))).toEqual(['contact.privacyDeletion']);
  });
});

describe('buildEvent', () => {
  it('when building a legacy propertyChange event, then it has HubSpot’s fields and no objectTypeId', () => {
    const c = change({ subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id', propertyValue: '51234567', changeSource: 'CRM_UI', sourceId: 'userId:864745280' });
    const [sub] = matchSubscriptions(subs, c);
    expect(buildEvent(sub!, c, 2, 54321)).toStrictEqual({
      eventId: 2,
      subscriptionId: 1004,
      portalId: 62515,
      appId: 54321,
      occurredAt: 1_767_225_600_000,
      subscriptionType: 'ticket.propertyChange',
      attemptNumber: 0,
      objectId: 987,
      propertyName: 'hubspot_owner_id',
      propertyValue: '51234567',
      changeSource: 'CRM_UI',
      sourceId: 'userId:864745280',
    });
  });

  it('when building a generic creation event, then it carries objectTypeId and changeFlag NEW', () => {
    const c = change({ subscriptionType: 'contact.creation', objectId: 123 });
    const [sub] = matchSubscriptions(subs, c);
    expect(buildEvent(sub!, c, 1, 54321)).toMatchObject({ subscriptionType: 'object.creation', objectTypeId: '0-1', changeFlag: 'NEW', changeSource: 'CRM' });
  });

  it('when building a newMessage event, then it carries messageId and messageType', () => {
    const c = change({ subscriptionType: 'conversation.newMessage', objectId: 7411234567, messageId: 'a1b2c3', messageType: 'MESSAGE' });
    const [sub] = matchSubscriptions(subs, c);
    const event = buildEvent(sub!, c, 5, 54321);
    expect(event).toMatchObject({ messageId: 'a1b2c3', messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE', objectId: 7411234567 });
    expect(event).not.toHaveProperty('changeSource');
  });
});
