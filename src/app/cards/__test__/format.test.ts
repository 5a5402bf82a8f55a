import { describe, expect, it } from '@jest/globals';
import { describeActor, describeSource, describeTransition, formatWhen } from '../utils/format.js';
import { buildTransition } from '../test-utils/mocks.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

describe('formatWhen', () => {
  it.each([
    ['2025-06-01T11:59:30.000Z', 'just now'],
    ['2025-06-01T11:59:00.000Z', '1 minute ago'],
    ['2025-06-01T11:15:00.000Z', '45 minutes ago'],
    ['2025-06-01T11:00:00.000Z', '1 hour ago'],
    ['2025-05-31T13:00:00.000Z', '23 hours ago'],
    ['2025-05-30T08:00:00.000Z', 'on 2025-05-30'],
    ['2025-06-01T12:00:30.000Z', 'just now'],
    ['yesterday', 'yesterday'],
  ])('when the time is %s, then it reads "%s"', (iso, expected) => {
    expect(formatWhen(iso, NOW)).toBe(expected);
  });
});

describe('describeSource', () => {
  it('when the source is known, then it is named for people; otherwise underscores become spaces', () => {
    expect(describeSource('owner_change')).toBe('an owner change');
    expect(describeSource('api')).toBe('the AI platform');
    expect(describeSource('assignment')).toBe('a conversation assignment');
    expect(describeSource('scheduled_resume')).toBe('scheduled resume');
  });
});

describe('describeTransition', () => {
  it('when there is no actor, then the sentence leaves the "by" out', () => {
    const transition = buildTransition({ to: 'active', source: 'workflow', actor: null, at: '2025-06-01T11:58:00.000Z' });
    expect(describeTransition(transition, NOW)).toBe('Resumed via a workflow, 2 minutes ago.');
  });
});

describe('describeActor', () => {
  it.each([
    ['agent@example.com', 'agent@example.com'],
    ['hubspot-owner:123', 'HubSpot owner 123'],
    ['hubspot-user:77', 'HubSpot user 77'],
    ['workflow:456', 'workflow 456'],
  ])('when the actor is %s, then it reads "%s"', (actor, expected) => {
    expect(describeActor(actor)).toBe(expected);
  });

  it('when the transition was made by an owner change, then the sentence names the owner', () => {
    const transition = buildTransition({ actor: 'hubspot-owner:123', at: '2025-06-01T11:00:00.000Z' });
    expect(describeTransition(transition, NOW)).toBe('Paused by HubSpot owner 123 via an owner change, 1 hour ago.');
  });
});
