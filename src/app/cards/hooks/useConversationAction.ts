// Runs Pause / Resume / Request handoff for one conversation and remembers how the last one went,
// so the card can show a spinner on the clicked button, then a success or error message.
import { useCallback, useRef, useState } from 'react';
import type { ApiError } from '../utils/api.js';
import type { Conversation, TransitionAction } from '../utils/contract.js';
import { useCardsApi } from './useCardsApi.js';
import { toApiError } from './useRecord.js';

/** Where the conversation's last action stands. */
export type ActionStatus =
  | { kind: 'idle' }
  | { kind: 'running'; action: TransitionAction }
  | { kind: 'succeeded'; action: TransitionAction }
  | { kind: 'failed'; action: TransitionAction; error: ApiError };

/** What {@link useConversationAction} returns. */
export interface UseConversationActionResult {
  status: ActionStatus;
  run: (action: TransitionAction) => void;
}

/**
 * Action runner for one conversation.
 * @param conversationId the conversation's Switchboard id
 * @param onChanged receives the conversation the backend answered with
 * @returns the status and `run`
 */
export function useConversationAction(
  conversationId: string,
  onChanged: (conversation: Conversation) => void,
): UseConversationActionResult {
  const api = useCardsApi();
  const [status, setStatus] = useState<ActionStatus>({ kind: 'idle' });
  // A ref, not the state, guards double clicks: two clicks can land before React re-renders.
  const running = useRef(false);

  const run = useCallback(
    (action: TransitionAction) => {
      if (running.current) return;
      running.current = true;
      setStatus({ kind: 'running', action });
      api.transition(conversationId, action).then(
        (conversation) => {
          running.current = false;
          onChanged(conversation);
          setStatus({ kind: 'succeeded', action });
        },
        (error: unknown) => {
          running.current = false;
          setStatus({ kind: 'failed', action, error: toApiError(error) });
        },
      );
    },
    [api, conversationId, onChanged],
  );

  return { status, run };
}
