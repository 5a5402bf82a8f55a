import { describe, expect, it } from '@jest/globals';
import { buildNoteBody, describeActor } from './note-body.js';

describe('buildNoteBody', () => {
  const at = new Date('2026-11-24T10:00:00.000Z');

  it('when a workflow pauses with a reason, then the note says what, by whom (a sentence, not the stored workflow:42), when and why', () => {
    expect(buildNoteBody({ toState: 'paused', source: 'workflow', actor: 'workflow:42', reason: 'VIP', externalId: 'chat-1', occurredAt: at })).toBe(
      '<p><strong>Switchboard: AI paused</strong></p><p>Conversation chat-1; by a HubSpot workflow (ID 42), at 2026-11-24T10:00:00.000Z.</p><p>Reason: VIP</p>',
    );
  });

  it('when a product name is configured, then the headline and the source use it', () => {
    const body = buildNoteBody({ toState: 'active', source: 'card', actor: 'hubspot-user:77', reason: null, externalId: 'x', occurredAt: at, productName: 'Acme AI' });
    expect(body).toBe('<p><strong>Acme AI: AI resumed</strong></p><p>Conversation x; by the HubSpot user with ID 77 via Acme AI card in HubSpot, at 2026-11-24T10:00:00.000Z.</p>');
  });

  it('when actors come from HubSpot ids, then they read as sentences; vendor-given names stay as they are', () => {
    expect(describeActor('hubspot-owner:51000002')).toBe('the HubSpot owner with ID 51000002');
    expect(describeActor('workflow')).toBe('a HubSpot workflow');
    expect(describeActor('ada@example.com')).toBe('ada@example.com');
    expect(describeActor(null)).toBe('someone not named');
  });

  it('when values carry HTML, then they are escaped', () => {
    const body = buildNoteBody({ toState: 'handoff_requested', source: 'card', actor: '<script>x</script>', reason: 'a & "b"', externalId: "c'1", occurredAt: at, team: '<b>T</b>' });
    expect(body).not.toContain('<script>');
    expect(body).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(body).toContain('Team: &#60;b&#62;T&#60;/b&#62;');
    expect(body).toContain('Reason: a &#38; &#34;b&#34;');
    expect(body).toContain('Conversation c&#39;1');
  });

  it('when there is no actor or reason, then the note says nobody was named and has no reason line', () => {
    expect(buildNoteBody({ toState: 'active', source: 'api', actor: null, reason: null, externalId: 'x', occurredAt: at })).toBe(
      '<p><strong>Switchboard: AI resumed</strong></p><p>Conversation x; by someone not named via Switchboard API, at 2026-11-24T10:00:00.000Z.</p>',
    );
  });
});
