// The card body for a supported record: loads the record, then shows the state that applies.
import { Button, Divider, Flex } from '@hubspot/ui-extensions';
import { useRecord } from '../hooks/useRecord.js';
import type { RecordObjectType } from '../utils/contract.js';
import { LoadFailed, LoadingCard, NoConversation, NotConnected, ReconnectNeeded, needsReconnect } from './CardStates.js';
import { ConversationTile } from './ConversationTile.js';

/** Props of {@link RecordAiState}. */
export interface RecordAiStateProps {
  objectType: RecordObjectType;
  objectId: string | number;
}

/** Loading → error (Retry) | not connected | [reconnect banner] + empty or the conversations. */
export function RecordAiState({ objectType, objectId }: RecordAiStateProps) {
  const { state, reload, replaceConversation } = useRecord(objectType, objectId);

  if (state.status === 'loading') return <LoadingCard />;
  if (state.status === 'error') return <LoadFailed message={state.error.message} onRetry={reload} />;

  const { connection, conversations } = state.record;
  if (connection.status === 'not_connected' || connection.status === 'disconnected') return <NotConnected />;

  const now = Date.now();
  return (
    <Flex direction="column" gap="sm">
      {needsReconnect(connection.status, connection.auth) ? <ReconnectNeeded auth={connection.auth} /> : null}
      {conversations.length === 0 ? (
        <NoConversation />
      ) : (
        conversations.map((conversation) => (
          <ConversationTile key={conversation.id} conversation={conversation} onChanged={replaceConversation} now={now} />
        ))
      )}
      <Divider />
      <Button testId="card-refresh" size="sm" variant="transparent" onClick={() => reload()}>
        Refresh
      </Button>
    </Flex>
  );
}
