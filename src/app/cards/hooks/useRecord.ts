// Loads what the backend knows about the record (connection + linked conversations) and keeps it
// current after the card changes a conversation.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../utils/api.js';
import type { Conversation, RecordObjectType, RecordResponse } from '../utils/contract.js';
import { useCardsApi } from './useCardsApi.js';

/** The record load: in flight, failed, or loaded. */
export type RecordState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; record: RecordResponse };

/** What {@link useRecord} returns. */
export interface UseRecordResult {
  state: RecordState;
  /** Loads again from the backend (the error state's Retry, the Refresh button). */
  reload: () => void;
  /** Puts a conversation returned by a transition in place of the shown one. */
  replaceConversation: (conversation: Conversation) => void;
}

/**
 * Loads the record's AI state from `GET /hubspot/ui/records/:objectType/:objectId`.
 * @param objectType `tickets` or `contacts`
 * @param objectId the HubSpot record id
 * @returns the load state and the functions that change it
 */
export function useRecord(objectType: RecordObjectType, objectId: string | number): UseRecordResult {
  const api = useCardsApi();
  const [state, setState] = useState<RecordState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Only the latest request may update the state: a slow answer must not overwrite a newer one.
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    api.getRecord(objectType, objectId).then(
      (record) => {
        if (request === latest.current) setState({ status: 'ready', record });
      },
      (error: unknown) => {
        if (request === latest.current) setState({ status: 'error', error: toApiError(error) });
      },
    );
    return () => {
      // Unmounted or re-run: drop the answer of this request.
      latest.current += 1;
    };
  }, [api, objectType, objectId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const replaceConversation = useCallback((conversation: Conversation) => {
    setState((current) =>
      current.status !== 'ready'
        ? current
        : {
            status: 'ready',
            record: {
              ...current.record,
              conversations: current.record.conversations.map((c) => (c.id === conversation.id ? conversation : c)),
            },
          },
    );
  }, []);

  return { state, reload, replaceConversation };
}

/**
 * Turns anything thrown into an ApiError, so components show one kind of failure.
 * @param error what was thrown
 * @returns the ApiError, or an `unexpected` one
 */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('unexpected', 'Something went wrong. Try again.', null);
}
