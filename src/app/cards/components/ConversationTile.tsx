// One linked conversation: its AI state, the last transition and its source, and the actions that
// are valid from that state. Each button shows its own spinner; the outcome is shown under the row.
import { Alert, Flex, LoadingButton, StatusTag, Text, Tile } from '@hubspot/ui-extensions';
import { useConversationAction } from '../hooks/useConversationAction.js';
import type { ActionStatus } from '../hooks/useConversationAction.js';
import type { Conversation } from '../utils/contract.js';
import { describeTransition } from '../utils/format.js';
import { ACTIONS, ACTION_LABELS, ACTION_SUCCESS, STATE_DISPLAY, isActionAllowed } from '../utils/transitions.js';

/** Props of {@link ConversationTile}. */
export interface ConversationTileProps {
  conversation: Conversation;
  /** Receives the conversation after a successful action. */
  onChanged: (conversation: Conversation) => void;
  /** Current time in epoch ms, for "5 minutes ago". */
  now: number;
}

/** A conversation with its state and its Pause / Resume / Request handoff buttons. */
export function ConversationTile({ conversation, onChanged, now }: ConversationTileProps) {
  const { status, run } = useConversationAction(conversation.id, onChanged);
  const state = STATE_DISPLAY[conversation.aiState];
  const busy = status.kind === 'running';
  const id = conversation.id;

  return (
    <Tile compact testId={`conversation-${id}`}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" justify="between" align="center" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>Conversation {conversation.externalId}</Text>
          <StatusTag testId={`state-${id}`} variant={state.variant}>
            {state.label}
          </StatusTag>
        </Flex>
        <Text testId={`last-transition-${id}`} variant="microcopy">
          {conversation.lastTransition ? describeTransition(conversation.lastTransition, now) : 'No change recorded yet.'}
        </Text>
        {conversation.lastTransition?.reason ? (
          <Text testId={`reason-${id}`} variant="microcopy">
            Reason: {conversation.lastTransition.reason}
          </Text>
        ) : null}
        {/* A wrapping Flex rather than ButtonRow: in a narrow sidebar ButtonRow folds buttons into a
            menu, which would hide a disabled or loading button's state. */}
        <Flex direction="row" wrap gap="xs">
          {ACTIONS.map((action) => (
            <LoadingButton
              key={action}
              testId={`${action}-${id}`}
              size="sm"
              variant={action === 'handoff' ? 'secondary' : 'primary'}
              loading={status.kind === 'running' && status.action === action}
              disabled={busy || !isActionAllowed(conversation.aiState, action)}
              onClick={() => run(action)}
            >
              {ACTION_LABELS[action]}
            </LoadingButton>
          ))}
        </Flex>
        <ActionOutcome status={status} conversationId={id} />
      </Flex>
    </Tile>
  );
}

function ActionOutcome({ status, conversationId }: { status: ActionStatus; conversationId: string }) {
  if (status.kind === 'succeeded') {
    return (
      <Alert testId={`action-success-${conversationId}`} title="Done" variant="success">
        {ACTION_SUCCESS[status.action]}
      </Alert>
    );
  }
  if (status.kind === 'failed') {
    return (
      <Alert testId={`action-error-${conversationId}`} title={`${ACTION_LABELS[status.action]} failed`} variant="error">
        {status.error.message}
      </Alert>
    );
  }
  return null;
}
