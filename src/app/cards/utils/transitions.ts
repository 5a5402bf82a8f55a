// What the card offers for each AI state. The backend owns the state machine (active ⇄ paused;
// handoff_requested leaves only by an explicit resume) and answers 409 invalid_transition otherwise;
// the card enables only the moves that change something, so a click never hits a no-op.
import type { AiState, TransitionAction } from './contract.js';

/** Button order on the card. */
export const ACTIONS: readonly TransitionAction[] = ['pause', 'resume', 'handoff'];

const ALLOWED: Readonly<Record<AiState, readonly TransitionAction[]>> = {
  active: ['pause', 'handoff'],
  paused: ['resume', 'handoff'],
  handoff_requested: ['resume'],
};

/**
 * Whether the card should offer an action in a state.
 * @param state the conversation's AI state
 * @param action the button's action
 * @returns true when the action is a valid, effective transition
 */
export function isActionAllowed(state: AiState, action: TransitionAction): boolean {
  return ALLOWED[state].includes(action);
}

/** Button label per action. */
export const ACTION_LABELS: Readonly<Record<TransitionAction, string>> = {
  pause: 'Pause AI',
  resume: 'Resume AI',
  handoff: 'Request handoff',
};

/** Confirmation shown after an action succeeded. */
export const ACTION_SUCCESS: Readonly<Record<TransitionAction, string>> = {
  pause: 'The AI is paused on this conversation.',
  resume: 'The AI is answering again on this conversation.',
  handoff: 'Handoff requested: the AI stopped and your team was asked to take over.',
};

/** Tag text and colour per AI state. */
export const STATE_DISPLAY: Readonly<Record<AiState, { label: string; variant: 'success' | 'warning' | 'danger' }>> = {
  active: { label: 'AI active', variant: 'success' },
  paused: { label: 'AI paused', variant: 'warning' },
  handoff_requested: { label: 'Handoff requested', variant: 'danger' },
};
