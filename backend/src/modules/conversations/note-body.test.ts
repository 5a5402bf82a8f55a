import { describe, expect, it } from '@jest/globals';
import { buildNoteBody } from './note-body.js';

describe('buildNoteBody', () => {
  const at = new Date('2026-11-24T10:00:00.000Z');

  it('when a workflow pauses with a reason, then the note says what, by whom, how, when and why', () => {
    expect(buildNoteBody({ toState: 'paused', source: 'workflow', actor: 'workflow:42', reason: 'VIP', externalId: 'chat-1', occurredAt: at })).toBe(
      '<p><strong>Switchboard: AI paused</strong></p><p>Conversation chat-1; by workflow:42 via HubSpot workflow, at 2026-11-24T10:00:00.000Z.</p><p>Reason: VIP</p>',
    );
  });

  it('when values carry HTML, then they are escaped', () => {
    const body = buildNoteBody({ toState: 'handoff_requested', source: 'card', actor: '<script>x</script>', reason: 'a & "b"', externalId: "c'1", occurredAt: at, team: '<b>T</b>' });
    expect(body).not.toContain('<script>');
    expect(body).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(body).toContain('Team: &#60;b&#62;T&#60;/b&#62;');
    expect(body).toContain('Reason: a &#38; &#34;b&#34;');
    expect(body).toContain('Conversation c&#39;1');
  });

  it('when there is no actor or reason, then the note says unknown and has no reason line', () => {
    expect(buildNoteBody({ toState: 'active', source: 'api', actor: null, reason: null, externalId: 'x', occurredAt: at })).toBe(
      '<p><strong>Switchboard: AI resumed</strong></p><p>Conversation x; by unknown via Switchboard API, at 2026-11-24T10:00:00.000Z.</p>',
    );
  });
});
