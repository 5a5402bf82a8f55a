import { describe, expect, it } from '@jest/globals';
import { decideAiTransition, type AiAction } from './ai-state.js';
import type { AiState } from './conversations.table.js';

describe('decideAiTransition', () => {
  const cases: [AiState, AiAction, ReturnType<typeof decideAiTransition>['kind'], AiState | null][] = [
    ['active', 'pause', 'change', 'paused'],
    ['active', 'resume', 'unchanged', null],
    ['active', 'handoff', 'change', 'handoff_requested'],
    ['paused', 'pause', 'unchanged', null],
    ['paused', 'resume', 'change', 'active'],
    ['paused', 'handoff', 'change', 'handoff_requested'],
    ['handoff_requested', 'pause', 'invalid', null],
    ['handoff_requested', 'resume', 'change', 'active'],
    ['handoff_requested', 'handoff', 'unchanged', null],
  ];

  it.each(cases)('when the state is %s and %s is asked, then the decision is %s', (from, action, kind, to) => {
    const decision = decideAiTransition(from, action);
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'change') expect(decision.to).toBe(to);
  });

  it('when a pause is asked during a pending handoff, then the message says to resume first', () => {
    expect(decideAiTransition('handoff_requested', 'pause')).toStrictEqual({ kind: 'invalid', message: 'A handoff is pending: resume the conversation before pausing it' });
  });
});
