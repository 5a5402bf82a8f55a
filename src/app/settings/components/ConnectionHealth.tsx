// How the portal's connection to Switchboard is doing: status, auth kind, portal, scopes, last refresh
// and last failure, with the advice the connection page gives for the same state.
import { Alert, DescriptionList, DescriptionListItem, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { SettingsConnection } from '../../cards/utils/contract.js';

/** Props of {@link ConnectionHealth}. */
export interface ConnectionHealthProps {
  connection: SettingsConnection;
}

const STATUS: Readonly<Record<SettingsConnection['status'], { label: string; variant: 'success' | 'warning' | 'danger' | 'default' }>> = {
  connected: { label: 'Connected', variant: 'success' },
  needs_reauth: { label: 'Needs reconnect', variant: 'danger' },
  disconnected: { label: 'Disconnected', variant: 'default' },
  not_connected: { label: 'Not connected', variant: 'default' },
};

/** The connection health section. */
export function ConnectionHealth({ connection }: ConnectionHealthProps) {
  const status = STATUS[connection.status];
  return (
    <Flex direction="column" gap="sm">
      <ConnectionAdvice connection={connection} />
      <DescriptionList direction="row">
        <DescriptionListItem label="Status">
          <StatusTag testId="connection-status" variant={status.variant}>
            {status.label}
          </StatusTag>
        </DescriptionListItem>
        <DescriptionListItem label="Connected with">
          <Text testId="connection-auth">{authLabel(connection.auth)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="HubSpot account">
          <Text testId="connection-portal">{connection.portalId === null ? '—' : String(connection.portalId)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Last token refresh">
          <Text testId="connection-refresh">{connection.lastRefreshAt ? formatUtc(connection.lastRefreshAt) : 'Never'}</Text>
        </DescriptionListItem>
      </DescriptionList>
      <Text testId="connection-scopes" variant="microcopy">
        Granted scopes: {connection.scopes.length > 0 ? connection.scopes.join(', ') : 'none'}
      </Text>
    </Flex>
  );
}

function ConnectionAdvice({ connection }: ConnectionHealthProps) {
  if (connection.status === 'needs_reauth') {
    return (
      <Alert testId="connection-alert" title="Reconnect needed" variant="danger">
        HubSpot no longer accepts Switchboard's authorization
        {connection.lastError ? ` (${connection.lastError})` : ''}. Reconnect from the Switchboard dashboard.
      </Alert>
    );
  }
  if (connection.auth === 'private_app') {
    return (
      <Alert testId="connection-alert" title="Action recommended" variant="warning">
        This account uses a legacy Private App connection. Migrate it to OAuth from the Switchboard dashboard so that
        workflow actions and token refresh work.
      </Alert>
    );
  }
  if (connection.status !== 'connected') {
    return (
      <Alert testId="connection-alert" title="Not connected" variant="info">
        Connect HubSpot from the Switchboard dashboard to start.
      </Alert>
    );
  }
  if (connection.lastError) {
    return (
      <Alert testId="connection-alert" title="Last error" variant="warning">
        {connection.lastError}
      </Alert>
    );
  }
  return null;
}

function authLabel(auth: SettingsConnection['auth']): string {
  if (auth === 'oauth') return 'OAuth';
  if (auth === 'private_app') return 'Private App (legacy)';
  return '—';
}

/**
 * Shows an ISO time as `2025-06-01 10:00 UTC`; the page has no reliable time zone of its own.
 * @param iso ISO 8601 time
 * @returns the formatted time, or the input when it does not parse
 */
export function formatUtc(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
