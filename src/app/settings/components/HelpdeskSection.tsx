// The help-desk section: whether the AI's conversations can go to a HubSpot inbox or help desk, the
// scopes still missing (with a reconnect to HubSpot's consent page), and the inbox picker that connects
// the channel. It loads on its own (HubSpot lists the inboxes), so a slow or failed listing never holds
// up the rest of the page.
import { useState } from 'react';
import { Alert, Button, Flex, Link, LoadingButton, LoadingSpinner, Select, StatusTag, Text } from '@hubspot/ui-extensions';
import type { HelpdeskResponse } from '../../cards/utils/contract.js';
import { useHelpdesk } from '../hooks/useHelpdesk.js';
import { toSettingsError } from '../hooks/useLoad.js';

/** Loads the section, then shows the state for it. */
export function HelpdeskSection() {
  const { state, reload, connect } = useHelpdesk();
  if (state.status === 'loading') return <LoadingSpinner testId="helpdesk-loading" label="Loading the help-desk channel…" showLabel />;
  if (state.status === 'error') {
    return (
      <Flex direction="column" gap="xs">
        <Alert testId="helpdesk-error" title="Couldn't load the help-desk channel" variant="error">
          {state.error.message}
        </Alert>
        <Button testId="helpdesk-retry" size="sm" onClick={() => reload()}>
          Retry
        </Button>
      </Flex>
    );
  }
  const data = state.data;
  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">Mirrors the AI's conversations into a HubSpot inbox or help desk, where agents can read them, take over and reply.</Text>
      <HelpdeskState data={data} connect={connect} />
      {data.failedMessages > 0 ? (
        <Alert testId="helpdesk-failed" title="Publish failures" variant="warning">
          {failedText(data.failedMessages)} could not be published to HubSpot after every retry. Your AI platform lists them with their reason.
        </Alert>
      ) : null}
    </Flex>
  );
}

function HelpdeskState({ data, connect }: { data: HelpdeskResponse; connect: (inboxId: string) => Promise<HelpdeskResponse> }) {
  switch (data.state) {
    case 'not_connected':
      return (
<StateLine tag="Not available" variant="default" text="Connect HubSpot to Switchboard first." />
      );
    case 'needs_scopes':
      return (
        <Flex direction="column" gap="xs">
          <Alert testId="helpdesk-needs-scopes" title="Needs these scopes" variant="warning">
            The HubSpot connection was approved without the scopes the help desk needs. Nothing is sent to the help desk until they are granted.
          </Alert>
          <Text testId="helpdesk-missing-scopes">Missing scopes: {data.missingScopes.join(', ')}</Text>
          {data.reconnectUrl ? (
            <Link testId="helpdesk-reconnect" href={{ url: data.reconnectUrl, external: true }}>
              Reconnect with HubSpot
            </Link>
          ) : null}
        </Flex>
      );
    case 'channel_not_registered':
      return (
<StateLine tag="Not set up" variant="default" text="The help-desk channel is not registered with HubSpot yet. Your AI platform registers it once." />
      );
    case 'ready_to_connect':
    case 'connected':
      return (
        <Flex direction="column" gap="xs">
          {data.account ? (
<StateLine tag="Connected" variant="success" text={`Connected to inbox ${data.account.inboxName ?? data.account.inboxId}.`} />
          ) : (
<StateLine tag="Not connected" variant="default" text="Pick the inbox or help desk the AI's conversations go to." />
          )}
          <InboxPicker data={data} connect={connect} />
        </Flex>
      );
  }
}

function StateLine({ tag, variant, text }: { tag: string; variant: 'success' | 'default'; text: string }) {
  return (
    <Flex direction="row" gap="xs" align="center">
      <StatusTag testId="helpdesk-status" variant={variant}>
        {tag}
      </StatusTag>
      <Text testId="helpdesk-state">{text}</Text>
    </Flex>
  );
}

type ConnectStatus = { kind: 'idle' } | { kind: 'connecting' } | { kind: 'connected'; inbox: string } | { kind: 'failed'; message: string };

function InboxPicker({ data, connect }: { data: HelpdeskResponse; connect: (inboxId: string) => Promise<HelpdeskResponse> }) {
  const current = data.account?.inboxId;
  const [draft, setDraft] = useState<string | undefined>(current);
  const [status, setStatus] = useState<ConnectStatus>({ kind: 'idle' });
  if (!data.inboxes) {
    return (
      <Alert testId="helpdesk-inboxes-error" title="No inbox list" variant="error">
        {data.inboxesError ?? 'HubSpot did not list the inboxes.'}
      </Alert>
    );
  }
  if (data.inboxes.length === 0) return <Text testId="helpdesk-no-inboxes">This HubSpot account has no inbox or help desk yet.</Text>;

  const onConnect = () => {
    if (draft === undefined || status.kind === 'connecting') return;
    setStatus({ kind: 'connecting' });
    connect(draft).then(
      (after) => setStatus({ kind: 'connected', inbox: after.account?.inboxName ?? draft }),
      (error: unknown) => setStatus({ kind: 'failed', message: toSettingsError(error).message }),
    );
  };

  return (
    <Flex direction="column" gap="xs">
      <Select
        testId="helpdesk-inbox"
        name="inboxId"
        label="Inbox or help desk"
        placeholder="Choose an inbox"
        required
        readOnly={status.kind === 'connecting'}
        options={data.inboxes.map((inbox) => ({ label: inbox.name, value: inbox.id }))}
        value={draft}
        onChange={(value) => {
          setDraft(String(value));
          setStatus({ kind: 'idle' });
        }}
      />
      <LoadingButton
        testId="helpdesk-connect"
        size="sm"
        variant={current ? 'secondary' : 'primary'}
        loading={status.kind === 'connecting'}
        disabled={draft === undefined || draft === current || status.kind === 'connecting'}
        onClick={onConnect}
      >
        {current ? 'Move the channel to this inbox' : 'Connect the channel'}
      </LoadingButton>
      {status.kind === 'connected' ? (
        <Alert testId="helpdesk-connected" title="Connected" variant="success">
          The AI's conversations now go to {status.inbox}.
        </Alert>
      ) : null}
      {status.kind === 'failed' ? (
        <Alert testId="helpdesk-connect-error" title="Couldn't connect" variant="error">
          {status.message}
        </Alert>
      ) : null}
    </Flex>
  );
}

function failedText(count: number): string {
  if (count >= 100) return '100 or more messages';
  return count === 1 ? '1 message' : `${count} messages`;
}
