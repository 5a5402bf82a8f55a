// The AI state machine, as a pure decision so it gets an exhaustive unit test.
//
//   active ──pause──▶ paused ──resume──▶ active
//   active | paused ──handoff──▶ handoff_requested ──resume──▶ active
//
// Asking for the state a conversation is already in changes nothing and emits nothing (idempotent).
// A handoff is left only by an explicit resume: pausing a conversation whose handoff is pending is
// refused, because a pause would hide that humans were asked to take over.
import type { AiState } from './conversations.table.js';

/** What a caller asks for. */
export type AiAction = 'pause' | 'resume' | 'handoff';

/** Outcome of asking `action` in state `from`. */
export type AiDecision = { kind: 'change'; to: AiState } | { kind: 'unchanged' } | { kind: 'invalid'; message: string };

const TARGET: Record<AiAction, AiState> = { pause: 'paused', resume: 'active', handoff: 'handoff_requested' };

/**
 * Decides a transition.
 * @param from the conversation's current state
 * @param action what is asked
 * @returns change (with the new state), unchanged, or invalid (with a message for the 409)
 */
export function decideAiTransition(from: AiState, action: AiAction): AiDecision {
  const to = TARGET[action];
  if (from === to) return { kind: 'unchanged' };
  if (from === 'handoff_requested' && action === 'pause') {
    return { kind: 'invalid', message: 'A handoff is pending: resume the conversation before pausing it' };
  }
  return { kind: 'change', to };
}
