// The card's states other than the conversation list: each is a small component so the card reads as
// a switch over states and each test finds its state by testId.
import { Alert, Button, EmptyState, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { ConnectionAuth, ConnectionStatus } from '../utils/contract.js';

/** Shown while the record's AI state loads. */
export function LoadingCard() {
  return <LoadingSpinner testId="card-loading" label="Loading the AI state…" showLabel layout="centered" />;
}

/** Props of {@link LoadFailed}. */
export interface LoadFailedProps {
  message: string;
  onRetry: () => void;
}

/** Shown when the record could not be loaded (network failure or non-2xx), with a Retry button. */
export function LoadFailed({ message, onRetry }: LoadFailedProps) {
  return (
    <ErrorState testId="card-error" title="Couldn't load the AI state">
      <Text>{message}</Text>
      <Button testId="card-retry" onClick={() => onRetry()}>
        Retry
      </Button>
    </ErrorState>
  );
}

/** Shown on a record type the cards are not configured for. */
export function UnsupportedRecord() {
  return (
    <EmptyState testId="card-unsupported" title="Not available here" layout="vertical" imageName="object">
      <Text>Switchboard shows the AI state on tickets and contacts only.</Text>
    </EmptyState>
  );
}

/** Shown when the portal is not connected to Switchboard at all. */
export function NotConnected() {
  return (
    <EmptyState testId="card-not-connected" title="Switchboard is not connected" layout="vertical" imageName="integrations">
      <Text>Connect HubSpot from your AI platform's integration page to see and control the AI here.</Text>
    </EmptyState>
  );
}

/** Shown when no vendor conversation is linked to the record. */
export function NoConversation() {
  return (
    <EmptyState testId="card-empty" title="No AI conversation" layout="vertical" imageName="customerSupport">
      <Text>No AI conversation is linked to this record yet.</Text>
    </EmptyState>
  );
}

/** Props of {@link ReconnectNeeded}. */
export interface ReconnectNeededProps {
  auth: ConnectionAuth;
}

/** Banner for a connection that works badly or not for long: expired OAuth grant or legacy Private App. */
export function ReconnectNeeded({ auth }: ReconnectNeededProps) {
  const text =
    auth === 'private_app'
      ? 'This account still uses a legacy Private App connection. Migrate it to OAuth on the connection page of your AI platform.'
      : 'HubSpot no longer accepts Switchboard\'s authorization. Reconnect HubSpot on the connection page of your AI platform.';
  return (
    <Alert testId="card-reconnect" title="Reconnect needed" variant="warning">
      {text}
    </Alert>
  );
}

/**
 * Whether the connection needs the admin's attention before it fails for good.
 * @param status the connection status
 * @param auth how the portal is connected
 * @returns true for `needs_reauth` and for Private App connections
 */
export function needsReconnect(status: ConnectionStatus, auth: ConnectionAuth): boolean {
  return status === 'needs_reauth' || auth === 'private_app';
}
